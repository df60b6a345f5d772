package dev.ftnotifier.testing;

import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.RecordedRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Several packaged jars ({@code java -jar target/fine-tuning-notifier.jar}) run as one
 * highly-available notifier, as an operator runs them on one machine: the same settings, one
 * PostgreSQL database ({@code notifier.state.store=jdbc}), one lock folder
 * ({@code notifier.cluster=file}), one notifications folder; each instance with a state folder,
 * a log, a management port of its own and its own API key, so the simulator's request log says
 * which instance made each request ({@link #requestsBy}). Closing it kills what is still running.
 */
public final class JarCluster implements AutoCloseable {

    /** One notifier process of the group. */
    public record Instance(String name, String apiKey, Process process, Path log, Management management) {
        public boolean alive() {
            return process.isAlive();
        }

        public String logText() {
            return NotifierProcess.read(log);
        }

        /** The log lines containing {@code text}. */
        public List<String> lines(String text) {
            return logText().lines().filter(l -> l.contains(text)).toList();
        }

        public boolean started() {
            return logText().contains("fine-tuning-notifier ") && logText().contains(" started: ");
        }
    }

    private final Path work;
    private final FineTuningApiSimulator api;
    private final String jdbcUrl;
    private final Map<String, String> env = new HashMap<>();
    private final List<Instance> instances = new ArrayList<>();

    /**
     * @param env the settings every instance shares (jobs, channels, timings), as environment variables;
     *            the cluster, the state store and the folders are set here
     */
    public JarCluster(Path work, FineTuningApiSimulator api, String jdbcUrl, Map<String, String> env) {
        if (!Files.exists(Path.of("target", "fine-tuning-notifier.jar"))) {
            throw new IllegalStateException("run after mvn package: target/fine-tuning-notifier.jar is missing");
        }
        this.work = work;
        this.api = api;
        this.jdbcUrl = jdbcUrl;
        this.env.put("OPENAI_BASE_URL", api.baseUrl());
        this.env.put("NOTIFIER_FILE_DIR", work.resolve("notifications").toString());
        this.env.put("NOTIFIER_CLUSTER", "file");
        this.env.put("NOTIFIER_CLUSTER_FILE_ROOT", work.resolve("cluster").toString());
        this.env.put("NOTIFIER_STATE_STORE", "jdbc");
        this.env.put("NOTIFIER_STATE_JDBC_URL", jdbcUrl);
        this.env.put("NOTIFIER_STATE_JDBC_USERNAME", LocalPostgres.USER);
        this.env.put("NOTIFIER_STATE_JDBC_PASSWORD", LocalPostgres.PASSWORD);
        // as RunningNotifier: the channels' pace (3 Slack posts per 3 s by default) would make a test of 1,000 transitions wait
        for (String channel : List.of("slack", "email", "webhook")) {
            this.env.put("NOTIFIER_PACE_" + channel.toUpperCase(java.util.Locale.ROOT) + "_BURST", "1000");
            this.env.put("NOTIFIER_PACE_" + channel.toUpperCase(java.util.Locale.ROOT) + "_PERIOD", "1s");
        }
        // three JVMs on a shared 2-core machine: a small heap, one GC thread, no C2 compiler
        this.env.put("JAVA_TOOL_OPTIONS", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        this.env.putAll(env);
    }

    public Path notifications() {
        return work.resolve("notifications");
    }

    /** Starts one more instance named {@code name} (its key {@code test-key-not-a-secret-<name>}). */
    public Instance launch(String name) {
        Management management = new Management();
        String key = "test-key-not-a-secret-" + name;
        Process process = NotifierProcess.fromJar()
                .env(env)
                .env("OPENAI_API_KEY", key)
                .env("NOTIFIER_STATE_DIR", work.resolve(name + "-state").toString())
                .env("NOTIFIER_MANAGEMENT_PORT", String.valueOf(management.port()))
                .env("NOTIFIER_MANAGEMENT_HOST", "127.0.0.1")
                .start(work.resolve(name + ".log"));
        Instance instance = new Instance(name, key, process, work.resolve(name + ".log"), management);
        instances.add(instance);
        return instance;
    }

    /** Starts them all at once and waits until each has started. */
    public List<Instance> launchAll(Duration deadline, String... names) {
        List<Instance> started = new ArrayList<>();
        for (String name : names) {
            started.add(launch(name));
        }
        for (Instance i : started) {
            await(i.name() + " starts").atMost(deadline).until(() -> i.started() || !i.alive());
            if (!i.alive()) {
                throw new AssertionError(i.name() + " exited at start-up:\n" + i.logText());
            }
        }
        return started;
    }

    public List<Instance> instances() {
        return List.copyOf(instances);
    }

    /** The API requests this instance made. */
    public List<RecordedRequest> requestsBy(Instance instance) {
        return api.requests().stream().filter(r -> ("Bearer " + instance.apiKey()).equals(r.header("Authorization"))).toList();
    }

    /** The instance that made the latest API request, among those alive. */
    public Optional<Instance> lastToAsk() {
        List<RecordedRequest> all = api.requests();
        for (int i = all.size() - 1; i >= 0; i--) {
            String auth = all.get(i).header("Authorization");
            for (Instance instance : instances) {
                if (instance.alive() && ("Bearer " + instance.apiKey()).equals(auth)) {
                    return Optional.of(instance);
                }
            }
        }
        return Optional.empty();
    }

    /** Waits until exactly one live instance polls, and returns it (the leader). */
    public Instance awaitLeader(String clockJob, Duration deadline) {
        Instance[] leader = new Instance[1];
        await("a leader polls").atMost(deadline).until(() -> {
            Optional<Instance> last = lastToAsk();
            if (last.isEmpty()) {
                return false;
            }
            // it polls on: two more fetches of the clock, by it alone
            long seen = fetches(last.get(), clockJob);
            leader[0] = last.get();
            return seen >= 2;
        });
        return leader[0];
    }

    /** How many times this instance fetched {@code jobId}. */
    public long fetches(Instance instance, String jobId) {
        return requestsBy(instance).stream().filter(r -> r.path().endsWith("/fine_tuning/jobs/" + jobId)).count();
    }

    /** {@code kill -9}: no shutdown hook, no heartbeat, the lock left to the operating system. Returns when. */
    public Instant killNine(Instance instance) {
        Instant at = Instant.now();
        instance.process().destroyForcibly();
        try {
            if (!instance.process().waitFor(20, TimeUnit.SECONDS) || instance.process().exitValue() != 137) {
                throw new AssertionError(instance.name() + " was not killed by SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return at;
    }

    /** Every instance's log lines containing {@code text}, each prefixed with the instance's name. */
    public List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (Instance i : instances) {
            i.lines(text).forEach(l -> out.add(i.name() + ": " + l));
        }
        return out;
    }

    /** One number from the shared database, e.g. {@code SELECT count(*) FROM notifier_delivery WHERE state <> 'sent'}. */
    public long query(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, LocalPostgres.PASSWORD);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of a query on the shared database, each column as text. */
    public List<String[]> rows(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, LocalPostgres.PASSWORD);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String[]> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                String[] row = new String[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = rs.getString(i + 1);
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deliveries claimed and not yet ended ({@code sending}), or failed and waiting: none once all is done. */
    public long unfinishedDeliveries() {
        return query("SELECT count(*) FROM notifier_delivery WHERE state <> 'sent'");
    }

    /** Kills what still runs, and keeps every instance's log in {@code logDir} (for a failure's post-mortem). */
    public void close(Path logDir) {
        close();
        try {
            Files.createDirectories(logDir);
            for (Instance i : instances) {
                if (Files.exists(i.log())) {
                    Files.copy(i.log(), logDir.resolve(i.name() + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Instance i : instances) {
            i.process().destroyForcibly();
        }
        for (Instance i : instances) {
            try {
                i.process().waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** All logs, for a failure message. */
    public String logs() {
        StringBuilder b = new StringBuilder();
        for (Instance i : instances) {
            b.append("---- ").append(i.name()).append(" ----\n");
            String text = i.logText();
            b.append(text.length() > 6000 ? text.substring(text.length() - 6000) : text).append('\n');
        }
        return b.toString();
    }

}
