package dev.ftnotifier.cluster;

import dev.ftnotifier.testing.Management;

import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.testing.LogLines;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two notifiers with {@code notifier.cluster=file} on one shared folder, in this JVM, through the
 * route files of this test run's DSL: one polls, the other stands by (healthy, ready, not
 * polling) and takes over when the first stops. Each has its own API key, so the simulator
 * tells who polled. The kill -9 failover of the packaged jar is {@code process/FailoverIT}.
 */
class LeaderElectionTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String JOB = "ftjob-clock";
    private static final String KEY_A = "test-key-not-a-secret-a";
    private static final String KEY_B = "test-key-not-a-secret-b";

    @TempDir
    Path work;

    @RegisterExtension
    LogLines logs = new LogLines();

    private FineTuningApiSimulator api;

    @BeforeEach
    void start() {
        api = FineTuningApiSimulator.start();
        api.putJob(SimulatedJob.queued(JOB, "gpt-4o-mini"));
        api.setStatus(JOB, "running");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private long polls(String key) {
        return api.requests().stream().filter(r -> r.path().endsWith("/" + JOB))
                .filter(r -> ("Bearer " + key).equals(r.header("Authorization"))).count();
    }

    private Map<String, String> instance(String name, String key, Management probe) {
        Map<String, String> p = RunningNotifier.baseProperties(api.baseUrl(), work.resolve(name + "-state"), work.resolve(name + "-files"));
        p.put("openai.api-key", key);
        p.put("notifier.jobs", JOB);
        p.put("notifier.cluster", "file");
        p.put("notifier.cluster.file.root", work.resolve("cluster").toString());
        p.put("notifier.cluster.file.acquire-lock-interval", "1s");
        return probe.on(p);
    }

    @Test
    void oneInstancePollsTheOtherStandsByHealthyAndTakesOverWhenTheFirstStops() throws Exception {
        Management probeA = new Management();
        Management probeB = new Management();
        RunningNotifier a = RunningNotifier.start(instance("a", KEY_A, probeA));
        RunningNotifier b = null;
        try {
            await("a is elected and polls").atMost(DEADLINE).until(() -> polls(KEY_A) >= 2);
            b = RunningNotifier.start(instance("b", KEY_B, probeB));
            long seenA = polls(KEY_A);
            await("a polls on while b stands by").atMost(DEADLINE).until(() -> polls(KEY_A) >= seenA + 10);
            assertEquals(0, polls(KEY_B), "the standby never polled");
            // both run on their own journals: each warns that a failover repeats current statuses
            assertEquals(2, logs.containing("WARN", "notifier.state.store=file: each instance keeps its own delivery state").size(),
                    String.join("\n", logs.containing("notifier.cluster")));

            Management.Answer health = probeB.get("/observe/health?data=true");
            assertEquals(200, health.status(), health.body());
            assertEquals("UP", health.check("cluster").path("status").asText(), health.body());
            assertEquals("standby", health.check("cluster").path("data").path("role").asText(), health.body());
            assertEquals("file", health.check("cluster").path("data").path("kind").asText(), health.body());
            assertEquals("UP", health.check("poll").path("status").asText(), "a standby is not late: " + health.body());
            assertEquals(200, probeB.get("/observe/health/ready").status(), "a standby is ready");
            assertEquals(200, probeB.get("/observe/health/live").status(), "a standby is alive");
            assertEquals(0.0, probeB.metric("notifier_cluster_leader"));
            assertEquals(1.0, probeA.metric("notifier_cluster_leader"));
            assertEquals("leader", probeA.get("/observe/health?data=true").check("cluster").path("data").path("role").asText());

            a.close();
            long stoppedAt = System.nanoTime();
            long lastA = polls(KEY_A);
            await("b takes over").atMost(DEADLINE).until(() -> polls(KEY_B) >= 2);
            System.out.printf("LeaderElectionTest: b polled %.1f s after a stopped%n", (System.nanoTime() - stoppedAt) / 1e9);
            assertEquals(lastA, polls(KEY_A), "a polls no more");
            assertEquals("leader", probeB.get("/observe/health?data=true").check("cluster").path("data").path("role").asText());
            assertEquals(1.0, probeB.metric("notifier_cluster_leader"));
            assertTrue(probeB.get("/observe/health").check("poll").path("message").asText().startsWith("last successful poll"));
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }
}
