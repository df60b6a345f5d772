package dev.ftnotifier.pipeline;

import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.LogLines;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each (job, status, channel) is delivered once: across failures, polls and restarts. */
class ExactlyOnceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    @RegisterExtension
    final LogLines log = new LogLines();

    private Map<String, String> properties(String... jobs) {
        return world.allChannels(jobs);
    }

    private long mails(String jobId) {
        return world.mails(jobId);
    }

    private long slackPosts(String jobId) {
        return world.slackPosts(jobId);
    }

    @Test
    void slackFailingThreeTimesThenSucceedingGivesOnePostOneMailOneFile() throws Exception {
        world.api.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
        world.api.setStatus("ftjob-1", "succeeded");
        world.slack.failNext(3, 500);
        world.startClock();
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-1", LocalWorld.CLOCK))) {
            await().atMost(DEADLINE).until(() -> slackPosts("ftjob-1") == 1);
            // the job is finished now: let three polls pass and see it no longer fetched, nothing more sent
            long fetches = world.fetches("ftjob-1");
            world.waitForPolls(3);
            assertTrue(world.fetches("ftjob-1") <= fetches + 1, "finished: no longer fetched");
        }
        assertEquals(4, world.slack.attempts(), "three rejected posts (tried again within the poll), then one accepted");
        assertEquals(1, slackPosts("ftjob-1"));
        assertEquals(1, mails("ftjob-1"));
        assertEquals(List.of(), log.containing("possible duplicate"),
                "Slack answered 500 each time: it did not take those posts, so no retry may be a duplicate");
        assertEquals(List.of("ftjob-1.succeeded.json"),
                Documents.names(world.fileDir).stream().filter(n -> n.startsWith("ftjob-1.")).toList());
    }

    @Test
    void aDeliveryPendingWhenItsJobMovesOnIsDroppedInOneLineAndNothingStaysPending() throws Exception {
        world.api.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
        world.api.setStatus("ftjob-1", "running");
        world.slack.failRandomly(1.0, 1L);
        world.startClock();
        Map<String, String> props = properties("ftjob-1", LocalWorld.CLOCK);
        props.put("notifier.slack.statuses", "*");
        Path status = world.stateDir.resolve("status.json");
        try (RunningNotifier ignored = RunningNotifier.start(props)) {
            log.awaitLine("job ftjob-1 (running)", "pending");
            world.api.setStatus("ftjob-1", "succeeded");
            log.awaitLine("job ftjob-1 (succeeded)", "pending");
            world.slack.failRandomly(0, 1L);
            String dropped = log.awaitLine("delivery ftjob-1|running|slack was not made before its job moved on");
            assertTrue(dropped.contains(" WARN "), dropped);
            // nothing pending any more: what status.json, the poll's line and the pending gauge read
            await().atMost(DEADLINE).until(() -> Files.exists(status) && Files.readString(status).contains("\"pending\" : [ ]")
                    && world.slackPosts("ftjob-1") == 1);
        }
        assertEquals(List.of("succeeded"), world.slack.posts().stream().map(p -> p.get("text").asText())
                .filter(t -> t.contains("ftjob-1 ")).map(t -> t.contains("succeeded") ? "succeeded" : t).toList(),
                "the newer status is told, the one the job left is not");
        assertEquals(1, log.containing("ftjob-1|running|slack was not made").size(), "said once");
    }

    @Test
    void aJobMovingThroughStatusesAcrossRestartsIsToldEachStatusOnce() {
        world.api.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
        Map<String, String> props = properties("ftjob-1");
        props.put("notifier.slack.statuses", "*");
        props.put("notifier.email.statuses", "*");
        for (String status : List.of("queued", "running", "paused", "running", "failed")) {
            world.api.setStatus("ftjob-1", status);
            try (RunningNotifier ignored = RunningNotifier.start(props)) {
                await().atMost(DEADLINE).until(() -> world.slack.posts().stream()
                        .anyMatch(p -> p.get("text").asText().contains(status)));
                long seen = world.api.requestCount("/v1/fine_tuning/jobs/ftjob-1");
                if (!status.equals("failed")) {
                    await().atMost(DEADLINE).until(() -> world.api.requestCount("/v1/fine_tuning/jobs/ftjob-1") >= seen + 2);
                }
            }
        }
        // running came back after paused: it is the same (job, status), told once
        assertEquals(4, world.slack.posts().size(), "queued, running, paused, failed");
        assertEquals(4, world.smtp.getReceivedMessages().length);
        assertEquals(List.of("ftjob-1.failed.json", "ftjob-1.paused.json", "ftjob-1.queued.json", "ftjob-1.running.json"),
                Documents.names(world.fileDir));
    }

    @Test
    void aDeliveryCutOffByAStopIsMadeOnceAfterTheRestart() {
        world.api.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
        world.api.setStatus("ftjob-1", "failed");
        world.slack.hangNext(1);
        world.startClock();
        RunningNotifier first = RunningNotifier.start(properties("ftjob-1", LocalWorld.CLOCK));
        CompletableFuture<Void> stopping;
        try {
            await().atMost(DEADLINE).until(() -> world.slack.attempts() == 1);
            // stop while the Slack post hangs; the hang then ends with a dropped connection,
            // and the stop lets the delivery finish or leaves it pending
            stopping = CompletableFuture.runAsync(first::close);
            world.slack.releaseHangs();
            stopping.join();
        } finally {
            first.close();
        }
        assertTrue(slackPosts("ftjob-1") <= 1);
        assertEquals(1, mails("ftjob-1"), "email was delivered before the stop");

        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-1", LocalWorld.CLOCK))) {
            await().atMost(DEADLINE).until(() -> slackPosts("ftjob-1") == 1);
            long seen = world.fetches("ftjob-1");
            world.waitForPolls(3);
            assertTrue(world.fetches("ftjob-1") <= seen + 1, "finished once delivered: no longer fetched");
        }
        assertEquals(1, slackPosts("ftjob-1"));
        assertEquals(1, mails("ftjob-1"), "email was not sent again");
    }
}
