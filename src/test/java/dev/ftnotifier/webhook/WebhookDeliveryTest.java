package dev.ftnotifier.webhook;

import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events through the running notifier to Slack, email and the file channel: the same exactly-once
 * keys as polling, jobs not in notifier.jobs, a status the API does not show yet, and replays and
 * unfinished events across a restart.
 */
class WebhookDeliveryTest {

    @RegisterExtension
    LocalWorld world = new LocalWorld();

    private final int port = Events.freePort();

    /** Every channel on, nothing in notifier.jobs, discovery off: only the events name jobs. */
    private Map<String, String> settings(String pollInterval) {
        Map<String, String> p = Events.receiverOn(world.allChannels(), Events.SECRET, port);
        p.put("notifier.poll-interval", pollInterval);
        return p;
    }

    @Test
    void anEventAndPollsForTheSameStatusNotifyOncePerChannel() {
        String job = "ftjob-wh-and-poll";
        world.putJob(job, "failed");
        world.startClock();
        Map<String, String> p = settings("200");
        p.put("notifier.jobs", LocalWorld.CLOCK);
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            String id = Events.newId();
            assertEquals(200, Events.send(port, Events.SECRET, id, job, "failed"));
            // OpenAI's retry of the same event, and a second event for the same status
            assertEquals(200, Events.send(port, Events.SECRET, id, job, "failed"));
            assertEquals(200, Events.send(port, Events.SECRET, job, "failed"));
            await().atMost(Duration.ofSeconds(20)).until(() -> world.slackPosts(job) >= 1 && world.mails(job) >= 1
                    && Documents.names(world.fileDir).contains(job + ".failed.json"));
            // polls pass with the job in the watch list (it joined it with the event), and tell nothing more
            world.waitForPolls(5);
            assertEquals(1, world.slackPosts(job));
            assertEquals(1, world.mails(job));
            assertEquals(1, Documents.names(world.fileDir).stream().filter(n -> n.startsWith(job + ".")).count());
        }
    }

    @Test
    void aStatusTheApiDoesNotShowYetIsFetchedAgainUntilItDoes() {
        String job = "ftjob-wh-late";
        world.putJob(job, "running");
        // no poll within the test: what arrives comes from the event's own follow-up
        try (RunningNotifier notifier = RunningNotifier.start(settings("3600000"))) {
            assertEquals(200, Events.send(port, Events.SECRET, job, "succeeded"));
            await().atMost(Duration.ofSeconds(10)).until(() -> world.fetches(job) >= 2);
            assertEquals(0, world.slackPosts(job), "running is no news for Slack");
            world.api.setStatus(job, "succeeded");
            await().atMost(Duration.ofSeconds(20)).until(() -> world.slackPosts(job) == 1 && world.mails(job) == 1);
            assertTrue(Documents.names(world.fileDir).contains(job + ".succeeded.json"));
        }
    }

    @Test
    void aReplayedEventAfterARestartDoesNothingAndAnUnfinishedOneIsFollowedAfterIt() {
        String done = "ftjob-wh-done";
        String later = "ftjob-wh-later";
        String witness = "ftjob-wh-witness";
        world.putJob(done, "cancelled");
        world.putJob(later, "running");
        world.putJob(witness, "failed");
        String doneId = Events.newId();
        try (RunningNotifier first = RunningNotifier.start(settings("3600000"))) {
            assertEquals(200, Events.send(port, Events.SECRET, doneId, done, "cancelled"));
            assertEquals(200, Events.send(port, Events.SECRET, later, "succeeded"));
            await().atMost(Duration.ofSeconds(20)).until(() -> world.slackPosts(done) == 1 && world.fetches(later) >= 1);
        }
        long fetchesOfDone = world.fetches(done);
        // the job ends while the notifier is down
        world.api.setStatus(later, "succeeded");
        try (RunningNotifier second = RunningNotifier.start(settings("3600000"))) {
            // the event recorded before the restart is followed: its job is polled at start
            await().atMost(Duration.ofSeconds(20)).until(() -> world.slackPosts(later) == 1 && world.mails(later) == 1);
            // OpenAI retries the first event: answered, nothing else
            assertEquals(200, Events.send(port, Events.SECRET, doneId, done, "cancelled"));
            assertEquals(200, Events.send(port, Events.SECRET, witness, "failed"));
            await().atMost(Duration.ofSeconds(20)).until(() -> world.slackPosts(witness) == 1);
            assertEquals(1, world.slackPosts(done));
            assertEquals(1, world.mails(done));
            assertEquals(fetchesOfDone, world.fetches(done), "the replayed event fetched nothing");
        }
    }

    private static java.util.List<String> readLines(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The simulator as OpenAI: a job ends, its signed event is POSTed, and Slack hears of it with no poll at all. */
    @Test
    void theSimulatorsEventForAJobThatEndsIsDeliveredWithoutAPoll() {
        String job = "ftjob-wh-simulated";
        world.putJob(job, "running");
        try (RunningNotifier notifier = RunningNotifier.start(settings("3600000"))) {
            world.api.sendWebhooksTo(Events.url(port), Events.SECRET);
            world.api.setStatus(job, "cancelled");
            await().atMost(Duration.ofSeconds(20)).until(() -> world.slackPosts(job) == 1 && world.mails(job) == 1);
            assertEquals(Map.of(200, 1L), world.api.webhookAnswers());
            assertEquals(1, world.fetches(job), "fetched once, for its event");
        }
    }

    @Test
    void otherEventTypesAreAnsweredAndIgnored() {
        try (RunningNotifier notifier = RunningNotifier.start(settings("3600000"))) {
            String body = "{\"id\":\"evt_1\",\"type\":\"batch.completed\",\"data\":{\"id\":\"batch_abc\"}}";
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (int i = 0; i < 3; i++) {
                assertEquals(200, Events.post(Events.url(port), Events.signedHeaders(Events.SECRET, Events.newId(), bytes), bytes)
                        .statusCode());
            }
            assertEquals(0, world.api.requests().size(), "nothing fetched");
            // recorded (their ids are deduplicated too) with no job: none is watched after a restart
            java.util.List<String> recorded = readLines(world.stateDir.resolve("webhook-events.log"));
            assertEquals(3, recorded.size());
            assertTrue(recorded.stream().allMatch(l -> l.endsWith(" -")), recorded.toString());
        }
    }
}
