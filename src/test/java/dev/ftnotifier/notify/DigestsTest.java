package dev.ftnotifier.notify;

import dev.ftnotifier.state.Outcomes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.CronExpression;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A digest's period is worked out from the cron expression alone. */
class DigestsTest {

    private static CronExpression cron(String expression) throws Exception {
        CronExpression c = new CronExpression(expression);
        c.setTimeZone(TimeZone.getTimeZone("UTC"));
        return c;
    }

    @Test
    void thePeriodBeginsAtThePreviousFiring() throws Exception {
        Instant end = Instant.parse("2026-12-02T08:00:00Z");
        assertEquals(Instant.parse("2026-12-01T08:00:00Z"), Digests.previousFiring(cron("0 0 8 * * ?"), end));
        assertEquals(Instant.parse("2026-12-02T07:59:57Z"), Digests.previousFiring(cron("0/3 * * ? * *"), end));
        // Wednesday 08:00 after a weekend: the previous weekday firing is Tuesday; Monday's after Friday
        assertEquals(Instant.parse("2026-11-27T08:00:00Z"),
                Digests.previousFiring(cron("0 0 8 ? * MON-FRI"), Instant.parse("2026-11-30T08:00:00Z")));
    }

    @Test
    void aDigestTextEscapesWhatTheApiSent() {
        var outcome = new dev.ftnotifier.state.Outcomes.Outcome(Instant.parse("2026-12-02T07:00:00Z"), "ftjob-1", "failed", "failure",
                "gpt-4o-mini", "<!channel> oops");
        Digest d = new Digest(Instant.parse("2026-12-01T08:00:00Z"), Instant.parse("2026-12-02T08:00:00Z"),
                java.util.List.of(outcome), java.util.List.of(), java.util.List.of(), java.util.List.of(), java.util.List.of());
        String text = new DigestMessages().slack(d).getText();
        assertEquals(true, text.startsWith("Fine-tuning digest 2026-12-01T08:00:00Z to 2026-12-02T08:00:00Z: 1 finished"), text);
        assertEquals(false, text.contains("<!channel>"), text);
    }

    /** Finished jobs are grouped by the status router's event, not by a list of statuses in Java. */
    @Test
    void aDigestGroupsFinishedJobsByTheRoutersEvent() {
        Instant at = Instant.parse("2026-12-02T07:00:00Z");
        var succeeded = new Outcomes.Outcome(at, "ftjob-1", "succeeded", "completion", "gpt-4o-mini", "ft:gpt-4o-mini:acme::x");
        // a status an edited router calls a cancellation, and one it ends under another event
        var expired = new Outcomes.Outcome(at, "ftjob-2", "expired", "cancellation", "gpt-4o-mini", null);
        var archived = new Outcomes.Outcome(at, "ftjob-3", "archived", "progress", "gpt-4o-mini", null);
        Digest d = new Digest(Instant.parse("2026-12-01T08:00:00Z"), Instant.parse("2026-12-02T08:00:00Z"),
                List.of(succeeded, expired, archived), List.of(), List.of(), List.of(), List.of());
        String text = DigestMessages.text(d, s -> s);
        assertTrue(text.contains("Succeeded (1):\n- ftjob-1 (gpt-4o-mini): ft:gpt-4o-mini:acme::x\n"), text);
        assertTrue(text.contains("Cancelled (1):\n- ftjob-2 (gpt-4o-mini)\n"), text);
        assertTrue(text.contains("Ended otherwise (1):\n- ftjob-3 (gpt-4o-mini): archived\n"), text);
    }

    /** outcomes.log lines written before outcomes carried the event are read with the event their status had. */
    @Test
    void anOutcomeWrittenBeforeTheEventIsReadWithOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("outcomes.log"),
                "{\"at\":1764658800000,\"job\":\"ftjob-old\",\"status\":\"failed\",\"model\":\"m\",\"fact\":\"bad_file\"}\n");
        try (Outcomes outcomes = new Outcomes(dir, Clock.systemUTC())) {
            List<Outcomes.Outcome> read = outcomes.between(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
            assertEquals(1, read.size());
            assertEquals("failure", read.get(0).event());
            assertEquals("bad_file", read.get(0).fact());
        }
    }
}
