package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalPostgres;
import dev.ftnotifier.testing.PostgresStates;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.LogLines;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ftnotifier.webhook.Events;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole notifier with {@code notifier.state.store=jdbc} on a real PostgreSQL: a second
 * notifier started with an empty state folder sends nothing again (the state is in the
 * database), and the two polling the same jobs at once (two leaders for a while) deliver a new
 * status exactly once per channel.
 */
class JdbcPipelineTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    @RegisterExtension
    static final PostgresStates postgres = new PostgresStates();

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    @RegisterExtension
    final LogLines log = new LogLines();

    static Map<String, String> jdbc(Map<String, String> properties, String url) {
        properties.put("notifier.state.store", "jdbc");
        properties.put("notifier.state.jdbc.url", url);
        properties.put("notifier.state.jdbc.username", LocalPostgres.USER);
        properties.put("notifier.state.jdbc.password", LocalPostgres.PASSWORD);
        return properties;
    }

    @Test
    void aSecondNotifierWithAnEmptyStateFolderAndBothAtOnceDeliverEachOnce() throws Exception {
        String url = postgres.newDatabase();
        world.putJob("ftjob-1", "succeeded");
        world.putJob("ftjob-2", "failed");
        world.putJob("ftjob-3", "cancelled");
        world.putJob("ftjob-4", "running");
        world.startClock();
        Map<String, String> first = jdbc(world.allChannels("ftjob-1", "ftjob-2", "ftjob-3", "ftjob-4", LocalWorld.CLOCK), url);
        Map<String, String> second = new java.util.HashMap<>(first);
        second.put("notifier.state.dir", Files.createDirectories(world.stateDir.resolveSibling("second")).toString());

        long fetchedBefore;
        try (RunningNotifier a = RunningNotifier.start(first)) {
            await().atMost(DEADLINE).until(() -> Stream.of("ftjob-1", "ftjob-2", "ftjob-3")
                    .allMatch(j -> world.slackPosts(j) == 1 && world.mails(j) == 1)
                    && Documents.names(world.fileDir).contains("ftjob-4.running.json"));
            world.waitForPolls(2);
            fetchedBefore = world.fetches("ftjob-1");
            // another instance, its state folder empty: what was sent, and which jobs are finished, is known from the database
            try (RunningNotifier b = RunningNotifier.start(second)) {
                world.waitForPolls(3);
                // both poll ftjob-4 and see it succeed at once: two leaders for a moment
                world.api.setStatus("ftjob-4", "succeeded");
                await().atMost(DEADLINE).until(() -> world.slackPosts("ftjob-4") >= 1 && world.mails("ftjob-4") >= 1
                        && Documents.names(world.fileDir).contains("ftjob-4.succeeded.json"));
                world.waitForPolls(3);
            }
        }
        assertEquals(fetchedBefore, world.fetches("ftjob-1"), "a finished job is fetched by neither instance");
        for (String job : List.of("ftjob-1", "ftjob-2", "ftjob-3", "ftjob-4")) {
            assertEquals(1, world.slackPosts(job), job + ": one Slack post from two notifiers");
            assertEquals(1, world.mails(job), job + ": one mail");
        }
        assertEquals(List.of(), log.containing("was in flight"), "no claim was taken over: both instances were alive");
        assertEquals(List.of(), log.containing(LocalPostgres.PASSWORD), "the database password is never logged");
    }

    /**
     * A standby receives webhooks too, but only the leader polls: with the state in PostgreSQL the
     * leader follows the jobs an event named on the standby, as polling's backstop for an event
     * whose status the API does not show yet.
     */
    @Test
    void theLeaderPollsAJobAWebhookNamedOnTheStandby() throws Exception {
        String url = postgres.newDatabase();
        String job = "ftjob-named-on-standby";
        String keyB = "test-key-not-a-secret-standby";
        world.putJob(job, "running");
        world.startClock();
        int portA = Events.freePort();
        int portB = Events.freePort();
        Map<String, String> leader = jdbc(Events.receiverOn(world.allChannels(LocalWorld.CLOCK), Events.SECRET, portA), url);
        leader.put("notifier.cluster", "file");
        leader.put("notifier.cluster.file.root", Files.createDirectories(world.stateDir.resolveSibling("cluster")).toString());
        leader.put("notifier.cluster.file.acquire-lock-interval", "1s");
        Map<String, String> standby = new java.util.HashMap<>(leader);
        standby.put("notifier.state.dir", Files.createDirectories(world.stateDir.resolveSibling("standby")).toString());
        standby.put("notifier.webhook.port", String.valueOf(portB));
        standby.put("openai.api-key", keyB);
        String keyA = leader.get("openai.api-key");
        try (RunningNotifier a = RunningNotifier.start(leader)) {
            world.waitForPolls(2);
            try (RunningNotifier b = RunningNotifier.start(standby)) {
                // the event reaches the standby before the API shows the status it names
                assertEquals(200, Events.send(portB, Events.SECRET, job, "succeeded"));
                await().atMost(DEADLINE).until(() -> fetchesWithKey(job, keyA) >= 2);
                world.api.setStatus(job, "succeeded");
                await().atMost(DEADLINE).until(() -> world.slackPosts(job) == 1 && world.mails(job) == 1);
                world.waitForPolls(3);
            }
        }
        assertEquals(1, world.slackPosts(job), "one Slack post from the two instances");
        assertEquals(1, world.mails(job));
    }

    private long fetchesWithKey(String job, String key) {
        return world.api.requests().stream().filter(r -> r.path().endsWith("/fine_tuning/jobs/" + job))
                .filter(r -> ("Bearer " + key).equals(r.header("Authorization"))).count();
    }
}
