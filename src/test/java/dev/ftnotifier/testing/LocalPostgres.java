package dev.ftnotifier.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL on 127.0.0.1 (zonky's embedded binaries; as root here it runs through
 * {@code unshare -U}), on a fixed free port and data folder so it can be stopped and started
 * again under a running notifier. Each test takes a database of its own ({@link #newDatabase}).
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String USER = "postgres";
    /** Embedded PostgreSQL trusts local connections; the notifier is given a password all the same (to show it is never logged). */
    public static final String PASSWORD = "test-db-password-not-a-secret";

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final int port;
    private final Path dataDir;
    private EmbeddedPostgres postgres;

    private LocalPostgres(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    public static LocalPostgres start() {
        try {
            LocalPostgres local = new LocalPostgres(FreePorts.pick(), Files.createTempDirectory("notifier-pg-"));
            local.startAgain();
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the same server (port, data) again after {@link #stop}. */
    public void startAgain() {
        try {
            postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir).setCleanDataDirectory(false)
                    .setRegisterShutdownHook(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (connections are cut); data stays. */
    public void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new empty database; its JDBC URL. */
    public String newDatabase() {
        String name = "notifier_" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException ignored) {
            // going away
        }
        try (var paths = Files.walk(dataDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temp folder
        }
    }
}
