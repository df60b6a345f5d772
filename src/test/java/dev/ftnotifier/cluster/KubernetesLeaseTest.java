package dev.ftnotifier.cluster;

import dev.ftnotifier.testing.Management;

import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.testing.RunningNotifier;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code notifier.cluster=kubernetes} against a Kubernetes API on 127.0.0.1 (fabric8's mock
 * server, keeping what it is sent): the notifier takes the Lease {@code <lease-name>-leader} in
 * the configured namespace under its pod's name and polls; when another pod holds the Lease, it
 * stands by and stops polling. Both DSLs.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesLeaseTest {

    private static final String NAMESPACE = "ml-ops";
    private static final String LEASE = "fine-tuning-notifier-leader";
    private static final String JOB = "ftjob-clock";
    private static final Map<String, String> CLIENT = Map.of(
            "kubernetes.auth.tryKubeConfig", "false", "kubernetes.auth.tryServiceAccount", "false",
            "kubernetes.trust.certificates", "true");

    KubernetesClient client;

    @TempDir
    Path work;

    private FineTuningApiSimulator api;

    @BeforeEach
    void start() {
        api = FineTuningApiSimulator.start();
        api.putJob(SimulatedJob.queued(JOB, "gpt-4o-mini"));
        api.setStatus(JOB, "running");
        // camel-kubernetes builds its client from the JVM's settings when no master URL is configured (in a
        // pod: the service account); here they point at the mock server
        System.setProperty("kubernetes.master", client.getMasterUrl().toString());
        CLIENT.forEach(System::setProperty);
    }

    @AfterEach
    void stop() {
        System.clearProperty("kubernetes.master");
        CLIENT.keySet().forEach(System::clearProperty);
        api.close();
    }

    /** The member name camel-kubernetes uses: HOSTNAME (the pod's name in Kubernetes), else the host's name. */
    private static String podName() throws Exception {
        String hostname = System.getenv("HOSTNAME");
        return hostname != null ? hostname : InetAddress.getLocalHost().getHostName();
    }

    private long polls() {
        return api.requests().stream().filter(r -> r.path().endsWith("/" + JOB)).count();
    }

    private Lease lease() {
        return client.leases().inNamespace(NAMESPACE).withName(LEASE).get();
    }

    @Test
    void itTakesTheLeaseUnderItsPodNameAndPollsAndStandsByWhileAnotherPodHoldsIt() throws Exception {
        String pod = podName();
        for (String name : new String[] {pod, "other-pod"}) {
            // camel-kubernetes counts as members only pods that run and are ready (so a standby must stay ready)
            client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                    .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .endStatus().build()).create();
        }
        Management probe = new Management();
        Map<String, String> p = RunningNotifier.baseProperties(api.baseUrl(), work.resolve("state"), work.resolve("files"));
        p.put("notifier.jobs", JOB);
        p.put("notifier.cluster", "kubernetes");
        p.put("notifier.cluster.kubernetes.namespace", NAMESPACE);
        p.put("notifier.cluster.kubernetes.lease-duration", "3s");
        try (RunningNotifier notifier = RunningNotifier.start(probe.on(p))) {
            await("the Lease is taken and the jobs polled").atMost(Duration.ofSeconds(30))
                    .until(() -> lease() != null && pod.equals(lease().getSpec().getHolderIdentity()) && polls() >= 2);
            assertEquals(3, lease().getSpec().getLeaseDurationSeconds());
            Management.Answer health = probe.get("/observe/health?data=true");
            assertEquals("leader", health.check("cluster").path("data").path("role").asText(), health.body());
            assertEquals("kubernetes", health.check("cluster").path("data").path("kind").asText(), health.body());
            assertEquals(1.0, probe.metric("notifier_cluster_leader"));

            // another pod holds the Lease now, renewed and for long
            client.leases().inNamespace(NAMESPACE).withName(LEASE).edit(l -> {
                l.getSpec().setHolderIdentity("other-pod");
                l.getSpec().setAcquireTime(ZonedDateTime.now());
                l.getSpec().setRenewTime(ZonedDateTime.now());
                l.getSpec().setLeaseDurationSeconds(3600);
                return l;
            });
            await("it stands by").atMost(Duration.ofSeconds(30)).until(() ->
                    "standby".equals(probe.get("/observe/health?data=true").check("cluster").path("data").path("role").asText()));
            assertEquals(0.0, probe.metric("notifier_cluster_leader"));
            assertEquals(200, probe.get("/observe/health/ready").status(), "a standby is ready");
            long stoppedAt = polls();
            // polls every 200 ms while leading: none for two seconds (the poll in flight at the change may land)
            await("it polls no more").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> polls() <= stoppedAt + 1);
        }
    }
}
