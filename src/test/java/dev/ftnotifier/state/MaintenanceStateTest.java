package dev.ftnotifier.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compaction and pruning keep every guarantee of the delivery state. */
class MaintenanceStateTest {

    @TempDir
    Path dir;

    private DeliveryLedger ledger() {
        return new DeliveryLedger(dir, new Backoff(Duration.ZERO, Duration.ZERO), Clock.systemUTC());
    }

    @Test
    void compactionKeepsWhatWasSentAndWhatIsInFlight() throws IOException {
        DeliveryLedger ledger = ledger();
        String sent = DeliveryLedger.key("ftjob-1", "failed", "slack");
        String failedThenSent = DeliveryLedger.key("ftjob-1", "failed", "email");
        String inFlight = DeliveryLedger.key("ftjob-2", "running", "file");
        ledger.add(sent);
        ledger.confirm(sent);
        ledger.add(failedThenSent);
        ledger.remove(failedThenSent);
        ledger.add(failedThenSent);
        ledger.confirm(failedThenSent);
        ledger.add(inFlight);

        assertEquals(4, ledger.compact(Set.of()), "7 lines (sending, failed, sent) down to 3");
        assertEquals(List.of("sending " + inFlight, "sent " + failedThenSent, "sent " + sent).stream().sorted().toList(),
                Files.readAllLines(dir.resolve("deliveries.log")).stream().sorted().toList());
        ledger.confirm(inFlight);
        ledger.stop();

        DeliveryLedger restarted = ledger();
        assertTrue(restarted.isDelivered(sent) && restarted.isDelivered(failedThenSent) && restarted.isDelivered(inFlight));
        assertFalse(restarted.add(sent), "a delivered status is never sent again");
    }

    @Test
    void aForgottenJobLosesItsDeliveriesAndNoOtherJobDoes() {
        DeliveryLedger ledger = ledger();
        for (String key : List.of("ftjob-old|succeeded|slack", "ftjob-old-2|succeeded|slack", "ftjob-new|succeeded|slack")) {
            ledger.add(key);
            ledger.confirm(key);
        }
        ledger.compact(Set.of("ftjob-old"));
        assertFalse(ledger.isDelivered("ftjob-old|succeeded|slack"));
        assertTrue(ledger.isDelivered("ftjob-old-2|succeeded|slack"), "forgetting ftjob-old is not forgetting ftjob-old-2");
        assertTrue(ledger.isDelivered("ftjob-new|succeeded|slack"));
        ledger.stop();
        assertFalse(ledger().isDelivered("ftjob-old|succeeded|slack"));
    }

    @Test
    void finishedJobsArePrunedByAgeOnlyWhenAllowedAndOldLinesAreKept() throws IOException {
        Files.writeString(dir.resolve("finished-jobs.log"), "ftjob-from-an-old-version\nftjob-old 1000\nftjob-watched 1000\n");
        Clock now = Clock.fixed(Instant.ofEpochSecond(1000).plus(Duration.ofDays(31)), ZoneOffset.UTC);
        FinishedJobs finished = new FinishedJobs(dir, now);
        assertTrue(finished.contains("ftjob-from-an-old-version"));
        Set<String> forgotten = finished.prune(Duration.ofDays(30), id -> !id.equals("ftjob-watched"));
        assertEquals(Set.of("ftjob-old"), forgotten);
        finished.close();
        FinishedJobs reread = new FinishedJobs(dir, now);
        assertTrue(reread.contains("ftjob-from-an-old-version"), "its age starts when this version first read it");
        assertTrue(reread.contains("ftjob-watched"));
        assertFalse(reread.contains("ftjob-old"));
    }
}
