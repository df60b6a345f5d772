package dev.ftnotifier.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's group commit (issue 11): deliveries flush the disk outside the ledger's lock,
 * and appenders that wait at the same time share one flush; every record is still on disk
 * before its caller returns.
 */
class GroupCommitTest {

    @TempDir
    Path stateDir;

    private DeliveryLedger ledger() {
        return new DeliveryLedger(stateDir, new Backoff(Duration.ZERO, Duration.ZERO), Clock.systemUTC());
    }

    /** Holds every flush of the ledger's journal at its start until {@code letGo} is counted down. */
    private static CountDownLatch holdFlushes(DeliveryLedger ledger, CountDownLatch letGo) {
        CountDownLatch flushing = new CountDownLatch(1);
        ledger.journal.beforeFlush = () -> {
            flushing.countDown();
            try {
                letGo.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        return flushing;
    }

    @Test
    void aDeliveryWaitingForTheDiskHoldsNoOtherDeliveryBackAndTheyShareOneFlush() throws Exception {
        DeliveryLedger ledger = ledger();
        ledger.add("ftjob-1|failed|slack");
        ledger.add("ftjob-2|failed|slack");
        CountDownLatch letGo = new CountDownLatch(1);
        CountDownLatch flushing = holdFlushes(ledger, letGo);
        long flushesBefore = ledger.journal.flushes();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> first = threads.submit(() -> ledger.confirm("ftjob-1|failed|slack"));
            assertTrue(flushing.await(10, TimeUnit.SECONDS), "the first delivery's flush started");
            Future<Boolean> second = threads.submit(() -> ledger.confirm("ftjob-2|failed|slack"));
            // while the first waits for the disk, the second takes the ledger's lock and writes its line
            await().atMost(Duration.ofSeconds(5)).until(() -> ledger.journal.readAll().contains("sent ftjob-2|failed|slack"));
            assertFalse(first.isDone(), "the first returns only once its line is on disk");
            assertFalse(second.isDone(), "and so does the second");
            letGo.countDown();
            assertTrue(first.get(10, TimeUnit.SECONDS));
            assertTrue(second.get(10, TimeUnit.SECONDS));
            assertEquals(1, ledger.journal.flushes() - flushesBefore, "one flush covered both lines");
        } finally {
            letGo.countDown();
            threads.shutdownNow();
            ledger.stop();
        }
    }

    /**
     * A "sending" line, and a "sent" line on a channel that rewrites in place (the file channel),
     * are in the file (a kill -9 keeps them) without waiting for the disk: a power cut that took
     * them changes nothing a reader sees. A Slack post's "sent" line waits: it is what keeps a
     * power cut from posting twice.
     */
    @Test
    void onlyWhatAPowerCutCouldTurnIntoADuplicateWaitsForTheDisk() throws Exception {
        DeliveryLedger ledger = ledger();
        ledger.rewrittenInPlace(java.util.Set.of("file", "archive"));
        for (String key : List.of("ftjob-1|failed|slack", "ftjob-1|failed|file", "ftjob-1|failed|archive")) {
            ledger.add(key);
        }
        CountDownLatch letGo = new CountDownLatch(1);
        CountDownLatch flushing = holdFlushes(ledger, letGo);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> slack = threads.submit(() -> ledger.confirm("ftjob-1|failed|slack"));
            assertTrue(flushing.await(10, TimeUnit.SECONDS), "the Slack delivery's sent line is being flushed");
            // the disk is busy: taking a delivery (before its channel is called) and completing the
            // file channels' deliveries do not wait for it
            assertTrue(threads.submit(() -> ledger.add("ftjob-2|failed|slack") && ledger.confirm("ftjob-1|failed|file")
                    && ledger.confirm("ftjob-1|failed|archive")).get(5, TimeUnit.SECONDS));
            assertTrue(ledger.isDelivered("ftjob-1|failed|file") && ledger.isDelivered("ftjob-1|failed|archive"));
            assertTrue(ledger.journal.readAll().containsAll(List.of("sending ftjob-2|failed|slack", "sent ftjob-1|failed|file",
                    "sent ftjob-1|failed|archive")), "in the file: a kill -9 keeps them");
            assertFalse(slack.isDone(), "a Slack post counts as done only once its sent line is on disk");
            letGo.countDown();
            assertTrue(slack.get(10, TimeUnit.SECONDS));
        } finally {
            letGo.countDown();
            threads.shutdownNow();
            ledger.stop();
        }
        DeliveryLedger restarted = ledger();
        assertEquals(3, restarted.deliveredCount(), "the three deliveries confirmed are done after a restart");
        restarted.stop();
    }

    @Test
    void manyConcurrentDeliveriesNeedFarFewerFlushesAndAllSurviveARestart() throws Exception {
        DeliveryLedger ledger = ledger();
        long flushesBefore = ledger.journal.flushes();
        ExecutorService threads = Executors.newFixedThreadPool(32);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int t = 0; t < 32; t++) {
                int thread = t;
                all.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    for (int i = 0; i < 20; i++) {
                        String key = "ftjob-" + thread + "-" + i + "|succeeded|file";
                        ledger.add(key);
                        ledger.confirm(key);
                    }
                }, threads));
            }
            start.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        long flushes = ledger.journal.flushes() - flushesBefore;
        assertTrue(flushes < 32 * 20 * 2, "1,280 records in " + flushes + " flushes");
        ledger.stop();
        DeliveryLedger restarted = ledger();
        assertEquals(32 * 20, restarted.deliveredCount());
        restarted.stop();
    }
}
