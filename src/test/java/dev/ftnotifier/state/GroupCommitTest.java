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

    @Test
    void aDeliveryWaitingForTheDiskHoldsNoOtherDeliveryBackAndTheyShareOneFlush() throws Exception {
        DeliveryLedger ledger = ledger();
        CountDownLatch flushing = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        ledger.journal.beforeFlush = () -> {
            flushing.countDown();
            try {
                letGo.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        long flushesBefore = ledger.journal.flushes();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> first = threads.submit(() -> ledger.add("ftjob-1|failed|file"));
            assertTrue(flushing.await(10, TimeUnit.SECONDS), "the first delivery's flush started");
            Future<Boolean> second = threads.submit(() -> ledger.add("ftjob-2|failed|file"));
            // while the first waits for the disk, the second takes the ledger's lock and writes its line
            await().atMost(Duration.ofSeconds(5)).until(() -> ledger.journal.readAll().contains("sending ftjob-2|failed|file"));
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
