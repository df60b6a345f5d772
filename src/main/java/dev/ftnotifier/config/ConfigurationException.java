package dev.ftnotifier.config;

/** A setting an operator must fix before the notifier can start; its message names the setting. */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }

    /** Camel wraps what a configuration class throws; find ours so the operator sees one line. */
    public static ConfigurationException findIn(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException c) {
                return c;
            }
        }
        return null;
    }
}
