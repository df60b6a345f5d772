package dev.ftnotifier.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static dev.ftnotifier.deploy.ManifestsTest.list;
import static dev.ftnotifier.deploy.ManifestsTest.map;
import static dev.ftnotifier.deploy.ManifestsTest.maps;
import static dev.ftnotifier.deploy.ManifestsTest.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The high-availability component (deploy/kubernetes/ha, README "High availability") rendered as
 * an operator switches it on: a copy of the deployment files with the root kustomization's
 * {@code components:} lines uncommented, through {@code kubectl kustomize}. The rendered objects
 * are checked, and the checks are shown to fail on copies broken on purpose.
 */
class HaManifestsTest {

    @TempDir
    Path copy;

    @BeforeEach
    void copyTheDeploymentFiles() throws IOException {
        Assumptions.assumeTrue(ManifestsTest.onPath("kubectl"),
                "kubectl is not installed: the HA component was NOT rendered");
        for (String entry : List.of("kustomization.yaml", "application.properties", "routes", "templates", "deploy/kubernetes")) {
            dev.ftnotifier.testing.Folders.copyTree(Path.of(entry), copy.resolve(entry));
        }
        String root = Files.readString(copy.resolve("kustomization.yaml"));
        String on = root.replace("# components:\n#   - deploy/kubernetes/ha\n", "components:\n  - deploy/kubernetes/ha\n");
        assertFalse(on.equals(root), "kustomization.yaml no longer has the commented components: lines the README tells to uncomment");
        Files.writeString(copy.resolve("kustomization.yaml"), on);
    }

    @Test
    void theBaseWithoutTheComponentStaysOneInstanceWithoutAToken() throws Exception {
        List<Map<String, Object>> docs = ManifestsTest.yamlDocs(render(Path.of(".")));
        Map<String, Object> spec = map(one(docs, "Deployment"), "spec");
        assertEquals(1, ((Number) spec.get("replicas")).intValue());
        assertTrue(docs.stream().noneMatch(d -> "Role".equals(d.get("kind"))), "no Role without the component");
        assertEquals(Boolean.FALSE, map(map(spec, "template"), "spec").get("automountServiceAccountToken"));
    }

    @Test
    void withTheComponentTwoReplicasElectALeaderOnALeaseWithTheStateInPostgres() throws Exception {
        check(ManifestsTest.yamlDocs(render(copy)));
    }

    @Test
    void theChecksFailOnBrokenCopies() throws Exception {
        Path ha = copy.resolve("deploy/kubernetes/ha");
        broken(ha.resolve("role.yaml"), "\"create\", \"update\", \"patch\"", "\"create\", \"patch\"", "leases verbs");
        broken(ha.resolve("deployment-ha.yaml"), "replicas: 2", "replicas: 1", "replicas");
        broken(ha.resolve("deployment-ha.yaml"), "automountServiceAccountToken: true", "automountServiceAccountToken: false", "token");
        broken(ha.resolve("deployment-ha.yaml"), "value: kubernetes", "value: file", "NOTIFIER_CLUSTER");
        broken(ha.resolve("rolebinding.yaml"), "  - kind: ServiceAccount\n    name: fine-tuning-notifier",
                "  - kind: ServiceAccount\n    name: default", "RoleBinding");
        broken(ha.resolve("deployment-ha.yaml"), "key: NOTIFIER_STATE_JDBC_PASSWORD", "key: password", "NOTIFIER_STATE_JDBC_PASSWORD");
    }

    private void broken(Path file, String from, String to, String message) throws Exception {
        String text = Files.readString(file);
        assertTrue(text.contains(from), file + " no longer contains " + from);
        Files.writeString(file, text.replace(from, to));
        try {
            List<Map<String, Object>> docs = ManifestsTest.yamlDocs(render(copy));
            AssertionError error = assertThrows(AssertionError.class, () -> check(docs), "a copy with " + to + " passed");
            assertTrue(error.getMessage().contains(message), error.getMessage());
        } finally {
            Files.writeString(file, text);
        }
    }

