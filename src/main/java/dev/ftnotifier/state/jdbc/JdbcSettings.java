package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.config.ConfigurationException;

import java.time.Duration;

/**
 * {@code notifier.state.jdbc.*}: where the PostgreSQL state store is. The password is a secret:
 * {@link #toString()} never shows it, and the URL is named in messages only up to its query.
 */
public record JdbcSettings(String url, String username, String password, Duration instanceTimeout) {

    public JdbcSettings {
        url = url == null ? "" : url.trim();
        username = username == null ? "" : username.trim();
        password = password == null ? "" : password;
        if (url.isEmpty()) {
            throw new ConfigurationException("notifier.state.store=jdbc needs notifier.state.jdbc.url "
                    + "(jdbc:postgresql://host:5432/database)");
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException("notifier.state.jdbc.url must start with jdbc:postgresql: (PostgreSQL is the one "
                    + "database the state store is made for), not '" + printable(url) + "'");
        }
        if (url.contains("password=")) {
            throw new ConfigurationException("notifier.state.jdbc.url must not carry the password: set notifier.state.jdbc.password "
                    + "(NOTIFIER_STATE_JDBC_PASSWORD), which is never logged");
        }
        if (instanceTimeout == null || instanceTimeout.toMillis() < 1000) {
            throw new ConfigurationException("notifier.state.jdbc.instance-timeout must be at least 1s");
        }
    }

    /** The URL up to its query (a host, a port and a database, nothing an operator should hide). */
    public String where() {
        return printable(url);
    }

    private static String printable(String url) {
        int query = url.indexOf('?');
        String shown = query < 0 ? url : url.substring(0, query);
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public String toString() {
        return "JdbcSettings[" + where() + ", user " + username + "]";
    }
}
