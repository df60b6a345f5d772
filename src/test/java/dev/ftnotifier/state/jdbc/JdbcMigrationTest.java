package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.testing.PostgresStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instances started at the same moment against a new, empty database (a Deployment's replicas
 * on their first rollout, a systemd unit on two hosts): every one of them starts. Before the
 * migration was serialised, the second of two racing instances found Flyway's history table
 * created and still empty, failed to baseline it and exited (ClusterFaultInjectionIT, once; this
 * test, with the lock taken out, in its second round). Twelve rounds of eight make the race likely.
 */
class JdbcMigrationTest {

    private static final int INSTANCES = 8;

    @RegisterExtension
    static final PostgresStates postgres = new PostgresStates();

    @Test
    void instancesStartedAtOnceOnAnEmptyDatabaseAllStart() throws Exception {
        for (int round = 0; round < 12; round++) {
            String url = postgres.newDatabase();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService starters = Executors.newFixedThreadPool(INSTANCES);
            try {
                List<Future<JdbcState>> started = new ArrayList<>();
                for (int i = 0; i < INSTANCES; i++) {
                    started.add(starters.submit(() -> {
                        go.await();
                        return postgres.instance(url);
                    }));
                }
                go.countDown();
                List<String> failures = new ArrayList<>();
                for (Future<JdbcState> f : started) {
                    try {
                        assertTrue(f.get(60, TimeUnit.SECONDS) != null);
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures.add(e.getCause().getMessage());
                    }
                }
                assertEquals(List.of(), failures, "round " + round + ": instances that did not start");
            } finally {
                starters.shutdownNow();
            }
        }
    }
}