    static void check(List<Map<String, Object>> docs) {
        Map<String, Object> deployment = one(docs, "Deployment");
        Map<String, Object> spec = map(deployment, "spec");
        assertEquals(2, ((Number) spec.get("replicas")).intValue(), "replicas");
        Map<String, Object> pod = map(map(spec, "template"), "spec");
        assertEquals(Boolean.TRUE, pod.get("automountServiceAccountToken"), "the pod mounts the token the election uses");
        String account = str(pod, "serviceAccountName");
        assertEquals(account, str(map(one(docs, "ServiceAccount"), "metadata"), "name"), "the pod runs as the ServiceAccount");

        Map<String, Object> container = maps(pod, "containers").get(0);
        Map<String, Map<String, Object>> env = new java.util.TreeMap<>();
        for (Map<String, Object> e : maps(container, "env")) {
            env.put(str(e, "name"), e);
        }
        assertEquals("kubernetes", String.valueOf(env.getOrDefault("NOTIFIER_CLUSTER", Map.of()).get("value")), "NOTIFIER_CLUSTER");
        assertEquals("jdbc", String.valueOf(env.getOrDefault("NOTIFIER_STATE_STORE", Map.of()).get("value")), "NOTIFIER_STATE_STORE");
        for (String name : List.of("NOTIFIER_STATE_JDBC_URL", "NOTIFIER_STATE_JDBC_USERNAME", "NOTIFIER_STATE_JDBC_PASSWORD")) {
            Map<String, Object> e = env.get(name);
            assertTrue(e != null && e.get("value") == null, name + " comes from a Secret, never a value in the manifest");
            Map<String, Object> ref = map(map(e, "valueFrom"), "secretKeyRef");
            assertEquals("fine-tuning-notifier-jdbc", str(ref, "name"), name + " secret");
            assertEquals(name, str(ref, "key"), name + " key in the Secret");
        }
        for (Map<String, Object> volume : maps(pod, "volumes")) {
            assertTrue(volume.get("persistentVolumeClaim") == null, "no ReadWriteOnce volume shared by two pods: " + volume);
        }
        assertTrue(docs.stream().noneMatch(d -> "PersistentVolumeClaim".equals(d.get("kind"))), "no state volume left");
        assertTrue(docs.stream().noneMatch(d -> "Secret".equals(d.get("kind"))), "kubectl apply -k must not blank a Secret");

        Map<String, Object> role = one(docs, "Role");
        Map<String, Set<String>> verbs = new java.util.TreeMap<>();
        for (Map<String, Object> rule : maps(role, "rules")) {
            for (Object resource : list(rule, "resources")) {
                verbs.computeIfAbsent(resource.toString(), r -> new TreeSet<>()).addAll(list(rule, "verbs"));
            }
        }
        assertEquals(Map.of("leases", Set.of("get", "list", "watch", "create", "update", "patch"), "pods", Set.of("get", "list")),
                verbs, "leases verbs and pods verbs, nothing more");
        Map<String, Object> binding = one(docs, "RoleBinding");
        assertEquals(str(map(role, "metadata"), "name"), str(map(binding, "roleRef"), "name"), "RoleBinding binds the Role");
        assertTrue(maps(binding, "subjects").stream().anyMatch(s -> "ServiceAccount".equals(s.get("kind")) && account.equals(s.get("name"))),
                "RoleBinding subjects name the pod's ServiceAccount " + account);
    }

    private static Map<String, Object> one(List<Map<String, Object>> docs, String kind) {
        List<Map<String, Object>> found = docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertEquals(1, found.size(), "one " + kind);
        return found.get(0);
    }

    private static String render(Path dir) throws Exception {
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
        String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
        assertEquals(0, kubectl.exitValue(), out);
        return out;
    }
}
