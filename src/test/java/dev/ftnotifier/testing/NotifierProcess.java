package dev.ftnotifier.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The notifier in a JVM of its own, as an operator starts it: the real entry point, its
 * settings in environment variables, its output in a log file. The machine's own OpenAI,
 * notifier and Camel variables are removed so they cannot steer a test; NOTIFIER_ROUTES is
 * the test run's DSL ({@link Dsl}) unless a test sets it.
 */
public final class NotifierProcess {

    private final List<String> command = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    /** The management server stays off unless a test sets NOTIFIER_MANAGEMENT_PORT: no test binds 8081. */
    private final Map<String, String> env = new HashMap<>(Map.of("NOTIFIER_ROUTES", Dsl.current(), "NOTIFIER_MANAGEMENT_PORT", "0"));
    private Path workingDir = Path.of("").toAbsolutePath();

    private NotifierProcess(List<String> command) {
        this.command.addAll(command);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -cp <test class path> dev.ftnotifier.App}, with extra JVM options. */
    public static NotifierProcess fromClasses(String... jvmOptions) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.ftnotifier.App"));
        return new NotifierProcess(command);
    }

    /** {@code java -jar target/fine-tuning-notifier.jar}, the packaged application. */
    public static NotifierProcess fromJar() {
        return new NotifierProcess(List.of(java(), "@" + Path.of("jvm.options").toAbsolutePath(), "-jar",
                Path.of("target", "fine-tuning-notifier.jar").toAbsolutePath().toString()));
    }

    /** Program arguments, after the main class or jar: {@code --demo}, {@code --faults}. */
    public NotifierProcess args(String... values) {
        args.addAll(List.of(values));
        return this;
    }

    public NotifierProcess in(Path dir) {
        workingDir = dir;
        return this;
    }

    public NotifierProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public NotifierProcess env(Map<String, String> values) {
        env.putAll(values);
        return this;
    }

    /** Starts it; standard output and error both go to {@code log}. */
    public Process start(Path log) {
        List<String> line = new ArrayList<>(command);
        line.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(line).directory(workingDir.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("OPENAI_") || k.startsWith("NOTIFIER_") || k.startsWith("CAMEL_"));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops it as a service manager would: SIGTERM, up to 30 s for the graceful stop, then SIGKILL;
     * returns once it has exited, so nothing it writes races the deletion of its folders.
     */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
