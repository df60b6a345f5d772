package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.simulator.RecordedRequest;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalPostgres;
import dev.ftnotifier.testing.PostgresStates;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.LogLines;
import dev.ftnotifier.testing.RunningNotifier;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With {@code notifier.state.store=jdbc} the small state only the leader keeps, the discovery
 * state and the self-alert episodes, is in PostgreSQL too: two instances on one database and a
 * {@code notifier.cluster=file} lock; the leader stops, the standby takes over and goes on from
 * what the leader wrote, though it started before the leader wrote it.
 */
class SharedStateFailoverTest {

    private static final Duration DEADLINE = Duration.ofSeconds(40);
    private static final String LIST = "/v1/fine_tuning/jobs";
    private static final String KEY_A = "test-key-not-a-secret-a";
    private static final String KEY_B = "test-key-not-a-secret-b";
    private static final long LONG_AGO = Instant.now().minus(Duration.ofDays(90)).getEpochSecond();
    @RegisterExtension
    static final PostgresStates postgres = new PostgresStates();

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    @RegisterExtension
    final LogLines log = new LogLines();

    /** Leader (first started) and standby: one database, one lock folder, a state folder each. */
    private List<Map<String, String>> twoInstances(Map<String, String> settings) throws Exception {
        Map<String, String> a = JdbcPipelineTest.jdbc(settings, postgres.newDatabase());
        a.put("notifier.cluster", "file");
        a.put("notifier.cluster.file.root", Files.createDirectories(world.stateDir.resolveSibling("cluster")).toString());
        a.put("notifier.cluster.file.acquire-lock-interval", "1s");
        Map<String, String> b = new HashMap<>(a);
        b.put("notifier.state.dir", Files.createDirectories(world.stateDir.resolveSibling("standby")).toString());
        return List.of(a, b);
    }

    /** The job list requests made with {@code key}, one list per discovery (a discovery starts without {@code after}). */
    private List<List<RecordedRequest>> discoveries(String key) {
        List<List<RecordedRequest>> passes = new ArrayList<>();
        for (RecordedRequest r : world.api.requests()) {
            if (!r.path().equals(LIST) || !("Bearer " + key).equals(r.header("Authorization"))) {
                continue;
            }
            if (r.query() == null || !r.query().contains("after=")) {
                passes.add(new ArrayList<>());
            }
            if (!passes.isEmpty()) {
                passes.get(passes.size() - 1).add(r);
            }
        }
        return passes;
    }

    /** Discoveries made with {@code key} after its first that read the whole list (3 pages); -1 before that one. */
    private int passesAfterTheFirstFullOne(String key) {
        List<Integer> sizes = discoveries(key).stream().map(List::size).toList();
        int full = sizes.indexOf(3);
        return full < 0 ? -1 : sizes.size() - full - 1;
    }

    private long clockFetches() {
        return world.fetches(LocalWorld.CLOCK);
    }

