package dev.ftnotifier.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryLedgerTest {

    @TempDir
    Path stateDir;

    /** No backoff: these tests are about what is remembered. */
    private static DeliveryLedger ledger(Path dir) {
        return new DeliveryLedger(dir, new Backoff(Duration.ZERO, Duration.ZERO), Clock.systemUTC());
    }

    @Test
    void aConfirmedDeliveryIsRememberedAcrossRestarts() {
        DeliveryLedger ledger = ledger(stateDir);
        String key = DeliveryLedger.key("ftjob-1", "failed", "slack");
        assertTrue(ledger.add(key));
        assertFalse(ledger.add(key), "a delivery in flight is not started twice");
        ledger.confirm(key);
        assertFalse(ledger.add(key));

        DeliveryLedger restarted = ledger(stateDir);
        assertTrue(restarted.isDelivered(key));
        assertFalse(restarted.add(key));
    }

    @Test
    void aFailedDeliveryIsTriedAgain() {
        DeliveryLedger ledger = ledger(stateDir);
        String key = DeliveryLedger.key("ftjob-1", "failed", "email");
        assertTrue(ledger.add(key));
        ledger.remove(key);
        assertTrue(ledger.add(key), "retried in this process");
        ledger.remove(key);
        assertTrue(ledger(stateDir).add(key), "and after a restart");
    }

    @Test
    void aDeliveryInFlightWhenTheProcessDiedIsSentAgain() {
        DeliveryLedger ledger = ledger(stateDir);
        String key = DeliveryLedger.key("ftjob-1", "succeeded", "slack");
        assertTrue(ledger.add(key));
        // no confirm, no remove: the process died mid-send
        DeliveryLedger restarted = ledger(stateDir);
        assertFalse(restarted.isDelivered(key));
        assertTrue(restarted.add(key));
    }

    @Test
    void aTornLastLineIsIgnoredAndTheJournalIsCompacted() throws IOException {
        DeliveryLedger ledger = ledger(stateDir);
        String key = DeliveryLedger.key("ftjob-1", "failed", "file");
        ledger.add(key);
        ledger.confirm(key);
        Path journal = stateDir.resolve("deliveries.log");
        Files.writeString(journal, "sent ftjob-2|failed|fi", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        DeliveryLedger restarted = ledger(stateDir);
        assertTrue(restarted.isDelivered(key));
        assertFalse(restarted.isDelivered("ftjob-2|failed|fi"));
        assertEquals(List.of("sent " + key), Files.readAllLines(journal));
    }

    @Test
    void aFailedDeliveryWaitsOutItsBackoffAndTheWaitGrows() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        DeliveryLedger ledger = new DeliveryLedger(stateDir, new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(25)), clock);
        String key = DeliveryLedger.key("ftjob-1", "failed", "slack");

        assertTrue(ledger.add(key));
        ledger.remove(key);
        assertEquals(1, ledger.pending().size());
        assertFalse(ledger.add(key), "not before the backoff");
        clock.advance(Duration.ofSeconds(13)); // 10 s +- 20%
        assertTrue(ledger.add(key));
        ledger.remove(key);
        assertEquals(2, ledger.pending().get(0).attempts());
        clock.advance(Duration.ofSeconds(15));
        assertFalse(ledger.add(key), "the second wait is about 20 s");
        clock.advance(Duration.ofSeconds(10));
        assertTrue(ledger.add(key));
        ledger.confirm(key);
        assertEquals(List.of(), ledger.pending());
        assertTrue(ledger.isDelivered(key));
    }

    @Test
    void backoffDoublesUpToItsCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(60));
        for (int i = 0; i < 20; i++) {
            long first = backoff.after(1).toMillis();
            long third = backoff.after(3).toMillis();
            long tenth = backoff.after(10).toMillis();
            assertTrue(first >= 8_000 && first <= 12_000, "first " + first);
            assertTrue(third >= 32_000 && third <= 48_000, "third " + third);
            assertTrue(tenth >= 48_000 && tenth <= 72_000, "capped " + tenth);
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * Two callers and one key: the second checks the key while the first is between taking
     * it and confirming it. The clock the ledger reads in that gap holds the second caller
     * until the first has confirmed (or a second passed): the second must still not take it.
     */
    @Test
    void aKeyCheckedWhileAnotherCallerConfirmsItIsNotTakenTwice() throws Exception {
        java.util.concurrent.CountDownLatch secondInGap = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch confirmed = new java.util.concurrent.CountDownLatch(1);
        String second = "second-caller";
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                if (Thread.currentThread().getName().equals(second)) {
                    secondInGap.countDown();
                    try {
                        confirmed.await(1, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Instant.now();
            }
        };
        DeliveryLedger ledger = new DeliveryLedger(stateDir, new Backoff(Duration.ZERO, Duration.ZERO), clock);
        String key = DeliveryLedger.key("ftjob-1", "succeeded", "slack");
        assertTrue(ledger.add(key));
        ledger.remove(key); // failed once: add now reads the clock to see whether it is due
        assertTrue(ledger.add(key), "the first caller takes it");

        java.util.concurrent.CompletableFuture<Boolean> secondTook = new java.util.concurrent.CompletableFuture<>();
        Thread thread = new Thread(() -> secondTook.complete(ledger.add(key)), second);
        thread.start();
        assertTrue(secondInGap.await(5, java.util.concurrent.TimeUnit.SECONDS));
        ledger.confirm(key);
        confirmed.countDown();
        assertFalse(secondTook.get(5, java.util.concurrent.TimeUnit.SECONDS), "taken once: no second delivery");
        thread.join(5_000);
        assertTrue(ledger.isDelivered(key));
    }

    @Test
    void failedAttemptsAndTheirNextTimeSurviveARestart() {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        Clock clock = Clock.fixed(now, java.time.ZoneOffset.UTC);
        Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(10));
        DeliveryLedger ledger = new DeliveryLedger(stateDir, backoff, clock);
        String key = DeliveryLedger.key("ftjob-1", "failed", "slack");
        assertTrue(ledger.add(key));
        ledger.remove(key);
        var first = ledger.pending();
        assertEquals(1, first.size());

        DeliveryLedger restarted = new DeliveryLedger(stateDir, backoff, clock);
        assertEquals(first, restarted.pending(), "status.json says after a restart what it said before");
        assertFalse(restarted.add(key), "still waiting out its backoff");
        DeliveryLedger later = new DeliveryLedger(stateDir, backoff, Clock.offset(clock, Duration.ofMinutes(11)));
        assertTrue(later.add(key), "due");
        later.remove(key);
        assertEquals(2, later.pending().get(0).attempts(), "the attempts go on counting");
        later.add(key);
        later.confirm(key);
        assertEquals(List.of(), new DeliveryLedger(stateDir, backoff, clock).pending());
    }

    @Test
    void aJournalFromAnOlderVersionStillCountsItsFailures() throws IOException {
        String key = DeliveryLedger.key("ftjob-1", "failed", "email");
        Files.writeString(stateDir.resolve("deliveries.log"), "sending " + key + "\nfailed " + key + "\nsending " + key
                + "\nfailed " + key + "\nretry 9 12");
        DeliveryLedger ledger = ledger(stateDir);
        assertEquals(2, ledger.pending().get(0).attempts());
        assertTrue(ledger.add(key), "due at once");
    }
}
