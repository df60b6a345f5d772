package dev.ftnotifier.cluster;

import dev.ftnotifier.config.ConfigurationException;
import dev.ftnotifier.testing.NotifierProcess;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code notifier.cluster.*}: read, checked with one line naming the key, and handed to Camel's cluster services. */
class ClusterSettingsTest {

    private static ClusterSettings read(String... keyValues) {
        Map<String, String> settings = new HashMap<>(Map.of(
                ClusterSettings.ACQUIRE_LOCK_INTERVAL, "10s", ClusterSettings.LEASE_NAME, "fine-tuning-notifier",
                ClusterSettings.LEASE_DURATION, "15s"));
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return ClusterSettings.of(key -> settings.getOrDefault(key, ""));
    }

    private static String refused(String... keyValues) {
        return assertThrows(ConfigurationException.class, () -> read(keyValues)).getMessage();
    }

    @Test
    void noneIsTheDefault() {
        assertEquals(ClusterSettings.Kind.NONE, read().kind());
        assertEquals(ClusterSettings.Kind.NONE, read("notifier.cluster", " none ").kind());
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertTrue(refused("notifier.cluster", "zookeeper").startsWith("notifier.cluster must be none, file or kubernetes, not 'zookeeper'"));
        assertTrue(refused("notifier.cluster", "file").startsWith("notifier.cluster.file.root is empty"));
        assertTrue(refused("notifier.cluster", "file", "notifier.cluster.file.root", "/x",
                "notifier.cluster.file.acquire-lock-interval", "soon").startsWith("notifier.cluster.file.acquire-lock-interval must be a duration"));
        assertTrue(refused("notifier.cluster.file.acquire-lock-interval", "50ms").contains("at least 200ms"));
        assertTrue(refused("notifier.cluster", "kubernetes", "notifier.cluster.kubernetes.lease-name", "Not_A_Name")
                .startsWith("notifier.cluster.kubernetes.lease-name must be"));
        assertTrue(refused("notifier.cluster", "kubernetes", "notifier.cluster.kubernetes.namespace", "-bad")
                .startsWith("notifier.cluster.kubernetes.namespace must be"));
        assertTrue(refused("notifier.cluster", "kubernetes", "notifier.cluster.kubernetes.lease-duration", "1s").contains("at least 3s"));
        assertTrue(refused("notifier.cluster", "kubernetes", "notifier.cluster.kubernetes.lease-duration", "4500ms").contains("whole seconds"));
    }

    @Test
    void theFileLockTicksEveryHalfIntervalAndCallsALeaderSilentForOneIntervalGone() {
        FileLockClusterService service = ClusterConfiguration.fileLock(read("notifier.cluster", "file",
                "notifier.cluster.file.root", "/shared/cluster", "notifier.cluster.file.acquire-lock-interval", "10s"));
        assertEquals("/shared/cluster", service.getRoot());
        assertEquals(5000, service.getAcquireLockIntervalUnit().toMillis(service.getAcquireLockInterval()));
        assertEquals(2, service.getHeartbeatTimeoutMultiplier());
        // silence tolerated = interval x multiplier = the key
        assertEquals(Duration.ofSeconds(10).toMillis(),
                service.getAcquireLockIntervalUnit().toMillis(service.getAcquireLockInterval()) * service.getHeartbeatTimeoutMultiplier());
    }

    @Test
    void theKubernetesElectionUsesALeaseWithTimingsFromItsDuration() {
        KubernetesClusterService service = ClusterConfiguration.kubernetes(read("notifier.cluster", "kubernetes",
                "notifier.cluster.kubernetes.namespace", "ml-ops", "notifier.cluster.kubernetes.lease-duration", "15s"));
        assertEquals("Lease", service.getLeaseResourceType().name());
        assertEquals("fine-tuning-notifier", service.getKubernetesResourceName());
        assertEquals("ml-ops", service.getKubernetesResourcesNamespace());
        assertEquals(15000, service.getLeaseDurationMillis());
        assertEquals(10000, service.getRenewDeadlineMillis());
        assertEquals(2000, service.getRetryPeriodMillis());
    }

    @Test
    void anUnknownClusterKindStopsTheStartWithOneLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("notifier.log");
        Process process = NotifierProcess.fromClasses()
                .env(Map.of("OPENAI_API_KEY", "test-key-not-a-secret", "NOTIFIER_JOBS", "ftjob-abc",
                        "NOTIFIER_CLUSTER", "zookeeper", "CAMEL_MAIN_DURATION_MAX_SECONDS", "3"))
                .start(log);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the notifier did not stop");
        String out = NotifierProcess.read(log);
        assertEquals(2, process.exitValue(), out);
        assertTrue(out.contains("fine-tuning-notifier: notifier.cluster must be none, file or kubernetes, not 'zookeeper'"), out);
    }
}
