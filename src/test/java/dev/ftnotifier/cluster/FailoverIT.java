package dev.ftnotifier.cluster;

import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.RecordedRequest;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.testing.NotifierProcess;
import org.apache.camel.util.TimeUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged jars with {@code notifier.cluster=file} on one shared folder against one simulator,
 * as an operator runs them on one machine: only the leader polls; {@code kill -9} of the leader,
 * and the other polls within about one and a half acquire-lock-intervals. Prints the failover
 * time (README, "High availability"). Short timings by default (interval 2 s, poll 500 ms);
 * {@code -Dfailover.interval=10s -Dfailover.poll=30s} measures the defaults.
 */
class FailoverIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final String JOB = "ftjob-clock";
    private static final String KEY_A = "test-key-not-a-secret-a";
    private static final String KEY_B = "test-key-not-a-secret-b";
    private static final String INTERVAL = System.getProperty("failover.interval", "2s");
    private static final String POLL = System.getProperty("failover.poll", "500ms");

    @TempDir
    Path work;

    private FineTuningApiSimulator api;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void start() {
        api = FineTuningApiSimulator.start();
        api.putJob(SimulatedJob.queued(JOB, "gpt-4o-mini"));
        api.setStatus(JOB, "running");
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        api.close();
    }

    private Process launch(String name, String key) {
        assertTrue(Files.exists(Path.of("target", "fine-tuning-notifier.jar")), "run after mvn package");
        Process process = NotifierProcess.fromJar()
                .env("OPENAI_API_KEY", key)
                .env("OPENAI_BASE_URL", api.baseUrl())
                .env("NOTIFIER_JOBS", JOB)
                .env("NOTIFIER_POLL_INTERVAL", String.valueOf(TimeUtils.toMilliSeconds(POLL)))
                .env("NOTIFIER_STATE_DIR", work.resolve(name + "-state").toString())
                .env("NOTIFIER_FILE_DIR", work.resolve(name + "-files").toString())
                .env("NOTIFIER_CLUSTER", "file")
                .env("NOTIFIER_CLUSTER_FILE_ROOT", work.resolve("cluster").toString())
                .env("NOTIFIER_CLUSTER_FILE_ACQUIRE_LOCK_INTERVAL", INTERVAL)
                .start(work.resolve(name + ".log"));
        processes.add(process);
        return process;
    }

    private List<RecordedRequest> polls(String key) {
        return api.requests().stream().filter(r -> r.path().endsWith("/" + JOB))
                .filter(r -> ("Bearer " + key).equals(r.header("Authorization"))).toList();
    }

    private boolean started(String name) {
        return NotifierProcess.read(work.resolve(name + ".log")).contains("fine-tuning-notifier ");
    }

    @Test
    void theLeaderKilledWithSigkillTheStandbyPollsWithinAboutOneAndAHalfLockIntervals() throws Exception {
        long interval = TimeUtils.toMilliSeconds(INTERVAL);
        long poll = TimeUtils.toMilliSeconds(POLL);
        Process a = launch("a", KEY_A);
        await("a is elected and polls").atMost(START).until(() -> !polls(KEY_A).isEmpty());
        Process b = launch("b", KEY_B);
        await("b runs").atMost(START).until(() -> started("b") || !b.isAlive());
        assertTrue(b.isAlive(), NotifierProcess.read(work.resolve("b.log")));
        // b has tried the lock at least twice (every half interval) and stood by
        int seen = polls(KEY_A).size();
        await("a polls on").atMost(START).until(() -> polls(KEY_A).size() >= seen + Math.max(3, 2 * interval / poll));
        assertEquals(List.of(), polls(KEY_B), "the standby never polled");
        assertTrue(NotifierProcess.read(work.resolve("b.log")).contains("leader election: file lock in"));
        // the standby's start line does not claim it polls: only while it leads
        assertTrue(NotifierProcess.read(work.resolve("b.log")).lines().anyMatch(l -> l.contains(" started: polling ")
                && l.contains(" while this instance leads the cluster (file election")), NotifierProcess.read(work.resolve("b.log")));

        Instant killed = Instant.now();
        a.destroyForcibly(); // SIGKILL: no shutdown hook, the lock is left to the operating system
        assertTrue(a.waitFor(20, TimeUnit.SECONDS));
        assertEquals(137, a.exitValue(), "killed by SIGKILL");
        Instant lastA = polls(KEY_A).get(polls(KEY_A).size() - 1).at();

        await("b takes over").atMost(Duration.ofMillis(3 * interval + poll + 30_000)).until(() -> !polls(KEY_B).isEmpty());
        Instant firstB = polls(KEY_B).get(0).at();
        Duration failover = Duration.between(killed, firstB);
        System.out.printf("FailoverIT: acquire-lock-interval %s, poll %s: b polled %.2f s after the kill"
                        + " (%.2f s after a's last poll)%n", INTERVAL, POLL, failover.toMillis() / 1000.0,
                Duration.between(lastA, firstB).toMillis() / 1000.0);
        assertTrue(NotifierProcess.read(work.resolve("b.log")).contains("this instance is the leader now"));
        // the design: a leader silent for one interval is stale, standbys look every half interval, so it is
        // seen within 1.5 intervals, and the new leader polls at once; 2 s more for starting routes under load
        assertTrue(failover.toMillis() <= 2 * interval + poll + 2000, "failover took " + failover);
    }
}
