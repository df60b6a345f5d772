package dev.ftnotifier.state.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ftnotifier.config.ConfigurationException;
import dev.ftnotifier.state.Backoff;
import dev.ftnotifier.state.DeliveryStore;
import dev.ftnotifier.state.FinishedJobs;
import dev.ftnotifier.state.StateDocuments;
import dev.ftnotifier.state.EpisodeRecords;
import dev.ftnotifier.state.OutcomeRecords;
import dev.ftnotifier.state.StateStore;
import dev.ftnotifier.state.WebhookIds;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL state store ({@code notifier.state.store=jdbc}): a connection pool, the schema
 * migrated by Flyway at start-up ({@code db/migration}), and this process as one instance among
 * several: a random instance id with a heartbeat renewed every sixth of
 * {@code notifier.state.jdbc.instance-timeout}, so a claim whose instance stopped renewing is
 * known to be dead and may be taken over. The heartbeat also writes down the outcomes (sent,
 * failed) that could not be recorded while the database was unreachable, and tells
 * {@link #trouble()} whether it is. A Camel service: closed when the context stops.
 */
public class JdbcState extends ServiceSupport implements StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcState.class);

    private final JdbcSettings settings;
    private final HikariDataSource dataSource;
    private final String instanceId;
    private final ScheduledExecutorService heartbeat;
    /** Outcomes made but not yet written (the database was unreachable), by delivery; written by the heartbeat. */
    private final Map<String, Unrecorded> unrecorded = new ConcurrentHashMap<>();
    private volatile Trouble trouble;

    /** A statement that must still be written: returns normally once it is. */
    interface Unrecorded {
        void write(Connection connection) throws SQLException;
    }

    /** Why the database cannot be used, since when. */
    public record Trouble(String reason, Instant since) {
    }

    /** The advisory lock key that orders the instances' migrations ("ftnotify" in ASCII). */
    static final long MIGRATION_LOCK = 0x66746e6f74696679L;

    public JdbcState(JdbcSettings settings) {
        this.settings = settings;
        this.instanceId = host() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.dataSource = new HikariDataSource(poolConfig(settings));
        try {
            migrate();
            withConnection(c -> {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO notifier_instance (instance_id, host) VALUES (?, ?)")) {
                    insert.setString(1, instanceId);
                    insert.setString(2, host());
                    insert.executeUpdate();
                }
                return null;
            });
        } catch (RuntimeException | SQLException e) {
            dataSource.close();
            throw new ConfigurationException("state store " + settings.where() + " cannot be used at start-up: " + reason(e));
        }
        long every = Math.max(200, settings.instanceTimeout().toMillis() / 6);
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "state-store-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        LOG.info("delivery state in PostgreSQL {} as instance {} (a claim of an instance silent for {} s is taken over)",
                settings.where(), instanceId, settings.instanceTimeout().toSeconds());
    }

    /**
     * Brings the tables to the newest version (Flyway, {@code db/migration}), one instance at a time:
     * instances started at once against an empty database raced to create Flyway's history table,
     * and the loser failed to baseline it ("already exists, and is empty") and exited. A PostgreSQL
     * advisory lock, held on its own connection, makes the others wait; they then find the tables
     * at the newest version. The lock goes with the connection if this process dies.
     */
    private void migrate() throws SQLException {
        try (Connection lock = dataSource.getConnection(); Statement statement = lock.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            try {
                // its own history table, and a baseline below V1: the database may hold other applications' tables
                Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").table("notifier_schema_history")
                        .baselineOnMigrate(true).baselineVersion("0").load().migrate();
            } finally {
                statement.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
            }
        }
    }

    /** Where the state is, for the start-up line: the URL up to its query, never the password. */
    @Override
    public String toString() {
        return "PostgreSQL " + settings.where();
    }

    private static HikariConfig poolConfig(JdbcSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("state-store");
        config.setJdbcUrl(settings.url());
        if (!settings.username().isEmpty()) {
            config.setUsername(settings.username());
        }
        if (!settings.password().isEmpty()) {
            config.setPassword(settings.password());
        }
        // fail fast while the database is away: a delivery waits for the next poll, the probe answers in time
        config.setMaximumPoolSize(12);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(2000);
        config.setValidationTimeout(1000);
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", "2");
        config.addDataSourceProperty("loginTimeout", "3");
        config.addDataSourceProperty("socketTimeout", "15");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "fine-tuning-notifier");
        return config;
    }

    @Override
    public DeliveryStore deliveries(Path stateDir, Backoff backoff, Clock clock) {
        return new JdbcDeliveryStore(this, backoff, settings.instanceTimeout());
    }

    @Override
    public FinishedJobs finishedJobs(Path stateDir) {
        return new JdbcFinishedJobs(this);
    }

    @Override
    public WebhookIds webhookIds(Path stateDir, Clock clock) {
        return new JdbcWebhookIds(this);
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public StateDocuments documents(Path stateDir) {
        return new JdbcDocuments(this);
    }

    @Override
    public EpisodeRecords episodeRecords(Path stateDir) {
        return new JdbcEpisodeRecords(this);
    }

    @Override
    public OutcomeRecords outcomeRecords(Path stateDir) {
        return new JdbcOutcomeRecords(this);
    }

    public String instanceId() {
        return instanceId;
    }

    public JdbcSettings settings() {
        return settings;
    }

    /** Null while the database answers. */
    public Trouble trouble() {
        return trouble;
    }

    /** Asks the database now (at most about 3 s); the answer also updates {@link #trouble()}. */
    public Trouble check() {
        try {
            withConnection(c -> {
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout(2);
                    s.execute("SELECT 1");
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            failed(e);
        }
        return trouble;
    }

    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} on a pooled connection (auto-commit), noting whether the database answered. */
    <T> T withConnection(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            answered();
            return work.run(c);
        }
    }

    /**
     * For the store's reads and writes: fails at once while the database is known to be
     * unreachable (so a poll does not wait on the pool for each delivery); the heartbeat and
     * the health check find out when it answers again.
     */
    <T> T whileReachable(Work<T> work) throws SQLException {
        Trouble known = trouble;
        if (known != null) {
            throw new SQLException("state store unreachable since " + known.since() + ": " + known.reason());
        }
        return withConnection(work);
    }

    /** Keeps an outcome to write once the database answers again (the latest one per delivery wins). */
    void keep(String delivery, Unrecorded outcome) {
        unrecorded.put(delivery, outcome);
    }

    boolean isUnrecorded(String delivery) {
        return unrecorded.containsKey(delivery);
    }

    void failed(Exception e) {
        if (trouble == null) {
            trouble = new Trouble(reason(e), Instant.now().truncatedTo(ChronoUnit.SECONDS));
            LOG.warn("state store {} unreachable ({}): no delivery is made until it answers again", settings.where(), trouble.reason());
        }
    }

    private void answered() {
        Trouble was = trouble;
        if (was != null) {
            trouble = null;
            LOG.info("state store {} answers again (unreachable since {})", settings.where(), was.since());
        }
    }

    private void beat() {
        try {
            withConnection(c -> {
                try (PreparedStatement update = c.prepareStatement(
                        "INSERT INTO notifier_instance (instance_id, host) VALUES (?, ?) "
                                + "ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now()")) {
                    update.setString(1, instanceId);
                    update.setString(2, host());
                    update.executeUpdate();
                }
                for (Map.Entry<String, Unrecorded> e : Map.copyOf(unrecorded).entrySet()) {
                    e.getValue().write(c);
                    unrecorded.remove(e.getKey(), e.getValue());
                    LOG.info("delivery {}: its outcome is recorded now that the state store answers", e.getKey());
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            failed(e);
        }
    }

    @Override
    protected void doStop() {
        heartbeat.shutdownNow();
        beat(); // what is still unrecorded, if the database lets us
        if (unrecorded.isEmpty()) {
            try {
                // an orderly stop: nothing of ours is in flight any more; others need not wait for our heartbeat to age
                withConnection(c -> {
                    try (PreparedStatement delete = c.prepareStatement("DELETE FROM notifier_instance WHERE instance_id = ?")) {
                        delete.setString(1, instanceId);
                        delete.executeUpdate();
                    }
                    return null;
                });
            } catch (SQLException | RuntimeException e) {
                LOG.debug("instance row left to age out: {}", reason(e));
            }
        } else {
            LOG.warn("state store unreachable at stop: {} delivery outcome(s) not recorded; those deliveries may be sent "
                    + "again (at most one duplicate each): {}", unrecorded.size(), unrecorded.keySet());
        }
        dataSource.close();
    }

    /** As {@code kill -9} leaves it, for tests: no more heartbeats, connections dropped, the instance row left to age. */
    void halt() {
        heartbeat.shutdownNow();
        dataSource.close();
    }

    /** The innermost cause in a few words: no URL query, no password (PostgreSQL's messages carry neither). */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        message = message.replaceAll("[\\r\\n]+", " ").replaceAll("[^\\x20-\\x7e]", "?");
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }
}
