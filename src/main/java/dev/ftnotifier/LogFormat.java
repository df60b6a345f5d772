package dev.ftnotifier;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Chooses the logging backend before anything logs ({@code notifier.log.format}): {@code text}
 * (slf4j-simple, src/main/resources/simplelogger.properties) or {@code json} (logback with
 * notifier-logback-json.xml: one JSON object per line on standard output). Read the way Camel
 * reads every key, just earlier: the environment ({@code NOTIFIER_LOG_FORMAT}), then
 * {@code -Dnotifier.log.format}, then ./application.properties; a value that is neither is left
 * to the start-up checks to refuse (logged as text).
 */
final class LogFormat {

    static final String SIMPLE = "org.slf4j.simple.SimpleServiceProvider";
    static final String LOGBACK = "ch.qos.logback.classic.spi.LogbackServiceProvider";

    private LogFormat() {
    }

    static void select() {
        if (System.getProperty("slf4j.provider") != null) {
            return; // chosen by whoever started the JVM
        }
        boolean json = "json".equals(value());
        System.setProperty("slf4j.provider", json ? LOGBACK : SIMPLE);
        // SLF4J would say on standard error, at INFO, that it loads the provider named here
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        if (json && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "notifier-logback-json.xml");
        }
    }

    static String value() {
        String env = System.getenv("NOTIFIER_LOG_FORMAT");
        if (env != null) {
            return env.trim();
        }
        String property = System.getProperty("notifier.log.format");
        if (property != null) {
            return property.trim();
        }
        Path file = Path.of("application.properties");
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                p.load(in);
                return p.getProperty("notifier.log.format", "text").trim();
            } catch (IOException | IllegalArgumentException unreadable) {
                return "text"; // Camel says what is wrong with the file
            }
        }
        return "text";
    }
}
