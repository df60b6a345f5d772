package dev.ftnotifier.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.simulator.RecordedRequest;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code notifier.discover=true}, booted as a user runs it, against the simulator's job list. */
class DiscoveryTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String MODEL = "gpt-4o-mini-2024-07-18";
    private static final String LIST = "/v1/fine_tuning/jobs";
    private static final long LONG_AGO = Instant.now().minus(Duration.ofDays(90)).getEpochSecond();
    private static final List<String> TERMINAL = List.of("succeeded", "failed", "cancelled");

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    private Map<String, String> properties(String... jobs) {
        Map<String, String> p = world.properties(jobs);
        p.put("notifier.discover", "true");
        return p;
    }

    /** A job that ended long before the notifier ever ran: created and finished 90 days ago (plus n minutes). */
    private void putOldFinishedJob(String id, int n) {
        long created = LONG_AGO + n * 60L;
        world.api.putJob(SimulatedJob.queued(id, MODEL).withCreatedAt(created)
                .withStatus(TERMINAL.get(n % TERMINAL.size())).withFinishedAt(created + 1800));
    }

    /** A job created now, moved to {@code status} the way the API moves it. */
    private void putJob(String id, String status) {
        world.api.putJob(SimulatedJob.queued(id, MODEL));
        world.api.setStatus(id, status);
    }

    private static String path(String jobId) {
        return LIST + "/" + jobId;
    }

    private long fetches(String jobId) {
        return world.api.requestCount(path(jobId));
    }

    /** Requests to the job list, one list per discovery (a discovery starts with a request without {@code after}). */
    private List<List<RecordedRequest>> discoveries() {
        List<List<RecordedRequest>> passes = new ArrayList<>();
        for (RecordedRequest r : world.api.requests()) {
            if (!r.path().equals(LIST)) {
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

    /** Waits until {@code more} further discoveries have started (so the ones before have ended). */
    private void awaitDiscoveries(int more) {
        int seen = discoveries().size();
        await().atMost(DEADLINE).until(() -> discoveries().size() >= seen + more);
    }

    private long jobFetches() {
        // GET /fine_tuning/jobs/{id}; a succeeded or failed job's checkpoints or events (.../{id}/events) are no fetch of the job
        return world.api.requests().stream().filter(r -> r.path().startsWith(LIST + "/")
                && !r.path().substring(LIST.length() + 1).contains("/")).count();
    }

    private JsonNode discoveryState() throws IOException {
        return new ObjectMapper().readTree(world.stateDir.resolve("discovery.json").toFile());
    }

    @Test
    void theFirstStartNotifiesNoJobThatHadFinishedAndFollowsTheRunningOnesThroughTheList() throws IOException {
        for (int i = 0; i < 248; i++) {
            putOldFinishedJob(String.format("ftjob-old-%03d", i), i);
        }
        putJob("ftjob-run-1", "running");
        putJob("ftjob-run-2", "running");

        try (RunningNotifier ignored = RunningNotifier.start(properties())) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-run-1", "running"))
                    && Files.exists(Documents.path(world.fileDir, "ftjob-run-2", "running")));
            awaitDiscoveries(3);
            assertEquals(List.of("ftjob-run-1.running.json", "ftjob-run-2.running.json"), Documents.names(world.fileDir),
                    "none of the 248 jobs that had finished before the first start is notified");

            world.api.setStatus("ftjob-run-1", "succeeded");
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-run-1", "succeeded")));
            awaitDiscoveries(2);
        }
        assertEquals(List.of("ftjob-run-1.running.json", "ftjob-run-1.succeeded.json", "ftjob-run-2.running.json"),
                Documents.names(world.fileDir));
        assertEquals("succeeded", Documents.read(world.fileDir, "ftjob-run-1", "succeeded").at("/job/status").asText(),
                "the document carries the job object the list returned");

        List<List<RecordedRequest>> passes = discoveries();
        assertEquals(3, passes.get(0).size(), "the first discovery reads all 250 jobs, 100 a page");
        for (List<RecordedRequest> pass : passes) {
            assertTrue(pass.size() <= 3, "a poll costs about one list request per 100 jobs, not more: " + pass.size());
            assertTrue(pass.get(0).query().contains("limit=100"), pass.get(0).query());
        }
        assertEquals(1, passes.get(passes.size() - 2).size(),
                "once the finished jobs are recorded, a poll reads only the page with the running jobs");
        assertEquals(0, jobFetches(), "no job is fetched on its own: the list carries every status");
        assertTrue(discoveryState().get("first_discovery_completed").asBoolean());

        RecordedRequest second = passes.get(0).get(1);
        assertEquals("GET", second.method());
        // page 1: the two running jobs, then the 98 newest old ones (247 down to 150)
        assertEquals("limit=100&after=ftjob-old-150", second.query(), "after names the last id of the page before");
        assertEquals("Bearer test-key-not-a-secret", second.header("Authorization"));
        assertEquals(java.util.Set.of("authorization", "user-agent", "accept", "accept-encoding", "host", "connection"),
                second.headers().keySet(), "the list request carries the same headers as a job fetch, nothing else");
    }

    @Test
    void theListedJobsOfAPageGoThroughThePipelineSeveralAtOnce() {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            jobs.add("ftjob-sweep-" + i);
            putJob(jobs.get(i), "running");
        }
        try (RunningNotifier ignored = RunningNotifier.start(properties())) {
            await().atMost(DEADLINE).until(() -> jobs.stream().allMatch(id -> Files.exists(Documents.path(world.fileDir, id, "running"))));
            // every answer now takes 300 ms: one job's enrichment after the other would send a
            // request at most every 300 ms (each waits for the answer to the one before)
            Duration latency = Duration.ofMillis(300);
            world.api.latency(latency);
            Instant ended = Instant.now();
            jobs.forEach(id -> world.api.setStatus(id, "succeeded"));
            await().atMost(DEADLINE).until(() -> jobs.stream().allMatch(id -> Files.exists(Documents.path(world.fileDir, id, "succeeded"))));

            // the succeeded jobs' result files and checkpoints, read for their completion messages
            List<Instant> enrichment = world.api.requests().stream()
                    .filter(r -> r.at().isAfter(ended) && !r.path().equals(LIST))
                    .map(RecordedRequest::at).sorted().toList();
            assertTrue(enrichment.size() >= jobs.size(), "each succeeded job's completion details were read: " + enrichment);
            Duration closest = Duration.ofDays(1);
            for (int i = 1; i < enrichment.size(); i++) {
                Duration gap = Duration.between(enrichment.get(i - 1), enrichment.get(i));
                closest = gap.compareTo(closest) < 0 ? gap : closest;
            }
            assertTrue(closest.compareTo(latency.dividedBy(2)) < 0, "the 8 listed jobs that succeeded went through the "
                    + "pipeline several at once, not one after the other: the closest two of their " + enrichment.size()
                    + " requests arrived " + closest.toMillis() + " ms apart");
        }
        assertEquals(0, jobFetches(), "the list carries every status: no job is fetched on its own");
    }

    /**
     * A page's jobs go through the pipeline while the next page is read. Every answer takes 300 ms
     * and the newest jobs, on the first page, have just succeeded: each has its result file read,
     * then its checkpoints. The second page must be asked for before the first of those checkpoints;
     * when a page's jobs had to be through first, it came at least 300 ms after the last of them.
     */
    @Test
    void theNextPageIsReadWhileThePageBeforeIsRouted() {
        long created = Instant.now().getEpochSecond() - 3600;
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            // created a second apart: ftjob-page-100 is the newest, ftjob-page-000 alone on the second page
            jobs.add(String.format("ftjob-page-%03d", i));
            world.api.putJob(SimulatedJob.queued(jobs.get(i), MODEL).withCreatedAt(created + i).withStatus("running"));
        }
        List<String> newest = jobs.subList(jobs.size() - 8, jobs.size());
        try (RunningNotifier ignored = RunningNotifier.start(properties())) {
            await().atMost(DEADLINE).until(() -> jobs.stream().allMatch(id -> Files.exists(Documents.path(world.fileDir, id, "running"))));
            world.api.latency(Duration.ofMillis(300));
            Instant ended = Instant.now();
            newest.forEach(id -> world.api.setStatus(id, "succeeded"));
            await().atMost(DEADLINE).until(() -> newest.stream().allMatch(id -> Files.exists(Documents.path(world.fileDir, id, "succeeded"))));

            List<RecordedRequest> after = world.api.requests().stream().filter(r -> r.at().isAfter(ended)).toList();
            Instant firstCheckpoints = after.stream().filter(r -> r.path().endsWith("/checkpoints"))
                    .map(RecordedRequest::at).min(Instant::compareTo).orElseThrow();
            // the pass that read the succeeded jobs: its first page is the last one asked for before their checkpoints
            // (that pass may have asked for it just before the statuses changed, and been answered after)
            RecordedRequest firstPage = world.api.requests().stream().filter(r -> r.path().equals(LIST) && !r.query().contains("after=")
                    && r.at().isBefore(firstCheckpoints)).reduce((a, b) -> b).orElseThrow();
            // asked for by now, or once the first page's jobs are through
            RecordedRequest secondPage = await().atMost(DEADLINE).until(() -> world.api.requests().stream()
                    .filter(r -> r.path().equals(LIST) && r.query().contains("after=") && r.at().isAfter(firstPage.at()))
                    .findFirst(), Optional::isPresent).orElseThrow();
            assertTrue(secondPage.at().isBefore(firstCheckpoints), "the second page was asked for "
                    + Duration.between(firstCheckpoints, secondPage.at()).toMillis() + " ms after the first page's"
                    + " first checkpoints request: it waited for the first page's jobs");
        }
    }

    @Test
    void aLaterStartNotifiesWhatFinishedWhileTheNotifierWasDown() throws IOException {
        putOldFinishedJob("ftjob-old", 1);
        putJob("ftjob-run", "running");
        try (RunningNotifier ignored = RunningNotifier.start(properties())) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-run", "running")));
            await().atMost(DEADLINE).until(() -> Files.exists(world.stateDir.resolve("discovery.json"))
                    && discoveryState().get("first_discovery_completed").asBoolean());
        }

        // while it is down: the running job ends, and a new job is created and fails
        world.api.setStatus("ftjob-run", "succeeded");
        putJob("ftjob-new", "failed");

        try (RunningNotifier ignored = RunningNotifier.start(properties())) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-run", "succeeded"))
                    && Files.exists(Documents.path(world.fileDir, "ftjob-new", "failed")));
            awaitDiscoveries(2);
        }
        assertEquals(List.of("ftjob-new.failed.json", "ftjob-run.running.json", "ftjob-run.succeeded.json"),
                Documents.names(world.fileDir), "the job that had finished before the first start is still not notified");
        assertEquals(0, jobFetches());
    }

    @Test
    void configuredAndDiscoveredJobsMergeWithoutDuplicateFetchesOrDeliveries() throws IOException {
        putJob("ftjob-conf-run", "running");        // configured and listed
        putOldFinishedJob("ftjob-conf-old", 2);    // configured and listed, ended long ago: configured, so notified
        putJob("ftjob-file-run", "running");        // in the jobs file and listed
        putJob("ftjob-found", "running");           // only listed
        putOldFinishedJob("ftjob-found-old", 3);   // only listed, ended long ago: recorded, not notified
        Path jobsFile = world.stateDir.resolve("jobs.txt");
        Files.writeString(jobsFile, "ftjob-file-run\nftjob-conf-run\n");
        Map<String, String> props = properties("ftjob-conf-run", "ftjob-conf-old");
        props.put("notifier.jobs-file", jobsFile.toString());

        try (RunningNotifier ignored = RunningNotifier.start(props)) {
            await().atMost(DEADLINE).until(() -> Documents.names(world.fileDir).size() == 4);
            world.api.setStatus("ftjob-conf-run", "succeeded");
            world.api.setStatus("ftjob-found", "failed");
            await().atMost(DEADLINE).until(() -> Documents.names(world.fileDir).size() == 6);
            awaitDiscoveries(3);

            int polls = discoveries().size();
            assertTrue(fetches("ftjob-file-run") <= polls + 1,
                    "a job both in the jobs file and in the list is fetched once a poll: " + fetches("ftjob-file-run")
                            + " fetches in " + polls + " polls");
            assertTrue(fetches("ftjob-conf-run") <= polls + 1, "nor is a job both configured and in the jobs file");
            assertTrue(fetches("ftjob-conf-old") <= 2, "a finished configured job is fetched until delivered, then no more");
        }
        assertEquals(List.of("ftjob-conf-old.cancelled.json", "ftjob-conf-run.running.json", "ftjob-conf-run.succeeded.json",
                "ftjob-file-run.running.json", "ftjob-found.failed.json", "ftjob-found.running.json"), Documents.names(world.fileDir));
        assertEquals(0, fetches("ftjob-found"), "a discovered job is followed through the list, not fetched");
        assertEquals(0, fetches("ftjob-found-old"));

        Map<String, Long> attempts = Files.readAllLines(world.stateDir.resolve("deliveries.log")).stream()
                .filter(l -> l.startsWith("sending "))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(6, attempts.size(), attempts.toString());
        attempts.forEach((line, count) -> assertEquals(1L, count, "each delivery is attempted once: " + line));
    }

    @Test
    void whenTheListFailsTheWatchedJobsGoOnAndDiscoveryTriesAgainNextPoll() {
        putJob("ftjob-conf", "running");
        putJob("ftjob-found", "running");
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("500", "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
        bodies.put("401", "{\"error\":{\"message\":\"Incorrect API key provided.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}");
        bodies.put("200", "<html><body>502 Bad Gateway</body></html>");
        bodies.put("200 ", "{\"object\":\"list\",\"items\":[]}");

        world.api.answerListWith(500, bodies.get("500")); // from the very first poll
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-conf"))) {
            for (Map.Entry<String, String> answer : bodies.entrySet()) {
                world.api.answerListWith(Integer.parseInt(answer.getKey().trim()), answer.getValue());
                awaitDiscoveries(2);
            }
            // while the list still fails: the configured job's first fetch runs on its own thread, and under
            // load it can take longer than eight failed discoveries, so it is awaited rather than expected at once
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-conf", "running")));
            assertTrue(Files.exists(Documents.path(world.fileDir, "ftjob-conf", "running")), "the configured job is notified");
            assertFalse(Files.exists(Documents.path(world.fileDir, "ftjob-found", "running")));
            assertFalse(Files.exists(world.stateDir.resolve("discovery.json")), "no discovery has completed");

            world.api.answerListNormally();
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-found", "running")));
            world.api.setStatus("ftjob-conf", "succeeded");
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-conf", "succeeded")));
        }
    }

    @Test
    void aListedJobWithAnUnsafeIdOrNoUsableBodyIsSkippedAndTheOthersGoOn() {
        world.api.putJob("ftjob-raw-1", "{\"object\":\"fine_tuning.job\",\"id\":\"../../etc/passwd\",\"status\":\"failed\","
                + "\"created_at\":" + Instant.now().getEpochSecond() + "}");
        world.api.putJob("ftjob-raw-2", "{\"object\":\"fine_tuning.job\",\"id\":\"ftjob-no-status\",\"created_at\":1}");
        putJob("ftjob-fine", "running");
        try (RunningNotifier ignored = RunningNotifier.start(properties())) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-fine", "running")));
            awaitDiscoveries(2);
        }
        assertEquals(List.of("ftjob-fine.running.json"), Documents.names(world.fileDir));
        assertEquals(0, jobFetches());
    }

    @Test
    void anUnfinishedJobFarBackInTheListIsFetchedOnItsOwnInsteadOfPagingToIt() {
        for (int i = 0; i < 250; i++) {
            putOldFinishedJob(String.format("ftjob-old-%03d", i), 10 + i);
        }
        // paused long ago, before every other job: the last item of the third page
        world.api.putJob(SimulatedJob.queued("ftjob-paused", MODEL).withCreatedAt(LONG_AGO).withStatus("paused"));
        putJob("ftjob-run", "running");

        try (RunningNotifier ignored = RunningNotifier.start(properties())) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-paused", "paused"))
                    && Files.exists(Documents.path(world.fileDir, "ftjob-run", "running")));
            await().atMost(DEADLINE).until(() -> fetches("ftjob-paused") >= 2);
            awaitDiscoveries(2);
            List<List<RecordedRequest>> passes = discoveries();
            assertEquals(3, passes.get(0).size());
            assertEquals(1, passes.get(passes.size() - 2).size(), "one list page and one fetch, not three pages");

            world.api.setStatus("ftjob-paused", "cancelled");
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-paused", "cancelled")));
        }
        try (RunningNotifier ignored = RunningNotifier.start(properties())) {
            long seen = fetches("ftjob-paused");
            awaitDiscoveries(3);
            assertEquals(seen, fetches("ftjob-paused"), "cancelled and delivered: no longer fetched, after a restart too");
        }
        assertEquals(List.of("ftjob-paused.cancelled.json", "ftjob-paused.paused.json", "ftjob-run.running.json"),
                Documents.names(world.fileDir));
        assertEquals(0, fetches("ftjob-run"));
    }
    /**
     * A poll whose job list is being tried again (a 5xx: api-failures' retries wait on Camel's
     * scheduler) is still that poll, and the next one starts after it ends: discoveries never run
     * side by side. Before, the timer fired on while the retries waited, and when the list came
     * back every waiting poll paged through it at once (page 2 asked for a dozen times).
     */
    @Test
    void aPollWhoseListIsTriedAgainIsNotOverlappedByTheNextOne() {
        for (int i = 0; i < 248; i++) {
            putOldFinishedJob(String.format("ftjob-old-%03d", i), i);
        }
        putJob("ftjob-run-1", "running");
        world.api.answerListWith(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
        Map<String, String> p = properties();
        p.put("notifier.poll-interval", "100");
        try (RunningNotifier ignored = RunningNotifier.start(p)) {
            // several polls' tries answered 500, each poll waiting for its retries (0.5 s, 1 s)
            await().atMost(DEADLINE).until(() -> discoveries().size() >= 4);
            int before = discoveries().size();
            world.api.answerListNormally();
            // the first whole reading of the list (3 pages), then discoveries that read only the newest page
            await().atMost(DEADLINE).until(() -> discoveries().size() >= before + 4
                    && discoveries().subList(before, discoveries().size()).stream().anyMatch(d -> d.size() == 3));
            List<Integer> sizes = discoveries().stream().skip(before).map(List::size).toList();
            long laterPages = discoveries().stream().skip(before).flatMap(List::stream)
                    .filter(r -> r.query() != null && r.query().contains("after=")).count();
            assertEquals(2, laterPages, "pages 2 and 3 asked for once, by one discovery at a time; requests per discovery: " + sizes);
        }
    }
}
