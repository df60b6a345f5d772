package dev.ftnotifier.pipeline;

import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.FineTuningApiSimulator.Fault;
import dev.ftnotifier.simulator.RecordedRequest;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.LogLines;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the notifier does with each way the API can fail (SPEC.md, "Bad input gets a clear answer"). */
class ApiFaultsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    @RegisterExtension
    final LogLines log = new LogLines();

    private Map<String, String> properties(String... jobs) {
        Map<String, String> p = world.properties(jobs);
        return p;
    }

    private void putJob(String id, String status) {
        world.api.putJob(SimulatedJob.queued(id, "gpt-4o-mini"));
        world.api.setStatus(id, status);
    }

    private static String path(String id) {
        return "/v1/fine_tuning/jobs/" + id;
    }

    private List<RecordedRequest> requestsFor(String id) {
        return world.api.requests().stream().filter(r -> r.path().equals(path(id))).toList();
    }

    @Test
    void serverErrorsAndDroppedConnectionsAreRetriedWithinThePoll() {
        putJob("ftjob-1", "failed");
        world.api.failNext("ftjob-1", 1, Fault.status(503));
        world.api.failNext("ftjob-1", 1, Fault.cutOff());
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-1"))) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-1", "failed")));
        }
        List<RecordedRequest> requests = requestsFor("ftjob-1");
        // 503, cut off, then the answer: three requests, backing off between them
        assertTrue(requests.size() >= 3);
        assertTrue(Duration.between(requests.get(0).at(), requests.get(1).at()).toMillis() >= 350, "backs off");
        assertTrue(Duration.between(requests.get(1).at(), requests.get(2).at()).toMillis() >= 700, "and backs off more");
    }

    @Test
    void aTooManyRequestsAnswerPausesEveryRequestForItsRetryAfter() {
        putJob("ftjob-1", "running");
        putJob("ftjob-2", "running");
        world.api.failNext("ftjob-1", 1, Fault.retryAfterSeconds(429, 2));
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-1", "ftjob-2"))) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-1", "running")));
        }
        RecordedRequest limited = requestsFor("ftjob-1").get(0);
        // nothing but what was already in flight within the second the 429 came, then quiet for its Retry-After
        List<RecordedRequest> during = world.api.requests().stream()
                .filter(r -> r.at().isAfter(limited.at().plusMillis(300)) && r.at().isBefore(limited.at().plusMillis(1_900)))
                .toList();
        assertEquals(List.of(), during, "no request while the API asked us to wait");
        assertTrue(requestsFor("ftjob-1").size() >= 2, "and the job is fetched after the pause");
    }

    @Test
    void anExhaustedQuotaIsNotWaitedOutAndNothingIsNotified() {
        putJob("ftjob-1", "failed");
        world.api.failNext("ftjob-1", 1000, Fault.status(429, "insufficient_quota"));
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-1"))) {
            // the normal poll rate (200 ms here) goes on: no back-off for a quota
            await().atMost(DEADLINE).until(() -> requestsFor("ftjob-1").size() >= 8);
        }
        assertEquals(List.of(), Documents.names(world.fileDir));
    }

    @Test
    void aRejectedKeyNotifiesNothingAndPollingGoesOnWithOneLinePerPoll() {
        putJob("ftjob-1", "failed");
        putJob("ftjob-2", "failed");
        world.startClock();
        world.api.requireApiKey("another-key");
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-1", "ftjob-2", LocalWorld.CLOCK))) {
            world.waitForPolls(5);
        }
        assertEquals(List.of(), Documents.names(world.fileDir));
        // three jobs rejected on every poll, said once per poll (the clock job is fetched once per poll)
        long polls = world.fetches(LocalWorld.CLOCK);
        long lines = log.containing("API key rejected by " + world.api.baseUrl(), "HTTP 401").size();
        assertTrue(lines >= polls - 1 && lines <= polls + 1, lines + " lines for " + polls + " polls");
        assertTrue(log.all().stream().noneMatch(l -> l.contains("another-key") || l.contains("test-key-not-a-secret")),
                "neither key is logged");
    }

    @Test
    void anExhaustedQuotaIsSaidOncePerPoll() {
        putJob("ftjob-1", "failed");
        putJob("ftjob-2", "failed");
        world.startClock();
        for (String id : List.of("ftjob-1", "ftjob-2", LocalWorld.CLOCK)) {
            world.api.failNext(id, 1000, Fault.status(429, "insufficient_quota"));
        }
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-1", "ftjob-2", LocalWorld.CLOCK))) {
            world.waitForPolls(5);
        }
        long polls = world.fetches(LocalWorld.CLOCK);
        long lines = log.containing("quota exhausted at", "waiting will not help").size();
        assertTrue(lines >= polls - 1 && lines <= polls + 1, lines + " lines for " + polls + " polls");
    }

    @Test
    void aMissingJobIsSaidOnceUntilItIsFound() {
        putJob("ftjob-2", "running");
        world.startClock();
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-gone", "ftjob-2", LocalWorld.CLOCK))) {
            world.waitForPolls(4);
            assertEquals(1, log.containing("job ftjob-gone not found (HTTP 404").size(), "said once");
            putJob("ftjob-gone", "running");
            log.awaitLine("job ftjob-gone is found again");
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-gone", "running")));
        }
        assertTrue(Files.exists(Documents.path(world.fileDir, "ftjob-2", "running")), "the other job went on");
    }

    @Test
    void oneSlowJobHoldsUpNeitherTheOthersNorTheNextPoll() {
        putJob("ftjob-slow", "running");
        putJob("ftjob-fast", "running");
        world.api.failNext("ftjob-slow", 1000, Fault.delay(Duration.ofSeconds(3)));
        Map<String, String> p = properties("ftjob-slow", "ftjob-fast");
        p.put("openai.read-timeout-ms", "10000");
        try (RunningNotifier ignored = RunningNotifier.start(p)) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-fast", "running")));
            long slowFetches = requestsFor("ftjob-slow").size();
            // polls go on every 200 ms for the fast job while the slow one is still waiting for its answer
            await().atMost(Duration.ofSeconds(2)).until(() -> requestsFor("ftjob-fast").size() >= 5);
            assertEquals(slowFetches, requestsFor("ftjob-slow").size(), "a job being fetched is not fetched again meanwhile");
            // the polls that found the slow job still in flight (5 or more) said so once, not once each
            assertEquals(1, log.containing("a poll takes longer than the poll interval", "still being fetched").size(),
                    () -> String.join("\n", log.all()));
        }
    }

    @Test
    void aReadTimeoutIsRetriedAndDoesNotLoseTheStatus() {
        putJob("ftjob-1", "succeeded");
        world.api.failNext("ftjob-1", 1, Fault.delay(Duration.ofSeconds(2)));
        Map<String, String> p = properties("ftjob-1");
        p.put("openai.read-timeout-ms", "300");
        try (RunningNotifier ignored = RunningNotifier.start(p)) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-1", "succeeded")));
        }
        // the first answer would have come after 2 s: the retry started long before, so the read timed out
        List<RecordedRequest> requests = requestsFor("ftjob-1");
        assertTrue(requests.size() >= 2, "tried again after the timeout");
        assertTrue(Duration.between(requests.get(0).at(), requests.get(1).at()).toMillis() < 1_700,
                "the second request did not wait for the slow answer");
    }

    @Test
    void aHugeBodyIsRefusedWithoutTouchingTheOtherJobs() {
        world.api.putJob("ftjob-huge", "{\"id\":\"ftjob-huge\",\"status\":\"failed\",\"x\":\"" + "a".repeat(2 << 20) + "\"}");
        putJob("ftjob-ok", "failed");
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-huge", "ftjob-ok"))) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-ok", "failed")));
            long seen = requestsFor("ftjob-huge").size();
            await().atMost(DEADLINE).until(() -> requestsFor("ftjob-huge").size() >= seen + 2);
        }
        assertEquals(List.of("ftjob-ok.failed.json"), Documents.names(world.fileDir));
    }

    @Test
    void aTooManyRequestsAnswerToTheJobListPausesEveryRequestToo() {
        putJob("ftjob-1", "running");
        world.api.failNext(FineTuningApiSimulator.LIST, 1, Fault.retryAfterSeconds(429, 2));
        Map<String, String> p = properties();
        p.put("notifier.discover", "true");
        try (RunningNotifier ignored = RunningNotifier.start(p)) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-1", "running")));
        }
        RecordedRequest limited = world.api.requests().get(0);
        assertEquals("/v1/fine_tuning/jobs", limited.path());
        RecordedRequest next = world.api.requests().get(1);
        assertTrue(Duration.between(limited.at(), next.at()).toMillis() >= 1_900, "the next request waited out Retry-After");
        log.awaitLine("rate limited by " + world.api.baseUrl() + " (HTTP 429", "no requests until");
    }
}
