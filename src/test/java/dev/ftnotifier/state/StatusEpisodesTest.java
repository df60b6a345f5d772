package dev.ftnotifier.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.model.FineTuningJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the stuck check reads of a job under way: the answer of the latest poll, kept once. A poll
 * whose answer is the one kept already keeps nothing new: at 10,000 jobs under way, a copy per poll
 * was about 30 MB moved to the heap's old generation each poll, for equal text.
 */
class StatusEpisodesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path state;

    private static String answer(String status, long trainedTokens) {
        return "{\"id\":\"ftjob-a\",\"object\":\"fine_tuning.job\",\"model\":\"gpt-4o-mini\",\"status\":\"" + status
                + "\",\"trained_tokens\":" + trainedTokens + "}";
    }

    private static FineTuningJob job(String raw) throws Exception {
        return JSON.readValue(raw, FineTuningJob.class);
    }

    private StatusEpisodes.Episode only(StatusEpisodes episodes) {
        assertEquals(1, episodes.current().size());
        return episodes.current().get(0);
    }

    /** A poll read {@code raw} for the job under way; returns its episode as kept then. */
    private StatusEpisodes.Episode poll(StatusEpisodes episodes, String raw) throws Exception {
        episodes.seen(job(raw), raw, "progress", false, true);
        return only(episodes);
    }

    @Test
    void aPollThatReadsTheSameAnswerKeepsTheEpisodeAsItWas() throws Exception {
        try (StatusEpisodes episodes = new StatusEpisodes(state, Clock.fixed(T0, ZoneOffset.UTC))) {
            StatusEpisodes.Episode kept = poll(episodes, answer("running", 100));

            // equal text, read again by the next poll
            assertSame(kept, poll(episodes, new String(answer("running", 100))), "the same answer again: nothing new is kept");
        }
    }

    @Test
    void aPollThatReadsAChangedAnswerKeepsTheNewOneAndTheEpisodesClock() throws Exception {
        try (StatusEpisodes episodes = new StatusEpisodes(state, Clock.fixed(T0, ZoneOffset.UTC))) {
            StatusEpisodes.Episode before = poll(episodes, answer("running", 100));

            String later = answer("running", 250);
            StatusEpisodes.Episode now = poll(episodes, later);
            assertNotSame(before, now);
            assertEquals(later, now.rawJob(), "the stuck check tells what the latest poll read");
            assertEquals(250L, now.readJob().trainedTokens());
            assertEquals(before.since(), now.since(), "still the same episode: same status since the first poll");
        }
    }

    @Test
    void anEpisodeKeepsTheAnswerAsTextAndReadsTheJobAgainWhenAStuckNotificationNeedsIt() throws Exception {
        try (StatusEpisodes episodes = new StatusEpisodes(state, Clock.fixed(T0, ZoneOffset.UTC))) {
            String raw = "{\"id\":\"ftjob-a\",\"status\":\"running\",\"model\":\"gpt-4o-mini\",\"created_at\":1765000000,"
                    + "\"estimated_finish\":1765100000,\"trained_tokens\":42}";
            // a byte order mark the fetch's unmarshalling skipped stays in the text it keeps
            episodes.seen(job(raw), "\uFEFF" + raw, "progress", false, true);
            StatusEpisodes.Episode e = only(episodes);

            assertTrue(e.fetched());
            assertEquals(1765000000L, e.createdAt());
            assertEquals(Instant.ofEpochSecond(1765100000L), e.estimatedFinishWhileRunning());
            FineTuningJob again = e.readJob();
            assertEquals("ftjob-a", again.id());
            assertEquals("gpt-4o-mini", again.model());
            assertEquals(42L, again.trainedTokens());
        }
    }

    @Test
    void anEpisodeReadBackAtStartUpWasNotFetchedAndHasNoJobToTell() throws Exception {
        try (StatusEpisodes before = new StatusEpisodes(state, Clock.fixed(T0, ZoneOffset.UTC))) {
            poll(before, answer("running", 1));
        }
        try (StatusEpisodes after = new StatusEpisodes(state, Clock.fixed(T0, ZoneOffset.UTC))) {
            StatusEpisodes.Episode e = only(after);
            assertEquals("running", e.status());
            assertTrue(!e.fetched());
            assertNull(e.readJob());
            assertNull(e.estimatedFinishWhileRunning());
        }
    }
}
