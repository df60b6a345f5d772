package dev.ftnotifier.discover;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ftnotifier.testing.ShippedRouter;
import dev.ftnotifier.config.ConfigurationException;
import dev.ftnotifier.state.FinishedJobs;
import dev.ftnotifier.watch.WatchList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link Discovery} decides for each listed job, page by page, without Camel or HTTP. */
class DiscoveryDecisionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_700_000_000L;
    private static final long HOUR = 3600;

    @TempDir
    Path stateDir;

    private FinishedJobs finished;

    @BeforeEach
    void open() {
        finished = new FinishedJobs(stateDir);
    }

    @AfterEach
    void close() {
        finished.close();
    }

    private WatchList watchList(String... configured) {
        return new WatchList(List.of(configured), null, finished);
    }

    private Discovery discovery(WatchList watchList) {
        return new Discovery(stateDir, true, watchList, finished, ShippedRouter::terminal);
    }

    private static ObjectNode job(String id, String status, long createdAt) {
        ObjectNode job = JSON.createObjectNode();
        job.put("object", "fine_tuning.job");
        job.put("id", id);
        job.put("status", status);
        job.put("created_at", createdAt);
        job.put("model", "gpt-4o-mini");
        return job;
    }

    private static JobPage page(boolean hasMore, ObjectNode... jobs) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (ObjectNode job : jobs) {
            data.add(job);
        }
        root.put("has_more", hasMore);
        return JSON.readValue(root.toString(), JobPage.class);
    }

    private static List<String> ids(List<JobPage.Item> items) {
        return items.stream().map(JobPage.Item::id).toList();
    }

    /** One whole discovery over these pages; returns the ids sent to the pipeline, in order. */
    private static List<String> discover(Discovery discovery, JobPage... pages) {
        DiscoveryPass pass = discovery.begin();
        List<String> sent = new java.util.ArrayList<>();
        for (JobPage page : pages) {
            assertTrue(pass.more(), "asked for a page after the last one");
            sent.addAll(ids(discovery.accept(pass, page)));
        }
        assertFalse(pass.more(), "more pages wanted than given");
        discovery.complete(pass);
        return sent;
    }

    @Test
    void theFirstDiscoveryRecordsFinishedJobsAndSendsTheRest() throws IOException {
        Discovery discovery = discovery(watchList());
        List<String> sent = discover(discovery,
                page(true, job("ftjob-run", "running", T0 + 10), job("ftjob-ok", "succeeded", T0 + 9)),
                page(false, job("ftjob-paused", "paused", T0 + 8), job("ftjob-bad", "failed", T0 + 7),
                        job("ftjob-odd", "exploding", T0 + 6), job("ftjob-stop", "cancelled", T0 + 5)));
        assertEquals(List.of("ftjob-run", "ftjob-paused", "ftjob-odd"), sent, "paused and unknown statuses are unfinished");
        assertTrue(finished.contains("ftjob-ok") && finished.contains("ftjob-bad") && finished.contains("ftjob-stop"));
        assertFalse(finished.contains("ftjob-run"));

        // a later discovery notifies what ends, and what was created and ended in between
        List<String> later = discover(discovery, page(false, job("ftjob-new", "failed", T0 + 20),
                job("ftjob-run", "succeeded", T0 + 10), job("ftjob-ok", "succeeded", T0 + 9)));
        assertEquals(List.of("ftjob-new", "ftjob-run"), later);
    }

    @Test
    void aJobListedTwiceIsTakenOnce() throws IOException {
        Discovery discovery = discovery(watchList());
        List<String> sent = discover(discovery,
                page(true, job("ftjob-a", "running", T0 + 3), job("ftjob-b", "queued", T0 + 2)),
                page(false, job("ftjob-b", "queued", T0 + 2), job("ftjob-a", "running", T0 + 3)));
        assertEquals(List.of("ftjob-a", "ftjob-b"), sent);
    }

    @Test
    void jobsTheWatchListFetchesItselfAreLeftToIt() throws IOException {
        WatchList watchList = watchList("ftjob-configured");
        Discovery discovery = discovery(watchList);
        List<String> sent = discover(discovery, page(false, job("ftjob-configured", "running", T0 + 2),
                job("ftjob-found", "running", T0 + 1)));
        assertEquals(List.of("ftjob-found"), sent);
        assertEquals(List.of("ftjob-configured"), watchList.due(), "listed or not, a configured job is fetched once");
    }

    @Test
    void unsafeIdsAndUnreadableItemsAreSkippedAndTheRestGoesOn() throws IOException {
        ObjectNode noStatus = job("ftjob-no-status", "running", T0 + 3);
        noStatus.remove("status");
        ObjectNode notAJob = job("ftjob-file", "running", T0 + 2);
        notAJob.put("object", "file");
        Discovery discovery = discovery(watchList());
        List<String> sent = discover(discovery, page(false, job("../../etc", "failed", T0 + 5),
                job("ftjob-x?y=1", "running", T0 + 4), noStatus, notAJob, job("ftjob-fine", "running", T0 + 1)));
        assertEquals(List.of("ftjob-fine"), sent);
    }

    @Test
    void pagingStopsAtTheFirstPageThatReachesPastTheHorizon() throws IOException {
        Discovery discovery = discovery(watchList());
        discover(discovery,
                page(true, job("ftjob-run", "running", T0 + 10 * HOUR), job("ftjob-1", "succeeded", T0 + 8 * HOUR)),
                page(true, job("ftjob-2", "succeeded", T0 + 5 * HOUR), job("ftjob-3", "succeeded", T0 + 4 * HOUR)),
                page(false, job("ftjob-4", "succeeded", T0)));

        DiscoveryPass pass = discovery.begin();
        // within the margin before the running job: keep paging
        discovery.accept(pass, page(true, job("ftjob-run", "running", T0 + 10 * HOUR),
                job("ftjob-5", "succeeded", T0 + 10 * HOUR - 60)));
        assertTrue(pass.more());
        assertEquals("ftjob-5", pass.after(), "the cursor is the last id of the page");
        // older than the running job less the margin: this page is the last
        discovery.accept(pass, page(true, job("ftjob-1", "succeeded", T0 + 8 * HOUR)));
        assertFalse(pass.more());
        discovery.complete(pass);
        assertEquals(2, pass.pages());
    }

    @Test
    void aListThatIsNotNewestFirstIsReadToTheEnd() throws IOException {
        Discovery discovery = discovery(watchList());
        discover(discovery, page(false, job("ftjob-run", "running", T0 + 10 * HOUR), job("ftjob-1", "succeeded", T0)));

        // oldest first: the first page is all older than the horizon, yet newer jobs follow
        DiscoveryPass pass = discovery.begin();
        discovery.accept(pass, page(true, job("ftjob-1", "succeeded", T0)));
        assertTrue(pass.more(), "nothing at or after the horizon seen yet: read on");
        List<JobPage.Item> sent = discovery.accept(pass, page(true, job("ftjob-run", "running", T0 + 10 * HOUR),
                job("ftjob-2", "failed", T0 + 11 * HOUR)));
        assertTrue(pass.more(), "not newest first: read to the end");
        sent = new java.util.ArrayList<>(sent);
        sent.addAll(discovery.accept(pass, page(false, job("ftjob-3", "queued", T0 + 12 * HOUR))));
        assertFalse(pass.more());
        discovery.complete(pass);
        assertEquals(List.of("ftjob-run", "ftjob-2", "ftjob-3"), ids(sent));
    }

    @Test
    void aCursorTheListRepeatsEndsThePaging() throws IOException {
        Discovery discovery = discovery(watchList());
        DiscoveryPass pass = discovery.begin();
        discovery.accept(pass, page(true, job("ftjob-a", "running", T0)));
        assertTrue(pass.more());
        discovery.accept(pass, page(true, job("ftjob-a", "running", T0)));
        assertFalse(pass.more(), "the same page again would never end");
    }

    @Test
    void aFirstDiscoveryCutShortStillNotifiesTheJobsItSawUnfinished() throws IOException {
        Discovery discovery = discovery(watchList());
        DiscoveryPass cut = discovery.begin();
        assertEquals(List.of("ftjob-run"), ids(discovery.accept(cut, page(true, job("ftjob-run", "running", T0 + 5)))));
        discovery.abandon(cut); // page 2 answered 500
        assertFalse(cut.more());

        // restarted before the first discovery could complete; the job ended meanwhile
        Discovery restarted = discovery(watchList());
        List<String> sent = discover(restarted, page(false, job("ftjob-run", "succeeded", T0 + 5),
                job("ftjob-old", "succeeded", T0)));
        assertEquals(List.of("ftjob-run"), sent, "seen running, so its end is news; ftjob-old ended before the first look");
        assertTrue(finished.contains("ftjob-old"));
    }

    @Test
    void anUnfinishedJobFarBackIsFetchedOnItsOwnAndStaysSoAfterARestart() throws IOException {
        WatchList watchList = watchList();
        Discovery discovery = discovery(watchList);
        List<String> sent = discover(discovery,
                page(true, job("ftjob-new", "running", T0 + 30 * HOUR), job("ftjob-1", "succeeded", T0 + 20 * HOUR)),
                page(true, job("ftjob-2", "succeeded", T0 + 10 * HOUR)),
                page(false, job("ftjob-paused", "paused", T0)));
        assertEquals(List.of("ftjob-new", "ftjob-paused"), sent);
        assertEquals(List.of("ftjob-paused"), watchList.due(),
                "one fetch a poll is cheaper than paging three deep for it");

        DiscoveryPass next = discovery.begin();
        discovery.accept(next, page(true, job("ftjob-new", "running", T0 + 30 * HOUR), job("ftjob-1", "succeeded", T0 + 20 * HOUR)));
        assertFalse(next.more(), "the window is the page of the job followed through the list");

        WatchList afterRestart = watchList();
        discovery(afterRestart);
        assertEquals(List.of("ftjob-paused"), afterRestart.due());
    }

    @Test
    void aFollowedJobMissingFromTheListIsFetchedOnItsOwn() throws IOException {
        WatchList watchList = watchList();
        Discovery discovery = discovery(watchList);
        discover(discovery, page(false, job("ftjob-a", "running", T0 + 5), job("ftjob-b", "running", T0 + 4)));
        discover(discovery, page(false, job("ftjob-a", "running", T0 + 5)));
        assertEquals(List.of("ftjob-b"), watchList.due());
    }

    @Test
    void theWindowIsAsDeepAsPaysOff() {
        assertEquals(1, Discovery.windowPages(List.of(), 5), "nothing unfinished: the first page");
        assertEquals(1, Discovery.windowPages(List.of(1, 1), 3));
        assertEquals(1, Discovery.windowPages(List.of(1, 40), 40), "one fetch beats 39 pages");
        assertEquals(3, Discovery.windowPages(List.of(3, 3, 3), 3), "three fetches cost as much as two more pages");
        assertEquals(2, Discovery.windowPages(List.of(1, 2, 2, 2), 2));
        assertEquals(1, Discovery.windowPages(List.of(Integer.MAX_VALUE), 1), "a job without created_at is never followed");
    }

    @Test
    void theStateSurvivesARestartAndAnUnreadableFileIsNamed() throws IOException {
        Discovery discovery = discovery(watchList());
        discover(discovery, page(false, job("ftjob-run", "running", T0 + 5), job("ftjob-done", "failed", T0)));
        var saved = JSON.readTree(stateDir.resolve("discovery.json").toFile());
        assertTrue(saved.get("first_discovery_completed").asBoolean());
        assertEquals(T0 + 5, saved.get("horizon").asLong());
        assertEquals(T0 + 5, saved.at("/tracked/ftjob-run").asLong());
        assertFalse(Files.exists(stateDir.resolve("discovery.json.part")), "written aside and renamed");

        Files.writeString(stateDir.resolve("discovery.json"), "{\"first_discovery_co");
        ConfigurationException refused = assertThrows(ConfigurationException.class, () -> discovery(watchList()));
        assertTrue(refused.getMessage().contains("discovery.json"), refused.getMessage());
    }

    @Test
    void switchedOffItReadsNothing() throws IOException {
        Files.writeString(stateDir.resolve("discovery.json"), "not json");
        new Discovery(stateDir, false, watchList(), finished, ShippedRouter::terminal); // no exception: the file is not read
    }

    @Test
    void aPageMustBeAListOfJobs() {
        assertThrows(IOException.class, () -> JSON.readValue("{\"object\":\"list\"}", JobPage.class));
        assertThrows(IOException.class, () -> JSON.readValue("{\"object\":\"file\",\"data\":[]}", JobPage.class));
        assertThrows(IOException.class, () -> JSON.readValue("{\"data\":[],\"has_more\":\"yes\"}", JobPage.class));
        assertThrows(IOException.class, () -> JSON.readValue("[1,2]", JobPage.class));
    }

    @Test
    void aPageKeepsEachItemAsSentAndReadsWhatItCan() throws IOException {
        JobPage page = JSON.readValue("{\"data\":[{\"id\":\"ftjob-a\",\"status\":\"running\",\"created_at\":1,"
                + "\"hyperparameters\":{\"n_epochs\":\"auto\"},\"new_field\":[1]},42,{\"id\":7}]}", JobPage.class);
        assertFalse(page.hasMore(), "no has_more: the last page");
        assertEquals(3, page.data().size());
        JobPage.Item first = page.data().get(0);
        assertEquals("running", first.job().status());
        assertTrue(first.raw().contains("\"new_field\":[1]"), "the raw item keeps fields the model does not know");
        assertNull(page.data().get(1).job());
        assertNull(page.data().get(2).id());
        assertNull(page.lastId());
    }
}
