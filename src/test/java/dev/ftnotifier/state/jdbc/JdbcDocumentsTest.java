package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.state.StateDocuments;
import dev.ftnotifier.testing.PostgresStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documents table on a real PostgreSQL, with two instances: what one writes the other reads,
 * a write from an old copy changes nothing, and of many writers replacing one version exactly one wins.
 */
class JdbcDocumentsTest {

    @RegisterExtension
    static final PostgresStates postgres = new PostgresStates();

    private StateDocuments instance(String url) {
        return postgres.instance(url).documents(Path.of("unused"));
    }

    @Test
    void whatTheOldLeaderWroteTheNewOneReadsAndAnOldCopyOverwritesNothing() {
        String url = postgres.newDatabase();
        StateDocuments a = instance(url);
        StateDocuments b = instance(url);
        assertEquals(Optional.empty(), b.readIfChanged("discovery", 0), "nothing written yet");

        long v1 = a.write("discovery", "{\"horizon\":1}", 0);
        assertEquals(1, v1);
        assertEquals(Optional.of(new StateDocuments.Document("{\"horizon\":1}", 1)), b.readIfChanged("discovery", 0));
        assertEquals(Optional.empty(), b.readIfChanged("discovery", 1), "unchanged since: not read again");

        long v2 = b.write("discovery", "{\"horizon\":2}", 1);
        assertEquals(2, v2);
        // a, paused while b led, still holds version 1: its write changes nothing
        assertEquals(-1, a.write("discovery", "{\"horizon\":-1}", 1));
        assertEquals(-1, a.write("discovery", "{\"horizon\":-1}", 0), "nor does a first write over an existing one");
        assertEquals("{\"horizon\":2}", a.readIfChanged("discovery", -1).orElseThrow().json(), "it reads the newer one");
        assertEquals(Optional.empty(), a.readIfChanged("self-alerts", 0), "documents are by name");
    }

    @Test
    void ofManyWritersReplacingOneVersionExactlyOneWins() throws Exception {
        String url = postgres.newDatabase();
        StateDocuments a = instance(url);
        StateDocuments b = instance(url);
        a.write("self-alerts", "[]", 0);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> writes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                StateDocuments writer = i % 2 == 0 ? a : b;
                String json = "[" + i + "]";
                Callable<Long> write = () -> {
                    go.await();
                    return writer.write("self-alerts", json, 1);
                };
                writes.add(pool.submit(write));
            }
            go.countDown();
            List<Long> versions = new ArrayList<>();
            for (Future<Long> w : writes) {
                versions.add(w.get());
            }
            assertEquals(1, versions.stream().filter(v -> v == 2).count(), versions.toString());
            assertEquals(15, versions.stream().filter(v -> v == -1).count(), versions.toString());
            StateDocuments.Document now = b.readIfChanged("self-alerts", 0).orElseThrow();
            assertEquals(2, now.version());
            assertTrue(now.json().matches("\\[\\d+]"), now.json());
        } finally {
            pool.shutdownNow();
        }
    }
}
