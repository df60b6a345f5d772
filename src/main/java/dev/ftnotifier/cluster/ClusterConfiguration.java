package dev.ftnotifier.cluster;

import dev.ftnotifier.state.StateStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Leader election (README, "High availability"). Binds the route policy the leader-only routes
 * name in {@code routes/} ({@code routePolicy: leaderOnly}: poll, poll-cron, the schedules, the
 * self-alerts): with {@code notifier.cluster=none} a policy that changes nothing; with
 * {@code file} or {@code kubernetes} Camel's {@link ClusteredRoutePolicy}, which starts those
 * routes when this instance wins the election of its cluster service and stops them when it
 * loses it. Also the {@code clusterRole} bean, the {@code cluster} health check and the
 * {@code notifier_cluster_leader} metric.
 */
public class ClusterConfiguration implements CamelConfiguration {

    /** The route policy's bean name, as the route files name it. */
    public static final String POLICY = "leaderOnly";

    @Override
    public void configure(CamelContext context) throws Exception {
        ClusterSettings settings = ClusterSettings.of(key -> context.getPropertiesComponent().resolveProperty(key).orElse(""));
        Clock clock = Clock.systemUTC();
        ClusterRole leadership;
        if (settings.kind() == ClusterSettings.Kind.NONE) {
            context.getRegistry().bind(POLICY, new AlwaysLeaderPolicy());
            leadership = ClusterRole.alone(settings, clock);
        } else {
            CamelClusterService service = settings.kind() == ClusterSettings.Kind.FILE ? fileLock(settings) : kubernetes(settings);
            service.setCamelContext(context);
            // its options are applied on init; a view asked for before that would miss them
            service.init();
            context.addService(service, true, true);
            ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace(service, ClusterSettings.GROUP);
            policy.setCamelContext(context);
            context.getRegistry().bind(POLICY, policy);
            leadership = ClusterRole.following(settings, service, clock);
            context.addService(leadership, true, true);
        }
        context.getRegistry().bind("clusterRole", leadership);
        context.getRegistry().bind("cluster-health-check", new ClusterHealthCheck(leadership));
        MeterRegistry registry = context.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (registry != null) {
            Gauge.builder("notifier.cluster.leader", () -> leadership.leader() ? 1 : 0)
                    .description("1 while this instance is the leader (it polls, discovers and runs the schedules), 0 on a standby")
                    .register(registry);
        }
        LoggerFactory.getLogger("notifier.cluster").info("leader election: {}", settings.describe());
        // notifier.state.store is StateStoreConfiguration's: its bean says whether the instances share the state
        StateStore store = context.getRegistry().lookupByNameAndType("stateStore", StateStore.class);
        if (settings.kind() != ClusterSettings.Kind.NONE && (store == null || !store.shared())) {
            // allowed (one machine, a trial), but not what high availability needs: say so once
            LoggerFactory.getLogger("notifier.cluster").warn("leader election with notifier.state.store=file: each instance keeps"
                    + " its own delivery state, so after a failover the new leader tells each job's current status again;"
                    + " set notifier.state.store=jdbc to share it (README, High availability)");
        }
    }

    /**
     * camel-file's lock on {@code <root>/leader}. Camel's own timing: a standby tries every
     * interval, and counts the leader gone after {@code heartbeatTimeoutMultiplier} intervals
     * without a heartbeat in {@code <root>/leader.dat}. Here it ticks every half
     * {@code acquire-lock-interval} with a multiplier of 2: a leader silent for one
     * acquire-lock-interval (two missed heartbeats) is replaced within about one and a half.
     */
    static FileLockClusterService fileLock(ClusterSettings settings) {
        long half = Math.max(100, settings.acquireLockInterval().toMillis() / 2);
        FileLockClusterService service = new FileLockClusterService();
        service.setId("notifier-file-lock");
        service.setRoot(settings.fileRoot());
        service.setAcquireLockInterval(half, TimeUnit.MILLISECONDS);
        service.setAcquireLockDelay(half, TimeUnit.MILLISECONDS);
        service.setHeartbeatTimeoutMultiplier(2);
        return service;
    }

    /**
     * camel-kubernetes' election on a {@code coordination.k8s.io} Lease named
     * {@code <lease-name>-leader} (Camel appends the group), in the pod's namespace unless one is
     * set; the pod name (HOSTNAME) is the holder. Renewal deadline and retry period follow the
     * lease duration as Camel's defaults do (15 s: 10 s, 2 s).
     */
    static KubernetesClusterService kubernetes(ClusterSettings settings) {
        // a configuration object of our own: Camel applies setNamespace only to one it was given
        KubernetesClusterService service = new KubernetesClusterService(new KubernetesConfiguration());
        service.setId("notifier-kubernetes-lease");
        if (!settings.kubernetesNamespace().isEmpty()) {
            service.setNamespace(settings.kubernetesNamespace());
            service.setKubernetesResourcesNamespace(settings.kubernetesNamespace());
        }
        long lease = settings.leaseDuration().toMillis();
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName(settings.leaseName());
        service.setLeaseDurationMillis(lease);
        service.setRenewDeadlineMillis(lease * 2 / 3);
        service.setRetryPeriodMillis(lease * 2 / 15);
        return service;
    }
}