    @Test
    void theNewLeaderDiscoversFromTheOldLeadersStateAndTellsAJobThatEndedMeanwhile() throws Exception {
        for (int i = 0; i < 248; i++) {
            // ended 90 days ago: recorded by the first discovery, never notified
            long created = LONG_AGO + i * 60L;
            world.api.putJob(SimulatedJob.queued(String.format("ftjob-old-%03d", i), LocalWorld.MODEL).withCreatedAt(created)
                    .withStatus(i % 2 == 0 ? "succeeded" : "failed").withFinishedAt(created + 1800));
        }
        world.putJob("ftjob-run", "running");
        world.startClock();
        Map<String, String> settings = world.allChannels(LocalWorld.CLOCK);
        settings.put("notifier.discover", "true");
        List<Map<String, String>> instances = twoInstances(settings);
        Map<String, String> a = new HashMap<>(instances.get(0));
        a.put("openai.api-key", KEY_A);
        Map<String, String> b = new HashMap<>(instances.get(1));
        b.put("openai.api-key", KEY_B);

        // no discovery can complete until the standby runs: it starts with no discovery state anywhere
        world.api.answerListWith(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
        try (RunningNotifier leader = RunningNotifier.start(a)) {
            await().atMost(DEADLINE).until(() -> discoveries(KEY_A).size() >= 1);
            try (RunningNotifier standby = RunningNotifier.start(b)) {
                world.api.answerListNormally();
                // the leader's first discovery reads all 250 jobs; the ones after it only the newest page
                await().atMost(DEADLINE).until(() -> passesAfterTheFirstFullOne(KEY_A) >= 2
                        && Files.exists(Documents.path(world.fileDir, "ftjob-run", "running")));
                leader.close();
                // the running job ends while the standby takes over
                world.api.setStatus("ftjob-run", "succeeded");
                await().atMost(DEADLINE).until(() -> discoveries(KEY_B).size() >= 3);
            }
        }
        List<List<RecordedRequest>> byB = discoveries(KEY_B);
        assertEquals(1, byB.get(0).size(), "the new leader's first discovery goes back to the old leader's horizon only,"
                + " not through all 250 jobs again; requests per discovery: " + byB.stream().map(List::size).toList());
        assertEquals(List.of("ftjob-clock.running.json", "ftjob-run.running.json", "ftjob-run.succeeded.json"),
                Documents.names(world.fileDir), "no job that ended before the first discovery is notified, by either instance,"
                        + " and the job the old leader followed is told when it ends");
        assertEquals(1, world.slackPosts("ftjob-run"), "one Slack post: succeeded");
        assertEquals(1, world.mails("ftjob-run"), "one mail: succeeded");
        assertEquals(List.of(), log.containing(LocalPostgres.PASSWORD), "the database password is never logged");
    }

    @Test
    void anEpisodeToldByTheOldLeaderIsNotToldAgainByTheNewOneAndItsEndIsToldOnce() throws Exception {
        world.startClock();
        Map<String, String> settings = world.allChannels(LocalWorld.CLOCK);
        settings.put("notifier.self-alert.after", "1s");
        List<Map<String, String>> instances = twoInstances(settings);

        try (RunningNotifier leader = RunningNotifier.start(instances.get(0))) {
            await().atMost(DEADLINE).until(() -> clockFetches() >= 2);
            try (RunningNotifier standby = RunningNotifier.start(instances.get(1))) {
                // the episode begins once both run (the standby has read no episode at its start); the leader tells it
                world.api.requireApiKey("test-key-the-api-wants");
                await().atMost(DEADLINE).until(() -> slack("cannot do its job") == 1 && mails("notifier cannot do its job") == 1
                        && files("self-alert.api-") == 1);
                leader.close();
                long stoppedAt = clockFetches();
                // the key is still rejected: the new leader polls for several checks (each longer than self-alert.after)
                await().atMost(DEADLINE).until(() -> clockFetches() >= stoppedAt + 25);
                assertEquals(1, slack("cannot do its job"), "the new leader does not tell the episode again");
                assertEquals(1, mails("notifier cannot do its job"));
                assertEquals(1, files("self-alert.api-"));

                world.api.requireApiKey("test-key-not-a-secret");
                await().atMost(DEADLINE).until(() -> slack("recovered") == 1 && mails("notifier recovered") == 1
                        && files("self-recovered.api-") == 1);
                world.waitForPolls(10);
            }
        }
        assertEquals(1, slack("recovered"), "its end is told once, by the new leader");
        assertEquals(1, mails("notifier recovered"));
        assertEquals(1, files("self-recovered.api-"));
        assertEquals(1, slack("cannot do its job"));
        assertEquals(1, mails("notifier cannot do its job"));
        assertEquals(List.of(), log.containing("leader election with notifier.state.store=file"),
                "the state store says the state is shared: no warning that a failover repeats statuses");
    }

    private long slack(String part) {
        return world.slack.posts().stream().map(p -> p.path("text").asText()).filter(t -> t.contains(part)).count();
    }

    private long mails(String part) {
        return Arrays.stream(world.smtp.getReceivedMessages()).filter(m -> subject(m).contains(part)).map(SharedStateFailoverTest::id)
                .distinct().count();
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String id(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long files(String prefix) {
        return Documents.names(world.fileDir).stream().filter(n -> n.startsWith(prefix)).count();
    }
}
