package dev.ftnotifier.cluster;

import dev.ftnotifier.config.ConfigurationException;
import dev.ftnotifier.config.JobIds;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * {@code notifier.cluster.*} read and checked once (README, "High availability"): which leader
 * election runs ({@code none}, {@code file}, {@code kubernetes}) and its settings. Checked before
 * the routes load, so a bad value stops the start with one line naming the key.
 *
 * @param kind                 none, file or kubernetes
 * @param fileRoot             the folder every instance shares (file only)
 * @param acquireLockInterval  how often a standby tries the lock, and how long a silent leader keeps it (file only)
 * @param kubernetesNamespace  the Kubernetes namespace of the Lease; empty = the pod's own
 * @param leaseName            the Lease's name prefix (Camel names the Lease {@code <lease-name>-leader})
 * @param leaseDuration        how long a Lease outlives its last renewal (kubernetes only)
 */
public record ClusterSettings(Kind kind, String fileRoot, Duration acquireLockInterval,
                              String kubernetesNamespace, String leaseName, Duration leaseDuration) {

    public static final String CLUSTER = "notifier.cluster";
    public static final String FILE_ROOT = "notifier.cluster.file.root";
    public static final String ACQUIRE_LOCK_INTERVAL = "notifier.cluster.file.acquire-lock-interval";
    public static final String K8S_NAMESPACE = "notifier.cluster.kubernetes.namespace";
    public static final String LEASE_NAME = "notifier.cluster.kubernetes.lease-name";
    public static final String LEASE_DURATION = "notifier.cluster.kubernetes.lease-duration";

    /** Camel's cluster namespace for the leader-only routes: the lock file's name, the Lease's suffix. */
    public static final String GROUP = "leader";

    public enum Kind {
        NONE, FILE, KUBERNETES;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Reads and checks the settings; {@code settings} answers a key with its value, or "" when unset. */
    public static ClusterSettings of(UnaryOperator<String> settings) {
        String value = settings.apply(CLUSTER).trim();
        Kind kind = switch (value) {
            case "", "none" -> Kind.NONE;
            case "file" -> Kind.FILE;
            case "kubernetes" -> Kind.KUBERNETES;
            default -> throw new ConfigurationException(CLUSTER + " must be none, file or kubernetes, not '"
                    + JobIds.printable(value) + "'");
        };
        String root = settings.apply(FILE_ROOT).trim();
        Duration interval = duration(ACQUIRE_LOCK_INTERVAL, settings.apply(ACQUIRE_LOCK_INTERVAL), "10s", Duration.ofMillis(200),
                "200ms");
        String namespace = settings.apply(K8S_NAMESPACE).trim();
        String lease = settings.apply(LEASE_NAME).trim();
        Duration leaseDuration = duration(LEASE_DURATION, settings.apply(LEASE_DURATION), "15s", Duration.ofSeconds(3), "3s");
        if (kind == Kind.FILE && root.isEmpty()) {
            throw new ConfigurationException(FILE_ROOT + " is empty: with " + CLUSTER
                    + "=file give the folder every instance shares (a shared volume)");
        }
        if (kind == Kind.KUBERNETES) {
            // Kubernetes names: lower-case letters, digits and '-' (RFC 1123 labels)
            if (!namespace.isEmpty() && !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                throw new ConfigurationException(K8S_NAMESPACE + " must be a Kubernetes namespace name (or empty for the pod's),"
                        + " not '" + JobIds.printable(namespace) + "'");
            }
            if (!lease.matches("[a-z0-9]([-a-z0-9]{0,45}[a-z0-9])?")) {
                throw new ConfigurationException(LEASE_NAME + " must be lower-case letters, digits and '-' (at most 47),"
                        + " not '" + JobIds.printable(lease) + "'");
            }
            if (leaseDuration.toMillis() % 1000 != 0) {
                throw new ConfigurationException(LEASE_DURATION + " must be whole seconds (a Lease counts in seconds), not '"
                        + JobIds.printable(settings.apply(LEASE_DURATION).trim()) + "'");
            }
        }
        return new ClusterSettings(kind, root, interval, namespace, lease.isEmpty() ? "fine-tuning-notifier" : lease,
                leaseDuration);
    }

    private static Duration duration(String key, String raw, String example, Duration least, String leastWords) {
        String value = raw == null || raw.isBlank() ? example : raw.trim();
        try {
            long millis = TimeUtils.toMilliSeconds(value);
            if (millis < least.toMillis()) {
                throw new IllegalArgumentException("too short");
            }
            return Duration.ofMillis(millis);
        } catch (RuntimeException e) {
            throw new ConfigurationException(key + " must be a duration of at least " + leastWords + " (" + example
                    + "), not '" + JobIds.printable(value) + "'");
        }
    }

    /** What an operator reads at start and in the {@code cluster} health check. */
    public String describe() {
        return switch (kind) {
            case NONE -> "none (one instance: it always polls)";
            case FILE -> "file lock in " + fileRoot + "/" + GROUP + " (acquire-lock-interval " + acquireLockInterval.toMillis() + "ms)";
            case KUBERNETES -> "Kubernetes Lease " + leaseName + "-" + GROUP + " in "
                    + (kubernetesNamespace.isEmpty() ? "the pod's namespace" : "namespace " + kubernetesNamespace)
                    + " (lease-duration " + leaseDuration.toSeconds() + "s)";
        };
    }

    /** Checks {@code notifier.cluster.*} before Camel Main configures anything: a bad value stops the start. */
    public static final class Check extends MainListenerSupport {
        @Override
        public void beforeConfigure(BaseMainSupport main) {
            PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
            of(key -> properties.resolveProperty(key).orElse(""));
        }
    }
}
