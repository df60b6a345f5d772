package dev.ftnotifier.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Quartz-scheduled routes (routes/poll.camel.yaml, routes/schedules.camel.yaml) against the simulator. */
class SchedulesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String EVERY_SECOND = "0/1 * * ? * *";

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    /** Counts the exchanges a route completed: how many times a schedule fired and its work finished. */
    static final class Fired extends EventNotifierSupport {
        private final String routeId;
        private final AtomicLong count = new AtomicLong();

        Fired(String routeId) {
            this.routeId = routeId;
        }

        static Fired on(RunningNotifier notifier, String routeId) {
            Fired fired = new Fired(routeId);
            notifier.context().getManagementStrategy().addEventNotifier(fired);
            fired.start();
            return fired;
        }

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeCompletedEvent done && routeId.equals(done.getExchange().getFromRouteId())) {
                count.incrementAndGet();
            }
        }

        /** Waits until the route completed {@code times} more exchanges. */
        void waitFor(int times) {
            long seen = count.get();
            await().atMost(DEADLINE).until(() -> count.get() >= seen + times);
        }
    }

    private Map<String, String> stuckSettings(String after, String... jobs) {
        Map<String, String> p = world.allChannels(jobs);
        p.put("notifier.stuck.after", after);
        p.put("notifier.stuck.cron", EVERY_SECOND);
        return p;
    }

    private List<JsonNode> stuckPosts(String jobId) {
        return world.slack.posts().stream()
                .filter(p -> p.get("text").asText().contains(jobId + " ") && p.get("text").asText().contains("stuck")).toList();
    }

    private List<String> stuckDocuments(String jobId) {
        return Documents.names(world.fileDir).stream().filter(n -> n.startsWith(jobId + ".stuck-")).toList();
    }

    @Test
    void withPollCronSetPollingRunsOnTheCronAndNotOnTheInterval() {
        world.startClock();
        Map<String, String> p = world.properties(LocalWorld.CLOCK);
        p.put("notifier.poll-interval", "1h");
        p.put("notifier.poll-cron", EVERY_SECOND);
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            // an hour's interval would have fetched it once
            world.waitForPolls(3);
            assertEquals(ServiceStatus.Stopped, notifier.context().getRouteController().getRouteStatus("poll"));
            assertEquals(ServiceStatus.Started, notifier.context().getRouteController().getRouteStatus("poll-cron"));
        }
    }

    @Test
    void withoutPollCronTheCronRouteStaysStopped() {
        world.startClock();
        try (RunningNotifier notifier = RunningNotifier.start(world.properties(LocalWorld.CLOCK))) {
            world.waitForPolls(2);
            assertEquals(ServiceStatus.Stopped, notifier.context().getRouteController().getRouteStatus("poll-cron"));
        }
    }

    @Test
    void aStuckJobIsToldOnceAndNeverAgainAcrossRestarts() {
        world.putJob("ftjob-slow", "queued");
        Map<String, String> p = stuckSettings("2s", "ftjob-slow");
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            await().atMost(DEADLINE).until(() -> stuckPosts("ftjob-slow").size() == 1);
            Fired.on(notifier, "stuck-check").waitFor(3);
        }
        String text = stuckPosts("ftjob-slow").get(0).get("text").asText();
        assertTrue(text.contains("ftjob-slow") && text.contains("stuck") && text.contains("queued for "), text);
        assertEquals(1, stuckDocuments("ftjob-slow").size());
        JsonNode doc = Documents.read(world.fileDir, "ftjob-slow", stuckDocuments("ftjob-slow").get(0)
                .substring("ftjob-slow.".length()).replace(".json", ""));
        assertEquals("stuck", doc.get("event").asText());
        assertEquals("queued", doc.get("status").asText());
        assertEquals(1, world.mails("ftjob-slow"), "email takes stuck by default");

        // still queued after a restart: the same episode, not told again
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            Fired checks = Fired.on(notifier, "stuck-check");
            world.waitForFetches("ftjob-slow", 2);
            checks.waitFor(3);
        }
        assertEquals(1, stuckPosts("ftjob-slow").size());
        assertEquals(1, stuckDocuments("ftjob-slow").size());
        assertEquals(1, world.mails("ftjob-slow"));
    }

    @Test
    void aJobThatKeepsMovingIsNeverStuck() {
        world.putJob("ftjob-busy", "validating_files");
        try (RunningNotifier notifier = RunningNotifier.start(stuckSettings("3s", "ftjob-busy"))) {
            Fired checks = Fired.on(notifier, "stuck-check");
            for (String status : List.of("queued", "running", "paused", "running", "succeeded")) {
                world.waitForFetches("ftjob-busy", 5);
                world.api.setStatus("ftjob-busy", status);
            }
            await().atMost(DEADLINE).until(() -> world.slackPosts("ftjob-busy") == 1);
            checks.waitFor(3);
        }
        assertEquals(List.of(), stuckPosts("ftjob-busy"));
        assertEquals(List.of(), stuckDocuments("ftjob-busy"));
    }

    @Test
    void aJobRunningLongPastItsEstimateIsStuck() {
        long estimate = Instant.now().minusSeconds(600).getEpochSecond();
        world.api.putJob(SimulatedJob.queued("ftjob-late", LocalWorld.MODEL));
        world.api.setStatus("ftjob-late", "running");
        world.api.putJob(world.api.job("ftjob-late").withEstimatedFinish(estimate));
        Map<String, String> p = stuckSettings("24h", "ftjob-late");
        p.put("notifier.stuck.past-estimate", "5m");
        try (RunningNotifier ignored = RunningNotifier.start(p)) {
            await().atMost(DEADLINE).until(() -> stuckPosts("ftjob-late").size() == 1);
        }
        String text = stuckPosts("ftjob-late").get(0).get("text").asText();
        assertTrue(text.contains("running for ") && text.contains("Estimated to finish"), text);
    }

    @Test
    void aStatusDeliveredBeforeMaintenanceIsNeverSentAgain() throws Exception {
        world.putJob("ftjob-kept", "running");
        world.putJob("ftjob-done", "succeeded");
        Map<String, String> p = world.allChannels("ftjob-kept", "ftjob-done");
        p.put("notifier.slack.statuses", "*");
        p.put("notifier.maintenance.cron", EVERY_SECOND);
        p.put("notifier.state.retention", "1s");
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            await().atMost(DEADLINE).until(() -> world.slackPosts("ftjob-kept") == 1 && world.slackPosts("ftjob-done") == 1);
            Fired.on(notifier, "maintenance").waitFor(2);
        }
        String journal = Files.readString(world.stateDir.resolve("deliveries.log"));
        assertTrue(journal.lines().allMatch(l -> l.startsWith("sent ")), journal);
        assertTrue(Files.readString(world.stateDir.resolve("finished-jobs.log")).contains("ftjob-done "),
                "a finished job still watched is not forgotten");

        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            Fired maintenance = Fired.on(notifier, "maintenance");
            world.waitForFetches("ftjob-kept", 3);
            maintenance.waitFor(2);
            world.waitForFetches("ftjob-kept", 2);
        }
        assertEquals(1, world.slackPosts("ftjob-kept"));
        assertEquals(1, world.slackPosts("ftjob-done"));
        assertEquals(1, world.mails("ftjob-done"));
    }

    private List<String> digestPosts() {
        return world.slack.posts().stream().map(p -> p.get("text").asText()).filter(t -> t.startsWith("Fine-tuning digest")).toList();
    }

    private long digestsListing(String jobId) {
        return digestPosts().stream().filter(t -> t.contains("- " + jobId + " (")).count();
    }

    private long digestMails() {
        return java.util.Arrays.stream(world.smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().startsWith("[fine-tuning] digest");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).count();
    }

    @Test
    void oneDigestPerPeriodWithTheJobsThatFinishedInItAcrossARestart() {
        world.putJob("ftjob-won", "succeeded");
        world.api.putJob(SimulatedJob.queued("ftjob-lost", LocalWorld.MODEL));
        world.api.fail("ftjob-lost", "invalid_n_examples", "Training file has 5 example(s)", "training_file");
        world.putJob("ftjob-going", "running");
        world.putJob("ftjob-after", "running");
        Map<String, String> p = world.allChannels("ftjob-won", "ftjob-lost", "ftjob-going", "ftjob-after");
        p.put("notifier.digest.cron", "0/3 * * ? * *");
        p.put("notifier.stuck.after", "0");
        try (RunningNotifier ignored = RunningNotifier.start(p)) {
            await().atMost(DEADLINE).until(() -> digestsListing("ftjob-won") == 1 && digestsListing("ftjob-lost") == 1);
        }
        String first = digestPosts().stream().filter(t -> t.contains("- ftjob-won (")).findFirst().orElseThrow();
        assertTrue(first.contains("Succeeded (") && first.contains(world.api.job("ftjob-won").fineTunedModel()), first);
        assertTrue(digestPosts().stream().anyMatch(t -> t.contains("Failed (") && t.contains("invalid_n_examples")), digestPosts().toString());
        assertTrue(first.contains("ftjob-going: running for "), first);

        // a restart inside a period: what finished before it is not told again, what finishes after it is
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            world.api.setStatus("ftjob-after", "succeeded");
            await().atMost(DEADLINE).until(() -> digestsListing("ftjob-after") == 1);
            Fired.on(notifier, "digest").waitFor(2);
            await().atMost(DEADLINE).until(() -> digestMails() == digestPosts().size());
        }
        assertEquals(1, digestsListing("ftjob-won"));
        assertEquals(1, digestsListing("ftjob-lost"));
        assertEquals(1, digestsListing("ftjob-after"));
        List<String> periods = digestPosts().stream().map(t -> t.substring(0, t.indexOf("Z: ") + 1)).toList();
        assertEquals(periods.size(), periods.stream().distinct().count(), "one digest per period: " + periods);
        assertTrue(digestPosts().stream().noneMatch(t -> t.contains(" 0 finished,") && t.contains(" 0 stuck, 0 pending")),
                "an empty period sends nothing: " + digestPosts());
    }
}
