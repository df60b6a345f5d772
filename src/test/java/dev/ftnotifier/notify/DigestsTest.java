package dev.ftnotifier.notify;

import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

import java.time.Instant;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        var outcome = new dev.ftnotifier.state.Outcomes.Outcome(Instant.parse("2026-12-02T07:00:00Z"), "ftjob-1", "failed",
                "gpt-4o-mini", "<!channel> oops");
        Digest d = new Digest(Instant.parse("2026-12-01T08:00:00Z"), Instant.parse("2026-12-02T08:00:00Z"),
                java.util.List.of(outcome), java.util.List.of(), java.util.List.of(), java.util.List.of(), java.util.List.of());
        String text = new DigestMessages().slack(d).getText();
        assertEquals(true, text.startsWith("Fine-tuning digest 2026-12-01T08:00:00Z to 2026-12-02T08:00:00Z: 1 finished"), text);
        assertEquals(false, text.contains("<!channel>"), text);
    }
}
