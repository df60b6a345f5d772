package dev.ftnotifier.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The built-in defaults exactly as {@code notifier-defaults.properties} has them (the one owner of
 * every default value), before application.properties, overrides or the environment: for code
 * that needs a default itself rather than the value in force, such as the statuses a declared
 * channel instance takes when it sets none ({@link ChannelType#defaultStatuses()}).
 */
final class Defaults {

    static final String RESOURCE = "/notifier-defaults.properties";
    private static final Properties DEFAULTS = load();

    private Defaults() {
    }

    /** The default of {@code key}; a key missing from the file is a bug, so it fails. */
    static String of(String key) {
        String value = DEFAULTS.getProperty(key);
        if (value == null) {
            throw new IllegalStateException(key + " has no default in notifier-defaults.properties");
        }
        return value.trim();
    }

    private static Properties load() {
        Properties defaults = new Properties();
        try (InputStream in = Defaults.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defaults;
    }
}
