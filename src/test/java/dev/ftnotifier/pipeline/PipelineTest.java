package dev.ftnotifier.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.simulator.RecordedRequest;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole pipeline, booted as a user runs it, against the simulator on 127.0.0.1. */
class PipelineTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String MODEL = "gpt-4o-mini-2024-07-18";

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    private Map<String, String> properties(String... jobs) {
        Map<String, String> p = world.properties(jobs);
        return p;
    }

    private void putJob(String id, String status) {
        world.api.putJob(SimulatedJob.queued(id, MODEL));
        world.api.setStatus(id, status);
    }

    /** {@code count} jobs under way, {@code prefix + 0} ...: a sweep. */
    private String[] runningJobs(String prefix, int count) {
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = prefix + i;
            putJob(ids[i], "running");
        }
        return ids;
    }

    /** The enrichment's pool threads (pool enrich, which Camel names after the circuit breaker it serves). */
    private static List<String> enrichmentThreads() {
        return threadsNamed(name -> name.endsWith("CircuitBreaker"));
    }

    /** The names of this JVM's live threads that {@code name} accepts. */
    private static List<String> threadsNamed(Predicate<String> name) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(name).toList();
    }

    private String path(String jobId) {
        return "/v1/fine_tuning/jobs/" + jobId;
    }

    @Test
    void eachStatusReachesItsBranchAndItsDocument() {
        Map<String, String> eventByStatus = Map.of(
                "failed", "failure", "succeeded", "completion", "cancelled", "cancellation",
                "validating_files", "progress", "queued", "progress", "running", "progress",
                "pausing", "progress", "paused", "progress", "exploding", "progress");
        eventByStatus.keySet().forEach(status -> putJob("ftjob-" + status, status));

        String[] ids = eventByStatus.keySet().stream().map(s -> "ftjob-" + s).toArray(String[]::new);
        try (RunningNotifier ignored = RunningNotifier.start(properties(ids))) {
            await().atMost(DEADLINE).until(() -> Documents.names(world.fileDir).size() == eventByStatus.size());
        }
        eventByStatus.forEach((status, event) -> {
            JsonNode doc = Documents.read(world.fileDir, "ftjob-" + status, status);
            assertEquals(event, doc.get("event").asText(), status);
            assertEquals("ftjob-" + status, doc.get("job_id").asText());
            assertEquals(status, doc.get("status").asText());
            assertEquals(MODEL, doc.get("model").asText());
            assertEquals("ftjob-" + status, doc.get("job").get("id").asText(), "the whole job as the API sent it");
        });
    }

    /**
     * A poll in which many jobs succeeded reads their result files as many at once as it fetches jobs:
     * on Camel's default pool for the enrichment's circuit breaker (10 threads) the eleventh waited
     * for the answers of one of the first ten. Once the burst is over its threads end, 5 s idle,
     * instead of holding their stacks' memory for the minute Camel keeps an idle thread.
     */
    @Test
    void aPollInWhichManyJobsSucceededReadsTheirResultFilesAtOnce() {
        String[] ids = runningJobs("ftjob-sweep-", 16);
        try (RunningNotifier ignored = RunningNotifier.start(properties(ids))) {
            await().atMost(DEADLINE).until(() -> Documents.names(world.fileDir).size() == ids.length);
            // every answer now takes 300 ms: a result file read after another job's enrichment (its
            // result file, then its checkpoints) arrives at least 600 ms after the first
            Duration latency = Duration.ofMillis(300);
            world.api.latency(latency);
            Instant ended = Instant.now();
            for (String id : ids) {
                world.api.setStatus(id, "succeeded");
            }
            await().atMost(DEADLINE).until(() -> Documents.names(world.fileDir).size() == 2 * ids.length);

            List<Instant> resultFiles = world.api.requests().stream()
                    .filter(r -> r.at().isAfter(ended) && r.path().matches("/v1/files/[^/]+/content"))
                    .map(RecordedRequest::at).sorted().toList();
            assertEquals(ids.length, resultFiles.size(), "each succeeded job's result file was read once");
            Duration spread = Duration.between(resultFiles.get(0), resultFiles.get(resultFiles.size() - 1));
            assertTrue(spread.compareTo(latency) < 0, "the " + ids.length + " result files were asked for at once:"
                    + " the first and the last request arrived " + spread.toMillis() + " ms apart");
            // the burst is over: its threads end (idle for 5 s) rather than hold their stacks for a minute
            await("the enrichment's threads end once idle").atMost(Duration.ofSeconds(20))
                    .until(() -> enrichmentThreads().size() <= 1);
        }
    }

    /**
     * The enrichment's pool starts a thread only when every thread it has is busy: jobs that
     * succeed one at a time are enriched on one thread. A pool of notifier.fetch-concurrency core
     * threads started a new one for each of them, until it held one per fetch, idle.
     */
    @Test
    void jobsThatSucceedOneAtATimeAreEnrichedOnOneThread() {
        String[] ids = runningJobs("ftjob-one-by-one-", 5);
        try (RunningNotifier ignored = RunningNotifier.start(properties(ids))) {
            await().atMost(DEADLINE).until(() -> Documents.names(world.fileDir).size() == ids.length);
            for (String id : ids) {
                world.api.setStatus(id, "succeeded");
                await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, id, "succeeded")));
            }
            List<String> enriching = enrichmentThreads();
            assertTrue(enriching.size() <= 2, "threads of the enrichment's pool: " + enriching);
        }
    }

    /**
     * notifier.fetch-concurrency bounds how many jobs a poll fetches at once, and the poll uses
     * them: with every answer taking 300 ms, a request can only follow one of the same thread 300
     * ms later, so no 300 ms holds more arrivals than there are threads (the pool's four, and the
     * queue's reader, which fetches one itself when all four are busy). A pool not sized by the
     * setting, or a reader per setting and a pool as well, sends more; one thread sends one.
     */
    @Test
    void aPollFetchesAsManyJobsAtOnceAsTheFetchConcurrencySays() {
        String[] ids = runningJobs("ftjob-batch-", 24);
        Duration latency = Duration.ofMillis(300);
        world.api.latency(latency);
        Map<String, String> p = properties(ids);
        p.put("notifier.fetch-concurrency", "4");
        try (RunningNotifier ignored = RunningNotifier.start(p)) {
            await().atMost(DEADLINE).until(() -> Documents.names(world.fileDir).size() == ids.length);
        }
        List<Instant> fetches = world.api.requests().stream()
                .filter(r -> r.path().startsWith("/v1/fine_tuning/jobs/ftjob-batch-"))
                .map(RecordedRequest::at).sorted().toList();
        int most = 0;
        for (int i = 0; i < fetches.size(); i++) {
            int within = 0;
            for (int j = i; j < fetches.size() && fetches.get(j).isBefore(fetches.get(i).plus(latency)); j++) {
                within++;
            }
            most = Math.max(most, within);
        }
        assertTrue(most >= 4 && most <= 5, "at most 4 jobs fetched at once by the pool, and one by the queue's"
                + " reader; and at least 4: " + most + " requests arrived within " + latency.toMillis() + " ms");
    }

    /**
     * A job is fetched on every poll until it ends: a route that took a job and never gave it
     * back to the watch list (the XML twin that lost its doFinally) fetched it once and then
     * never again, and its completion was never told.
     */
    @Test
    void aRunningJobIsFetchedOnEveryPollUntilItSucceeds() {
        putJob("ftjob-long", "running");
        world.startClock();
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-long", LocalWorld.CLOCK))) {
            world.waitForFetches("ftjob-long", 3);
            world.api.setStatus("ftjob-long", "succeeded");
            await().atMost(DEADLINE).until(() -> Documents.names(world.fileDir).contains("ftjob-long.succeeded.json"));
            world.waitForPolls(3);
        }
        assertEquals("completion", Documents.read(world.fileDir, "ftjob-long", "succeeded").get("event").asText());
        assertEquals(Set.of("ftjob-long.running.json", "ftjob-long.succeeded.json"),
                Documents.names(world.fileDir).stream().filter(n -> n.startsWith("ftjob-long.")).collect(Collectors.toSet()),
                "one document per status, however many polls saw it");
    }

    @Test
    void documentsCarryTheFactsOfEachOutcome() {
        putJob("ftjob-ok", "succeeded");
        world.api.putJob(SimulatedJob.queued("ftjob-bad", MODEL));
        world.api.fail("ftjob-bad", "invalid_n_examples", "Training file has 5 example(s)", "training_file");
        world.api.putJob(SimulatedJob.queued("ftjob-bare", MODEL).withStatus("failed")
                .withFinishedAt(SimulatedJob.queued("x", MODEL).createdAt()));
        putJob("ftjob-stop", "cancelled");
        putJob("ftjob-run", "running");

        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-ok", "ftjob-bad", "ftjob-bare", "ftjob-stop", "ftjob-run"))) {
            await().atMost(DEADLINE).until(() -> Documents.names(world.fileDir).size() == 5);
        }

        SimulatedJob ok = world.api.job("ftjob-ok");
        JsonNode success = Documents.read(world.fileDir, "ftjob-ok", "succeeded");
        assertEquals(ok.fineTunedModel(), success.get("fine_tuned_model").asText());
        assertEquals(ok.resultFiles(), List.of(success.get("result_files").get(0).asText()));
        assertEquals(ok.trainedTokens().longValue(), success.get("trained_tokens").asLong());
        assertEquals(ok.finishedAt() - ok.createdAt(), success.get("duration_seconds").asLong());
        assertTrue(success.get("error").isNull());
        assertTrue(success.get("summary").asText().contains(ok.fineTunedModel()));

        JsonNode failure = Documents.read(world.fileDir, "ftjob-bad", "failed");
        assertEquals("invalid_n_examples", failure.at("/error/code").asText());
        assertEquals("Training file has 5 example(s)", failure.at("/error/message").asText());
        assertEquals("training_file", failure.at("/error/param").asText());

        JsonNode bare = Documents.read(world.fileDir, "ftjob-bare", "failed");
        assertTrue(bare.at("/error/code").isNull(), "a failure without details still has its error object");
        assertTrue(bare.get("summary").asText().contains("no error details were given"));

        JsonNode cancelled = Documents.read(world.fileDir, "ftjob-stop", "cancelled");
        assertEquals(Instant.ofEpochSecond(world.api.job("ftjob-stop").finishedAt()).toString(),
                cancelled.get("changed_at").asText());

        JsonNode running = Documents.read(world.fileDir, "ftjob-run", "running");
        assertEquals(Instant.ofEpochSecond(world.api.job("ftjob-run").estimatedFinish()).toString(),
                running.get("estimated_finish").asText());
        for (String name : Documents.names(world.fileDir)) {
            assertTrue(name.endsWith(".json"), "no temporary file is left behind: " + name);
        }
    }

    @Test
    void aStatusIsWrittenOnceAcrossPollsAndRestarts() throws IOException {
        putJob("ftjob-1", "running");
        putJob("ftjob-other", "running");
        Map<String, String> props = properties("ftjob-1", "ftjob-other");
        Path running = Documents.path(world.fileDir, "ftjob-1", "running");

        try (RunningNotifier ignored = RunningNotifier.start(props)) {
            await().atMost(DEADLINE).until(() -> Files.exists(running));
            // a second write would bring the file back: delete it and let several polls pass
            Files.delete(running);
            world.waitForFetches("ftjob-1", 3);
            assertFalse(Files.exists(running), "the same status on the next polls writes nothing");
        }

        try (RunningNotifier ignored = RunningNotifier.start(props)) {
            world.waitForFetches("ftjob-1", 3);
            assertFalse(Files.exists(running), "nor after a restart with the same state dir");

            world.api.setStatus("ftjob-1", "succeeded");
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-1", "succeeded")));
        }
    }

    @Test
    void withoutTheWebhookReceiverNoThreadWaitsForItsEvents() {
        putJob("ftjob-w", "running");
        try (RunningNotifier notifier = RunningNotifier.start(properties("ftjob-w"))) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-w", "running")));
            assertEquals(ServiceStatus.Stopped, notifier.context().getRouteController().getRouteStatus("webhook-job"));
            List<String> waiting = threadsNamed(name -> name.contains("webhook-job"));
            assertEquals(List.of(), waiting, "no consumer of the webhook follow-ups while the receiver is off");
        }
    }

    @Test
    void aFinishedJobIsNoLongerFetched() {
        putJob("ftjob-done", "failed");
        putJob("ftjob-busy", "running");
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-done", "ftjob-busy"))) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-done", "failed")));
            long busy = world.api.requestCount(path("ftjob-busy"));
            long done = world.api.requestCount(path("ftjob-done"));
            await().atMost(DEADLINE).until(() -> world.api.requestCount(path("ftjob-busy")) >= busy + 4);
            // at most the fetch that was already under way when it finished
            assertTrue(world.api.requestCount(path("ftjob-done")) <= done + 1, "a terminal, delivered job is not fetched again");
        }
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-done", "ftjob-busy"))) {
            long busy = world.api.requestCount(path("ftjob-busy"));
            long done = world.api.requestCount(path("ftjob-done"));
            await().atMost(DEADLINE).until(() -> world.api.requestCount(path("ftjob-busy")) >= busy + 3);
            assertEquals(done, world.api.requestCount(path("ftjob-done")), "nor after a restart");
        }
    }

    @Test
    void theRequestCarriesTheKeyTheOrganizationTheProjectAndOurName() {
        world.api.requireApiKey("test-key-not-a-secret");
        putJob("ftjob-h", "running");
        Map<String, String> props = properties("ftjob-h");
        props.put("openai.organization", "org-test");
        props.put("openai.project", "proj_test");
        try (RunningNotifier ignored = RunningNotifier.start(props)) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-h", "running")));
        }
        RecordedRequest request = world.api.requests().get(0);
        assertEquals("GET", request.method());
        assertEquals(path("ftjob-h"), request.path());
        assertEquals("Bearer test-key-not-a-secret", request.header("Authorization"));
        assertEquals("org-test", request.header("OpenAI-Organization"));
        assertEquals("proj_test", request.header("OpenAI-Project"));
        assertTrue(request.header("User-Agent").matches("fine-tuning-notifier/\\S+"), request.header("User-Agent"));
        Set<String> expected = Set.of("authorization", "openai-organization", "openai-project", "user-agent", "accept",
                "accept-encoding", "host", "connection");
        Set<String> sent = request.headers().keySet().stream().map(String::toLowerCase).collect(Collectors.toSet());
        assertEquals(expected, sent, "no stray headers from the route leak into the request");
    }

    @Test
    void organizationAndProjectAreLeftOutWhenNotSet() {
        putJob("ftjob-h", "running");
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-h"))) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-h", "running")));
        }
        RecordedRequest request = world.api.requests().get(0);
        assertNull(request.header("OpenAI-Organization"));
        assertNull(request.header("OpenAI-Project"));
    }

    @Test
    void aBadBodyOrAMissingJobSkipsOnlyThatJob() {
        world.api.putJob("ftjob-garbage", "<html>502 Bad Gateway</html>");
        world.api.putJob("ftjob-array", "[1,2,3]");
        world.api.putJob("ftjob-other-id", "{\"object\":\"fine_tuning.job\",\"id\":\"ftjob-someone-else\",\"status\":\"failed\"}");
        world.api.putJob("ftjob-no-status", "{\"object\":\"fine_tuning.job\",\"id\":\"ftjob-no-status\"}");
        putJob("ftjob-fine", "succeeded");
        try (RunningNotifier ignored = RunningNotifier.start(
                properties("ftjob-garbage", "ftjob-array", "ftjob-other-id", "ftjob-no-status", "ftjob-missing", "ftjob-fine"))) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-fine", "succeeded")));
            world.waitForFetches("ftjob-garbage", 2);
            assertTrue(world.api.requestCount(path("ftjob-missing")) >= 2, "a 404 job does not stop the poll");
        }
        assertEquals(List.of("ftjob-fine.succeeded.json"), Documents.names(world.fileDir));
    }

    @Test
    void jobsFromTheJobsFileAreWatchedAndReReadEveryPoll() throws IOException {
        putJob("ftjob-a", "failed");
        putJob("ftjob-b", "succeeded");
        Path jobsFile = world.stateDir.resolve("jobs.txt");
        Files.writeString(jobsFile, "# jobs to watch\nftjob-a\n");
        Map<String, String> props = properties();
        props.put("notifier.jobs-file", jobsFile.toString());
        try (RunningNotifier ignored = RunningNotifier.start(props)) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-a", "failed")));
            Files.writeString(jobsFile, "ftjob-a\nftjob-b   # added while running\nbad/id\n");
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-b", "succeeded")));
        }
    }

    @Test
    void statusFilterLimitsTheFileChannel() {
        putJob("ftjob-run", "running");
        putJob("ftjob-fail", "failed");
        Map<String, String> props = properties("ftjob-run", "ftjob-fail");
        props.put("notifier.file.statuses", "failed,succeeded");
        try (RunningNotifier ignored = RunningNotifier.start(props)) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-fail", "failed")));
            world.waitForFetches("ftjob-run", 2);
        }
        assertEquals(List.of("ftjob-fail.failed.json"), Documents.names(world.fileDir));
    }
}
