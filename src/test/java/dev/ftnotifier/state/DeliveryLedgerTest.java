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
    void aDroppedDeliveryIsPendingNoMoreAcrossRestartsAndOnlyAPendingOneIsDropped() {
        DeliveryLedger ledger = ledger(stateDir);
        String pending = DeliveryLedger.key("ftjob-1", "running", "slack");
        String sent = DeliveryLedger.key("ftjob-1", "running", "file");
        String retrying = DeliveryLedger.key("ftjob-1", "running", "email");
        assertTrue(ledger.add(pending));
        ledger.remove(pending);
        assertTrue(ledger.add(sent));
        ledger.confirm(sent);
        assertTrue(ledger.add(retrying));
        ledger.remove(retrying);
        assertTrue(ledger.add(retrying), "tried again, in flight now");

        assertFalse(ledger.drop(sent), "a delivery made stays made");
        assertFalse(ledger.drop(retrying), "an attempt under way is not ended from outside");
        assertTrue(ledger.drop(pending));
        assertFalse(ledger.drop(pending), "once");
        assertEquals(List.of(retrying), ledger.pending().stream().map(DeliveryStore.Pending::delivery).toList());

        ledger.remove(retrying);
        DeliveryLedger restarted = ledger(stateDir);
        assertEquals(List.of(retrying), restarted.pending().stream().map(DeliveryStore.Pending::delivery).toList(),
                "the drop is in the journal");
        assertTrue(restarted.isDelivered(sent));
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

        assertTrue(ledger.isDue(key));
        assertTrue(ledger.add(key));
        ledger.remove(key);
        assertEquals(1, ledger.pending().size());
        assertFalse(ledger.isDue(key), "not before the backoff");
        clock.advance(Duration.ofSeconds(13)); // 10 s +- 20%
        assertTrue(ledger.isDue(key));
        assertTrue(ledger.add(key));
        ledger.remove(key);
        assertEquals(2, ledger.pending().get(0).attempts());
        clock.advance(Duration.ofSeconds(15));
        assertFalse(ledger.isDue(key), "the second wait is about 20 s");
        clock.advance(Duration.ofSeconds(10));
        assertTrue(ledger.isDue(key));
        assertTrue(ledger.add(key));
        ledger.confirm(key);
        assertEquals(List.of(), ledger.pending());
        assertTrue(ledger.isDelivered(key));
        assertFalse(ledger.add(key), "done");
    }

    @Test
    void anAttemptTheOpenBreakerRefusedIsNoFailedAttempt() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        DeliveryLedger ledger = new DeliveryLedger(stateDir, new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(600)), clock);
        String never = DeliveryLedger.key("ftjob-1", "failed", "slack");
        String once = DeliveryLedger.key("ftjob-2", "failed", "slack");

        assertTrue(ledger.add(never));
        ledger.notTried(never);
        ledger.remove(never);
        assertEquals(0, ledger.pending().get(0).attempts(), "pending, no attempt counted");
        assertTrue(ledger.isDue(never), "no backoff");

        assertTrue(ledger.add(once));
        ledger.remove(once);
        java.time.Instant next = ledger.pending().stream().filter(p -> p.delivery().equals(once)).findFirst().orElseThrow().nextAttempt();
        clock.advance(Duration.ofSeconds(13));
        for (int i = 0; i < 5; i++) {
            assertTrue(ledger.add(once));
            ledger.notTried(once);
            ledger.remove(once);
        }
        DeliveryLedger.Pending after = ledger.pending().stream().filter(p -> p.delivery().equals(once)).findFirst().orElseThrow();
        assertEquals(1, after.attempts(), "refusals leave the count alone");
        assertEquals(next, after.nextAttempt(), "and the backoff");
    }

    /** The order a recovered channel's backlog goes out in (ChannelBacklogs) survives the reset and a restart. */
    @Test
    void aChannelThatAnswersAgainKeepsTheOrderItsDeliveriesBecameDue() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(600));
        DeliveryLedger ledger = new DeliveryLedger(stateDir, backoff, clock);
        List<String> order = List.of(DeliveryLedger.key("ftjob-3", "failed", "slack"), DeliveryLedger.key("ftjob-1", "failed", "slack"),
                DeliveryLedger.key("ftjob-2", "failed", "slack"));
        for (String key : order) {
            ledger.add(key);
            ledger.remove(key); // due 10 s later, +-20%
            clock.advance(Duration.ofSeconds(6));
        }
        clock.advance(Duration.ofSeconds(1));
        // at 19 s: ftjob-3 and ftjob-1 are due (at 8-12 s and 14-18 s), ftjob-2 not yet (20-24 s)
        assertTrue(ledger.isDue(order.get(1)) && !ledger.isDue(order.get(2)));
        ledger.channelRecovered("slack");
        assertEquals(order, ledger.pending().stream().map(DeliveryLedger.Pending::delivery).toList());
        ledger.stop();
        assertEquals(order, new DeliveryLedger(stateDir, backoff, clock).pending().stream().map(DeliveryLedger.Pending::delivery).toList(),
                "after a restart");
    }

    @Test
    void aChannelThatAnswersAgainMakesItsPendingDeliveriesDue() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        DeliveryLedger ledger = new DeliveryLedger(stateDir, new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(600)), clock);
        List<String> slack = List.of(DeliveryLedger.key("ftjob-1", "failed", "slack"), DeliveryLedger.key("ftjob-2", "failed", "slack"));
        String email = DeliveryLedger.key("ftjob-1", "failed", "email");
        for (int round = 0; round < 6; round++) {
            for (String key : List.of(slack.get(0), slack.get(1), email)) {
                ledger.add(key);
                ledger.remove(key);
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertFalse(ledger.isDue(slack.get(0)));
        assertEquals(2, ledger.channelRecovered("slack"));
        for (String key : slack) {
            assertTrue(ledger.isDue(key), key);
        }
        assertFalse(ledger.isDue(email), "other channels keep their backoff");
        assertEquals(0, ledger.pending().stream().filter(p -> p.delivery().endsWith("|slack")).mapToInt(DeliveryLedger.Pending::attempts).sum());
        ledger.add(slack.get(0));
        ledger.remove(slack.get(0));
        assertEquals(1, ledger.pending().stream().filter(p -> p.delivery().equals(slack.get(0))).findFirst().orElseThrow().attempts(),
                "a later failure starts again from the first backoff");
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
     * Many threads taking the same keys at once, each confirming what it took: every key is
     * taken, and journaled as sent, by exactly one. (Before add, confirm and remove shared one
     * lock, a caller between add's "sent?" check and its claim while another confirmed took
     * the key again; a clock that held the caller in that gap showed it every time.)
     */
    @Test
    void aKeyTakenByManyThreadsAtOnceIsTakenOnce() throws Exception {
        DeliveryLedger ledger = ledger(stateDir);
        int threads = 8;
        int keys = 2_000;
        java.util.concurrent.atomic.AtomicIntegerArray taken = new java.util.concurrent.atomic.AtomicIntegerArray(keys);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    for (int k = 0; k < keys; k++) {
                        String key = DeliveryLedger.key("ftjob-" + k, "succeeded", "slack");
                        if (ledger.add(key)) {
                            taken.incrementAndGet(k);
                            ledger.confirm(key);
                        }
                    }
                    return null;
                }));
            }
            for (var run : runs) {
                run.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int k = 0; k < keys; k++) {
            assertEquals(1, taken.get(k), "ftjob-" + k + " taken once");
        }
        long sentLines = Files.readAllLines(stateDir.resolve("deliveries.log")).stream().filter(l -> l.startsWith("sent ")).count();
        assertEquals(keys, sentLines, "one sent line per delivery");
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
        assertFalse(restarted.isDue(key), "still waiting out its backoff");
        DeliveryLedger later = new DeliveryLedger(stateDir, backoff, Clock.offset(clock, Duration.ofMinutes(11)));
        assertTrue(later.isDue(key), "due");
        assertTrue(later.add(key));
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
        assertTrue(ledger.isDue(key), "due at once");
    }
}
