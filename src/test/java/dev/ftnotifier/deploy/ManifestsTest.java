package dev.ftnotifier.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The deployment files ({@code kustomization.yaml}, {@code deploy/kubernetes}, {@code deploy/Dockerfile},
 * {@code deploy/systemd}) agree with the notifier's configuration: images cannot be built and no
 * cluster runs here, so the manifests are proven by reading them. Each check also runs on a copy
 * broken on purpose ({@link #eachCheckFailsOnABrokenCopy}), so a check that cannot fail is caught.
 */
class ManifestsTest {

    // the management server's and the webhook receiver's contract (README, "Running in production")
    static final String LIVE = "/observe/health/live";
    static final String READY = "/observe/health/ready";
    static final String METRICS = "/observe/metrics";
    static final Set<String> SECRETS = Set.of("OPENAI_API_KEY", "NOTIFIER_SLACK_WEBHOOK_URL", "NOTIFIER_EMAIL_PASSWORD",
            "OPENAI_WEBHOOK_SECRET");
    /** Documentation for people, not read by the notifier: not in a ConfigMap. */
    static final Set<String> NOT_DEPLOYED = Set.of("templates/README.md");
    /** kubectl apply keeps the whole object in an annotation, and annotations are limited to 256 KiB. */
    static final long CONFIG_MAP_BUDGET = 200_000;
    static final String UNIT = "deploy/systemd/fine-tuning-notifier.service";
    static final String ENV_EXAMPLE = "deploy/systemd/fine-tuning-notifier.env.example";

    @Test
    void probesAndScrapeUseTheManagementPortAndTheContractPaths() throws IOException {
        probesAndScrape(new Repo(Path.of("")));
    }

    @Test
    void containerPortsServiceAndImageMatchTheConfiguredPorts() throws IOException {
        ports(new Repo(Path.of("")));
    }

    @Test
    void everyRouteTemplateAndSettingsFileIsInAConfigMapMountedWhereTheNotifierReadsIt() throws IOException {
        configMaps(new Repo(Path.of("")));
    }

    @Test
    void stateIsOnTheVolumeAndTmpIsWritable() throws IOException {
        volumes(new Repo(Path.of("")));
    }

    @Test
    void theSecretHasTheNamesAndNoValues() throws IOException {
        secret(new Repo(Path.of("")));
    }

    @Test
    void thePodIsHardenedAndRunsAlone() throws IOException {
        hardening(new Repo(Path.of("")));
    }

    @Test
    void theImageRunsTheJarAsANonRootUser() throws IOException {
        dockerfile(new Repo(Path.of("")));
    }

    @Test
    void theSystemdUnitHasTheRequiredDirectives() throws IOException {
        systemdUnit(new Repo(Path.of("")));
    }

    @Test
    void theSystemdUnitPassesSystemdAnalyzeVerify(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(onPath("systemd-analyze"),
                "systemd-analyze is not installed: the unit's directives were checked, its syntax was NOT verified");
        assertEquals("", systemdAnalyzeVerify(new Repo(Path.of("")), tmp));
    }

    @Test
    void theKustomizationRendersWithKubectl() throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"),
                "kubectl is not installed: the kustomization was read, NOT rendered with kubectl kustomize");
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", ".").redirectErrorStream(true).start();
        String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
        assertEquals(0, kubectl.exitValue(), out);
        List<Map<String, Object>> docs = yamlDocs(out);
        Set<String> configMaps = new TreeSet<>();
        for (Map<String, Object> doc : docs) {
            if ("ConfigMap".equals(doc.get("kind"))) {
                configMaps.add(str(map(doc, "metadata"), "name"));
            }
            assertNotEquals("Secret", doc.get("kind"), "kubectl apply -k must not blank the secrets an operator filled in");
        }
        Map<String, Object> deployment = docs.stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow();
        for (Map<String, Object> volume : maps(map(map(map(deployment, "spec"), "template"), "spec"), "volumes")) {
            if (volume.get("configMap") != null) {
                String name = str(map(volume, "configMap"), "name");
                assertTrue(configMaps.contains(name), "the Deployment mounts ConfigMap " + name + ", rendered: " + configMaps);
            }
        }
    }

    // ---------------------------------------------------------------- the checks

    static void probesAndScrape(Repo repo) throws IOException {
        int management = repo.port("notifier.management.port");
        Map<String, Object> container = repo.container();
        Map<String, String> paths = Map.of("startupProbe", LIVE, "livenessProbe", LIVE, "readinessProbe", READY);
        for (Map.Entry<String, String> probe : paths.entrySet()) {
            Map<String, Object> httpGet = map(map(container, probe.getKey()), "httpGet");
            assertEquals(management, repo.containerPort(httpGet.get("port")),
                    probe.getKey() + " must probe the management port (notifier.management.port)");
            assertEquals(probe.getValue(), httpGet.get("path"), probe.getKey() + " path");
            assertTrue(httpGet.get("scheme") == null || "HTTP".equals(httpGet.get("scheme")), probe.getKey() + " scheme");
        }
        Map<String, Object> annotations = map(map(repo.podTemplate(), "metadata"), "annotations");
        assertEquals("true", annotations.get("prometheus.io/scrape"), "prometheus.io/scrape");
        assertEquals(String.valueOf(management), annotations.get("prometheus.io/port"), "prometheus.io/port is the management port");
        assertEquals(METRICS, annotations.get("prometheus.io/path"), "prometheus.io/path");
        String host = repo.setting("notifier.management.host");
        assertFalse(host != null && host.matches("127\\..*|localhost|::1"),
                "notifier.management.host " + host + ": the kubelet probes the pod's address, not its loopback");
    }

    static void ports(Repo repo) throws IOException {
        int management = repo.port("notifier.management.port");
        int webhook = repo.port("notifier.webhook.port");
        assertEquals(management, repo.containerPort("management"), "container port 'management'");
        assertEquals(webhook, repo.containerPort("webhook"), "container port 'webhook'");
        Map<String, Object> service = repo.kubernetes("Service");
        List<Map<String, Object>> servicePorts = list(map(service, "spec"), "ports");
        assertEquals(1, servicePorts.size(), "the Service publishes the webhook port only: " + servicePorts);
        assertEquals(webhook, repo.containerPort(servicePorts.get(0).get("targetPort")), "the Service's targetPort is the webhook port");
        assertEquals(webhook, ((Number) servicePorts.get(0).get("port")).intValue(), "the Service's port is the webhook port");
        assertEquals(map(map(repo.podTemplate(), "metadata"), "labels"), map(map(service, "spec"), "selector"),
                "the Service selects the notifier's pod");
        assertEquals(new TreeSet<>(List.of(management, webhook)), repo.dockerfile().exposed(), "the Dockerfile's EXPOSE");
    }

    static void configMaps(Repo repo) throws IOException {
        Map<String, Object> podSpec = map(repo.podTemplate(), "spec");
        String workdir = repo.workdir();
        Map<String, String> expectedWhere = new TreeMap<>(); // repository file -> where the notifier reads it in the pod
        expectedWhere.put("application.properties", workdir + "/application.properties");
        String routes = repo.folder("notifier.routes.dir");
        String templates = repo.folder("notifier.templates.dir");
        try (Stream<Path> files = Stream.concat(Files.walk(repo.root.resolve("routes")), Files.walk(repo.root.resolve("templates")))) {
            files.filter(Files::isRegularFile).map(f -> repo.root.relativize(f).toString().replace('\\', '/'))
                    .filter(f -> !NOT_DEPLOYED.contains(f))
                    .forEach(f -> expectedWhere.put(f, f.startsWith("routes/")
                            ? routes + f.substring("routes".length()) : templates + f.substring("templates".length())));
        }
        Map<String, String> deployedWhere = new TreeMap<>();
        Set<String> generated = new TreeSet<>();
        for (Map<String, Object> generator : maps(repo.rootKustomization(), "configMapGenerator")) {
            String name = str(generator, "name");
            generated.add(name);
            List<String> mounts = repo.mountsOfConfigMap(name);
            assertFalse(mounts.isEmpty(), "ConfigMap " + name + " is generated but mounted nowhere");
            boolean hashed = generator.get("options") == null || !Boolean.TRUE.equals(map(generator, "options").get("disableNameSuffixHash"));
            long bytes = 0;
            for (Object entry : list(generator, "files")) {
                String spec = String.valueOf(entry);
                String key = spec.contains("=") ? spec.substring(0, spec.indexOf('=')) : spec.substring(spec.lastIndexOf('/') + 1);
                String file = spec.contains("=") ? spec.substring(spec.indexOf('=') + 1) : spec;
                Path path = repo.root.resolve(file);
                assertTrue(Files.isRegularFile(path), "ConfigMap " + name + " names " + file + ", which does not exist");
                bytes += Files.size(path);
                for (String mount : mounts) {
                    // "<mountPath>|<subPath>" for a single key, "<mountPath>" for a folder
                    String where = mount.contains("|") ? (mount.endsWith("|" + key) ? mount.substring(0, mount.indexOf('|')) : null)
                            : mount + "/" + key;
                    String before = where == null ? null : deployedWhere.putIfAbsent(file, where);
                    assertTrue(before == null, file + " is in two ConfigMap mounts: " + before + " and " + where);
                }
                boolean reloaded = file.startsWith("routes/") || file.startsWith("templates/");
                assertEquals(reloaded, !hashed, "ConfigMap " + name + (reloaded
                        ? " holds routes or templates, reloaded while running: options.disableNameSuffixHash: true,"
                        + " or every edit replaces the pod"
                        : " holds settings read at start-up: keep its hashed name, so a change restarts the pod"));
            }
            assertTrue(bytes < CONFIG_MAP_BUDGET, "ConfigMap " + name + " holds " + bytes
                    + " bytes: kubectl apply copies it into an annotation limited to 256 KiB; split it");
        }
        for (Map<String, Object> volume : maps(podSpec, "volumes")) {
            if (volume.get("configMap") != null) {
                String name = str(map(volume, "configMap"), "name");
                assertTrue(generated.contains(name), "the Deployment mounts ConfigMap " + name + ", which the kustomization does not make");
                assertTrue(map(volume, "configMap").get("items") == null, "ConfigMap volume " + name + ": items are not supported here");
            }
        }
        Set<String> missing = new TreeSet<>(expectedWhere.keySet());
        missing.removeAll(deployedWhere.keySet());
        assertEquals(Set.of(), missing, "files the notifier reads that no ConfigMap holds: add them to kustomization.yaml");
        assertEquals(expectedWhere, deployedWhere,
                "each file the notifier reads (left: where it reads it) is in a ConfigMap mounted there (right): "
                        + "a new file in routes/ or templates/ needs a line in kustomization.yaml");
    }

    static void volumes(Repo repo) throws IOException {
        Map<String, Object> podSpec = map(repo.podTemplate(), "spec");
        Map<String, Object> claim = repo.kubernetes("PersistentVolumeClaim");
        String claimName = str(map(claim, "metadata"), "name");
        String stateVolume = null;
        String tmpVolume = null;
        for (Map<String, Object> volume : maps(podSpec, "volumes")) {
            if (volume.get("persistentVolumeClaim") != null && claimName.equals(map(volume, "persistentVolumeClaim").get("claimName"))) {
                stateVolume = str(volume, "name");
            }
            if (volume.containsKey("emptyDir")) {
                tmpVolume = str(volume, "name");
            }
        }
        assertNotNull(stateVolume, "no volume of the pod is the claim " + claimName);
        String stateMount = null;
        String tmpMount = null;
        for (Map<String, Object> mount : maps(repo.container(), "volumeMounts")) {
            if (mount.get("name").equals(stateVolume)) {
                assertTrue(mount.get("subPath") == null && !Boolean.TRUE.equals(mount.get("readOnly")), "the state volume is mounted whole, writable");
                stateMount = str(mount, "mountPath");
            }
            if (mount.get("name").equals(tmpVolume)) {
                tmpMount = str(mount, "mountPath");
            }
        }
        assertNotNull(stateMount, "the state volume is not mounted");
        assertEquals("/tmp", tmpMount, "a writable /tmp (emptyDir): the root filesystem is read-only");
        for (String key : List.of("notifier.state.dir", "notifier.file.dir")) {
            String folder = repo.folder(key);
            assertTrue(Path.of(folder).normalize().startsWith(Path.of(stateMount)),
                    key + " is " + folder + ", not on the state volume mounted at " + stateMount + ": it would be lost or unwritable");
        }
        Map<String, Object> claimSpec = map(claim, "spec");
        assertEquals(List.of("ReadWriteOnce"), claimSpec.get("accessModes"), "one writer: ReadWriteOnce");
    }

    static void secret(Repo repo) throws IOException {
        Map<String, Object> secret = repo.yaml("deploy/kubernetes/secret.yaml").get(0);
        assertEquals("Secret", secret.get("kind"));
        Map<String, Object> values = new LinkedHashMap<>();
        if (secret.get("stringData") != null) {
            values.putAll(map(secret, "stringData"));
        }
        if (secret.get("data") != null) {
            values.putAll(map(secret, "data"));
        }
        assertEquals(new TreeSet<>(SECRETS), new TreeSet<>(values.keySet()), "the Secret's key names");
        values.forEach((k, v) -> assertTrue(v == null || v.toString().isEmpty(), "the Secret holds a value for " + k + ": names only"));
        String name = str(map(secret, "metadata"), "name");
        List<Object> envFrom = list(repo.container(), "envFrom");
        assertTrue(envFrom.stream().anyMatch(e -> e instanceof Map<?, ?> m && m.get("secretRef") instanceof Map<?, ?> r
                        && name.equals(r.get("name"))), "the container takes its environment from Secret " + name);
        for (Map<String, Object> env : maps(repo.container(), "env")) {
            assertFalse(SECRETS.contains(env.get("name")) && env.get("value") != null, env.get("name") + " written in the Deployment");
        }
        assertFalse(list(repo.yaml("deploy/kubernetes/kustomization.yaml").get(0), "resources").contains("secret.yaml"),
                "secret.yaml is not applied by kustomize: re-applying the routes would blank the secrets");
        Properties example = new Properties();
        example.load(new StringReader(repo.read(ENV_EXAMPLE)));
        assertEquals(new TreeSet<>(SECRETS), new TreeSet<>(example.stringPropertyNames()), ENV_EXAMPLE + " names");
        example.forEach((k, v) -> assertEquals("", v, ENV_EXAMPLE + " holds a value for " + k + ": names only"));
    }

    static void hardening(Repo repo) throws IOException {
        Map<String, Object> spec = map(repo.kubernetes("Deployment"), "spec");
        assertEquals(1, ((Number) spec.get("replicas")).intValue(), "one instance: the journal has a single writer");
        assertEquals("Recreate", map(spec, "strategy").get("type"), "Recreate: never two notifiers on one journal during a rollout");
        Map<String, Object> podSpec = map(repo.podTemplate(), "spec");
        assertEquals(Boolean.FALSE, podSpec.get("automountServiceAccountToken"), "no Kubernetes API token in the pod");
        int shutdownTimeout = Integer.parseInt(repo.setting("camel.main.shutdown-timeout"));
        assertTrue(((Number) podSpec.get("terminationGracePeriodSeconds")).intValue() > shutdownTimeout,
                "terminationGracePeriodSeconds above camel.main.shutdown-timeout (" + shutdownTimeout + " s)");
        Map<String, Object> pod = map(podSpec, "securityContext");
        assertEquals(Boolean.TRUE, pod.get("runAsNonRoot"), "pod runAsNonRoot");
        assertNotEquals(0, ((Number) pod.get("runAsUser")).intValue(), "pod runAsUser");
        assertEquals("RuntimeDefault", map(pod, "seccompProfile").get("type"), "seccomp profile");
        Map<String, Object> container = map(repo.container(), "securityContext");
        assertEquals(Boolean.FALSE, container.get("allowPrivilegeEscalation"), "allowPrivilegeEscalation");
        assertEquals(Boolean.TRUE, container.get("readOnlyRootFilesystem"), "readOnlyRootFilesystem");
        assertNotEquals(Boolean.TRUE, container.get("privileged"), "privileged");
        assertEquals(List.of("ALL"), map(container, "capabilities").get("drop"), "capabilities dropped");
        assertTrue(map(container, "capabilities").get("add") == null, "no capability added");
        Map<String, Object> resources = map(repo.container(), "resources");
        long request = mebibytes(str(map(resources, "requests"), "memory"));
        long limit = mebibytes(str(map(resources, "limits"), "memory"));
        assertTrue(request >= 360 && limit > request, "memory: request " + request + "Mi covers the measured 360 MB peak, limit "
                + limit + "Mi above it");
        String javaOptions = repo.setting("JDK_JAVA_OPTIONS");
        assertTrue(javaOptions != null && javaOptions.contains("-XX:MaxRAMPercentage="), "the heap is sized from the memory limit");
    }

    static void dockerfile(Repo repo) throws IOException {
        Dockerfile dockerfile = repo.dockerfile();
        String from = String.valueOf(dockerfile.first("FROM"));
        assertTrue(from.equals("eclipse-temurin:17-jre") || from.startsWith("eclipse-temurin:17-jre@sha256:"), "a JRE 17 base: " + from);
        String user = dockerfile.first("USER");
        assertNotNull(user, "a USER: the image must not run as root");
        String uid = user.split(":")[0];
        assertTrue(uid.matches("[1-9][0-9]*"), "USER " + user + ": numeric and not 0, so runAsNonRoot can check it");
        assertEquals(uid, String.valueOf(map(map(repo.podTemplate(), "spec"), "securityContext").get("runAsUser")),
                "the pod runs as the image's user");
        String entrypoint = dockerfile.first("ENTRYPOINT");
        assertTrue(entrypoint != null && entrypoint.startsWith("[\"java\""),
                "ENTRYPOINT in exec form, java first: SIGTERM must reach the JVM, not a shell (" + entrypoint + ")");
        assertTrue(entrypoint.contains("\"-jar\"") && entrypoint.contains("fine-tuning-notifier.jar\""), "runs the jar");
        assertTrue(entrypoint.startsWith("[\"java\", \"@/app/jvm.options\", "), "runs the JVM with jvm.options, as benchmarked (" + entrypoint + ")");
        String copies = String.join("\n", dockerfile.all("COPY"));
        List<String> context = repo.read("deploy/Dockerfile.dockerignore").lines().map(String::strip).toList();
        for (String source : List.of("target/fine-tuning-notifier.jar", "jvm.options", "application.properties", "routes/", "templates/")) {
            assertTrue(copies.contains(source + " "), "the image copies " + source);
            // the ignore file starts from "*": a source it does not let back in is not in the build context
            assertTrue(context.contains("!" + source), "deploy/Dockerfile.dockerignore lets " + source + " into the build context");
        }
        assertNotNull(dockerfile.first("WORKDIR"), "a WORKDIR: the notifier reads ./application.properties from it");
    }

    static void systemdUnit(Repo repo) throws IOException {
        Map<String, List<String>> service = unitSection(repo.read(UNIT), "Service");
        Consumer<String[]> has = kv -> assertTrue(service.getOrDefault(kv[0], List.of()).contains(kv[1]),
                UNIT + ": " + kv[0] + "=" + kv[1] + " (has " + service.get(kv[0]) + ")");
        for (String directive : List.of("Restart=on-failure", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                "PrivateTmp=yes", "CapabilityBoundingSet=", "KillSignal=SIGTERM", "SystemCallFilter=@system-service")) {
            has.accept(directive.split("=", 2));
        }
        for (String present : List.of("WorkingDirectory", "EnvironmentFile", "StateDirectory", "MemoryMax", "RestrictAddressFamilies",
                "ExecStart")) {
            assertFalse(service.getOrDefault(present, List.of("")).get(0).isBlank(), UNIT + ": " + present + "=");
        }
        int shutdownTimeout = Integer.parseInt(repo.setting("camel.main.shutdown-timeout"));
        String stop = service.getOrDefault("TimeoutStopSec", List.of("0")).get(0);
        assertTrue(Integer.parseInt(stop.replaceAll("s$", "")) > shutdownTimeout,
                UNIT + ": TimeoutStopSec=" + stop + " above camel.main.shutdown-timeout (" + shutdownTimeout + " s)");
        assertTrue(service.getOrDefault("SuccessExitStatus", List.of("")).get(0).contains("143"),
                UNIT + ": SuccessExitStatus=143 (a SIGTERM before Camel is up)");
        assertTrue(service.get("ExecStart").get(0).contains("-jar ") && service.get("ExecStart").get(0).contains("fine-tuning-notifier.jar"),
                UNIT + ": ExecStart runs the jar");
        assertTrue(service.get("ExecStart").get(0).contains(" @/opt/fine-tuning-notifier/jvm.options "),
                UNIT + ": ExecStart runs the JVM with jvm.options, as benchmarked");
        // the class-data archive ExecStart names is the one the README's install steps make, for the same jar
        java.util.regex.Matcher archive = java.util.regex.Pattern.compile("-XX:SharedArchiveFile=(\\S+)").matcher(service.get("ExecStart").get(0));
        assertTrue(archive.find(), UNIT + ": ExecStart starts on the class-data archive, as benchmarked");
        String jar = service.get("ExecStart").get(0).replaceAll(".* -jar (\\S+).*", "$1");
        assertTrue(repo.read("README.md").lines().anyMatch(l -> l.contains("-XX:ArchiveClassesAtExit=" + archive.group(1) + " ")),
                "README's systemd install steps make " + archive.group(1));
        assertTrue(repo.read("README.md").contains("-jar " + jar + " --demo"), "the archive is made with the jar ExecStart runs, " + jar);
        String stateDirectory = "/var/lib/" + service.get("StateDirectory").get(0);
        for (String variable : List.of("NOTIFIER_STATE_DIR", "NOTIFIER_FILE_DIR")) {
            String value = service.getOrDefault("Environment", List.of()).stream().filter(e -> e.startsWith(variable + "="))
                    .map(e -> e.substring(variable.length() + 1)).findFirst().orElse(null);
            assertTrue(value != null && Path.of(value).normalize().startsWith(stateDirectory),
                    UNIT + ": " + variable + " must be under StateDirectory (" + stateDirectory + "), the only writable folder");
        }
    }

    static String systemdAnalyzeVerify(Repo repo, Path tmp) throws Exception {
        String unit = repo.read(UNIT);
        if (!Files.isExecutable(Path.of("/usr/bin/java"))) { // verify checks ExecStart's program exists
            unit = unit.replace("/usr/bin/java", ProcessHandle.current().info().command().orElseThrow());
        }
        Path copy = Files.writeString(tmp.resolve("fine-tuning-notifier.service"), unit);
        ProcessBuilder builder = new ProcessBuilder("systemd-analyze", "verify", "--man=no", copy.toString()).redirectErrorStream(true);
        builder.environment().put("SYSTEMD_LOG_TARGET", "console"); // its complaints on stderr, not in a journal
        Process verify = builder.start();
        String out = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(verify.waitFor(60, TimeUnit.SECONDS), "systemd-analyze did not finish");
        // it exits 0 on an unknown directive or a bad value, but says so: any output is a failure
        return verify.exitValue() == 0 ? out.strip() : "exit " + verify.exitValue() + ": " + out.strip();
    }

    // ---------------------------------------------------------------- each check, shown to fail

    static Stream<Arguments> brokenCopies() {
        String deployment = "deploy/kubernetes/deployment.yaml";
        String defaults = "src/main/resources/notifier-defaults.properties";
        return Stream.of(
                broken("liveness probe on the webhook port", edit(deployment,
                        "path: /observe/health/live\n              port: management\n            periodSeconds: 10",
                        "path: /observe/health/live\n              port: webhook\n            periodSeconds: 10"),
                        ManifestsTest::probesAndScrape, "livenessProbe must probe the management port"),
                broken("readiness on the liveness path", edit(deployment, "path: /observe/health/ready", "path: /observe/health/live"),
                        ManifestsTest::probesAndScrape, "readinessProbe path"),
                broken("scrape annotation on another port", edit(deployment, "prometheus.io/port: \"8081\"", "prometheus.io/port: \"8080\""),
                        ManifestsTest::probesAndScrape, "prometheus.io/port"),
                broken("management port moved in the defaults only", edit(defaults,
                        "notifier.management.port = 8081", "notifier.management.port = 9090"),
                        ManifestsTest::probesAndScrape, "must probe the management port"),
                broken("management port key absent", edit(defaults, "notifier.management.port = 8081", ""),
                        ManifestsTest::probesAndScrape, "notifier.management.port is set nowhere"),
                broken("management port published", edit("deploy/kubernetes/service.yaml", "targetPort: webhook", "targetPort: management"),
                        ManifestsTest::ports, "targetPort is the webhook port"),
                broken("container port differs from the webhook port", edit(deployment, "containerPort: 8088", "containerPort: 8089"),
                        ManifestsTest::ports, "container port 'webhook'"),
                broken("a route file the ConfigMap does not name",
                        repo -> Files.writeString(repo.root.resolve("routes/extra.camel.yaml"), "- route: {}\n"),
                        ManifestsTest::configMaps, "no ConfigMap holds: add them to kustomization.yaml ==> expected: <[]> but was: <[routes/extra.camel.yaml]>"),
                broken("a ConfigMap naming a file that does not exist", edit("kustomization.yaml",
                        "- routes/poll.camel.yaml", "- routes/poll.camel.yaml\n      - routes/gone.camel.yaml"),
                        ManifestsTest::configMaps, "names routes/gone.camel.yaml, which does not exist"),
                broken("email templates mounted at the Slack folder", edit(deployment,
                        "mountPath: /config/templates/email", "mountPath: /config/templates/slack"),
                        ManifestsTest::configMaps, "where it reads it"),
                broken("routes read from another folder than the mount", edit(deployment, "value: /config/routes", "value: /etc/routes"),
                        ManifestsTest::configMaps, "where it reads it"),
                broken("routes ConfigMap with a hashed name", edit("kustomization.yaml",
                        "- name: fine-tuning-notifier-routes\n    options:\n      disableNameSuffixHash: true",
                        "- name: fine-tuning-notifier-routes"),
                        ManifestsTest::configMaps, "every edit replaces the pod"),
                broken("state outside the volume", edit("deploy/Dockerfile",
                        "NOTIFIER_STATE_DIR=/var/lib/fine-tuning-notifier/data", "NOTIFIER_STATE_DIR=/app/data"),
                        ManifestsTest::volumes, "notifier.state.dir is /app/data"),
                broken("no writable /tmp", edit(deployment, "mountPath: /tmp", "mountPath: /scratch"),
                        ManifestsTest::volumes, "a writable /tmp"),
                broken("a value in the Secret", edit("deploy/kubernetes/secret.yaml",
                        "OPENAI_API_KEY: \"\"", "OPENAI_API_KEY: \"test-key-not-a-secret\""),
                        ManifestsTest::secret, "names only"),
                broken("a secret name missing", edit("deploy/kubernetes/secret.yaml", "  OPENAI_WEBHOOK_SECRET: \"\"\n", ""),
                        ManifestsTest::secret, "key names"),
                broken("root filesystem writable", edit(deployment, "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"),
                        ManifestsTest::hardening, "readOnlyRootFilesystem"),
                broken("privilege escalation allowed", edit(deployment, "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true"),
                        ManifestsTest::hardening, "allowPrivilegeEscalation"),
                broken("capabilities kept", edit(deployment, "drop:\n                - ALL", "drop: []"),
                        ManifestsTest::hardening, "capabilities dropped"),
                broken("rolling update", edit(deployment, "type: Recreate", "type: RollingUpdate"),
                        ManifestsTest::hardening, "Recreate"),
                broken("shell-form entrypoint", edit("deploy/Dockerfile",
                        "ENTRYPOINT [\"java\", \"@/app/jvm.options\", \"-XX:SharedArchiveFile=/app/notifier.jsa\", \"-jar\", \"/app/fine-tuning-notifier.jar\"]",
                        "ENTRYPOINT java @/app/jvm.options -XX:SharedArchiveFile=/app/notifier.jsa -jar /app/fine-tuning-notifier.jar"),
                        ManifestsTest::dockerfile, "exec form"),
                broken("image started without jvm.options", edit("deploy/Dockerfile",
                        "[\"java\", \"@/app/jvm.options\", ", "[\"java\", "),
                        ManifestsTest::dockerfile, "jvm.options"),
                broken("unit started without jvm.options", edit(UNIT, "java @/opt/fine-tuning-notifier/jvm.options ", "java "),
                        ManifestsTest::systemdUnit, "jvm.options"),
                broken("unit started without the class-data archive", edit(UNIT, " -XX:SharedArchiveFile=/opt/fine-tuning-notifier/notifier.jsa ", " "),
                        ManifestsTest::systemdUnit, "class-data archive"),
                broken("unit naming an archive the install steps do not make", edit(UNIT, "/opt/fine-tuning-notifier/notifier.jsa ",
                        "/var/cache/notifier.jsa "), ManifestsTest::systemdUnit, "install steps make"),
                broken("a copied file kept out of the build context", edit("deploy/Dockerfile.dockerignore", "!jvm.options\n", ""),
                        ManifestsTest::dockerfile, "build context"),
                broken("image running as root", edit("deploy/Dockerfile", "USER 10001:10001", "USER root"),
                        ManifestsTest::dockerfile, "numeric"),
                broken("unit without hardening", edit(UNIT, "ProtectSystem=strict", "ProtectSystem=full"),
                        ManifestsTest::systemdUnit, "ProtectSystem=strict"),
                broken("unit stopped before the notifier's shutdown timeout", edit(UNIT, "TimeoutStopSec=40s", "TimeoutStopSec=15s"),
                        ManifestsTest::systemdUnit, "TimeoutStopSec=15s"));
    }

    interface Check {
        void run(Repo repo) throws Exception;
    }

    static Arguments broken(String what, Check breakIt, Check check, String message) {
        return Arguments.of(what, breakIt, check, message);
    }

    /** Replaces text in a file of the copy; the text must be there, so a case cannot silently stop breaking anything. */
    static Check edit(String file, String from, String to) {
        return repo -> {
            String text = repo.read(file);
            assertTrue(text.contains(from), file + " no longer contains the text this case breaks: " + from);
            Files.writeString(repo.root.resolve(file), text.replace(from, to));
            repo.parsed().clear();
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenCopies")
    void eachCheckFailsOnABrokenCopy(String what, Check breakIt, Check check, String message, @TempDir Path tmp) throws Exception {
        Repo copy = Repo.copyOf(Path.of(""), tmp);
        check.run(copy); // the intact copy passes
        breakIt.run(copy);
        AssertionError error = assertThrows(AssertionError.class, () -> check.run(copy), what);
        assertTrue(String.valueOf(error.getMessage()).contains(message), what + ": failed, but with " + error.getMessage());
    }

    @Test
    void verifyReportsABrokenUnit(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed");
        Repo copy = Repo.copyOf(Path.of(""), tmp.resolve("repo"));
        Path unit = copy.root.resolve(UNIT);
        Files.writeString(unit, Files.readString(unit).replace("ProtectHome=yes", "ProtectHome=maybe"));
        String out = systemdAnalyzeVerify(copy, Files.createDirectories(tmp.resolve("verify")));
        assertTrue(out.contains("protect home value"), out);
    }

    // ---------------------------------------------------------------- reading the files

    /** The repository's deployment files and settings, read from {@code root}; each YAML file parsed once. */
    record Repo(Path root, Map<String, List<Map<String, Object>>> parsed) {

        Repo(Path root) {
            this(root, new java.util.HashMap<>());
        }

        static final List<String> FILES = List.of("kustomization.yaml", "deploy", "routes", "templates", "application.properties", "README.md",
                "src/main/resources/notifier-defaults.properties");

        static Repo copyOf(Path from, Path to) throws IOException {
            for (String name : FILES) {
                try (Stream<Path> files = Files.walk(from.resolve(name))) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        Path target = to.resolve(from.relativize(file).toString());
                        Files.createDirectories(target.getParent());
                        Files.copy(file, target);
                    }
                }
            }
            return new Repo(to);
        }

        String read(String file) throws IOException {
            return Files.readString(root.resolve(file));
        }

        List<Map<String, Object>> yaml(String file) throws IOException {
            List<Map<String, Object>> docs = parsed.get(file);
            if (docs == null) {
                docs = yamlDocs(read(file));
                parsed.put(file, docs);
            }
            return docs;
        }

        Map<String, Object> rootKustomization() throws IOException {
            return yaml("kustomization.yaml").get(0);
        }

        /** The resource of this kind among those deploy/kubernetes/kustomization.yaml applies. */
        Map<String, Object> kubernetes(String kind) throws IOException {
            List<Object> resources = list(yaml("deploy/kubernetes/kustomization.yaml").get(0), "resources");
            for (Object resource : resources) {
                for (Map<String, Object> doc : yaml("deploy/kubernetes/" + resource)) {
                    if (kind.equals(doc.get("kind"))) {
                        return doc;
                    }
                }
            }
            throw new AssertionError("no " + kind + " among the resources of deploy/kubernetes: " + resources);
        }

        Map<String, Object> podTemplate() throws IOException {
            return map(map(kubernetes("Deployment"), "spec"), "template");
        }

        Map<String, Object> container() throws IOException {
            List<Map<String, Object>> containers = list(map(podTemplate(), "spec"), "containers");
            assertEquals(1, containers.size(), "one container");
            return containers.get(0);
        }

        /** A port by name (as a probe or a Service names it) or number. */
        int containerPort(Object port) throws IOException {
            if (port instanceof Number number) {
                return number.intValue();
            }
            for (Map<String, Object> p : maps(container(), "ports")) {
                if (Objects.equals(port, p.get("name"))) {
                    return ((Number) p.get("containerPort")).intValue();
                }
            }
            throw new AssertionError("the container has no port named " + port);
        }

        /** "mountPath" of each folder mount, "mountPath|subPath" of each single-file mount, of this ConfigMap. */
        List<String> mountsOfConfigMap(String configMap) throws IOException {
            List<String> mounts = new ArrayList<>();
            for (Map<String, Object> volume : maps(map(podTemplate(), "spec"), "volumes")) {
                if (volume.get("configMap") != null && configMap.equals(map(volume, "configMap").get("name"))) {
                    for (Map<String, Object> mount : maps(container(), "volumeMounts")) {
                        if (volume.get("name").equals(mount.get("name"))) {
                            mounts.add(mount.get("subPath") == null ? str(mount, "mountPath") : mount.get("mountPath") + "|" + mount.get("subPath"));
                        }
                    }
                }
            }
            return mounts;
        }

        Dockerfile dockerfile() throws IOException {
            return Dockerfile.parse(read("deploy/Dockerfile"));
        }

        /** The working directory of the container: its own, or the image's WORKDIR. */
        String workdir() throws IOException {
            Object own = container().get("workingDir");
            return own != null ? own.toString() : dockerfile().first("WORKDIR");
        }

        /**
         * A setting as the notifier in the pod sees it: the Deployment's environment, then the image's,
         * then application.properties, then the built-in defaults. Null when set nowhere.
         */
        String setting(String key) throws IOException {
            String variable = key.toUpperCase().replace('.', '_').replace('-', '_');
            for (Map<String, Object> env : maps(container(), "env")) {
                if (variable.equals(env.get("name"))) {
                    return env.get("value") == null ? null : env.get("value").toString();
                }
            }
            String image = dockerfile().env().get(variable);
            if (image != null) {
                return image;
            }
            for (String file : List.of("application.properties", "src/main/resources/notifier-defaults.properties")) {
                Properties properties = new Properties();
                properties.load(new StringReader(read(file)));
                if (properties.getProperty(key) != null) {
                    return properties.getProperty(key).trim();
                }
            }
            return null;
        }

        int port(String key) throws IOException {
            String value = setting(key);
            if (value == null) {
                fail(key + " is set nowhere (notifier-defaults.properties, application.properties, the image or the Deployment):"
                        + " the manifests cannot be checked against it");
            }
            return Integer.parseInt(value);
        }

        /** A folder setting as an absolute path in the container. */
        String folder(String key) throws IOException {
            String value = setting(key);
            assertNotNull(value, key + " is set nowhere");
            String path = value.startsWith("/") ? value : workdir() + "/" + value;
            return Path.of(path).normalize().toString();
        }
    }

    /** The instructions of a Dockerfile, continuation lines joined. */
    record Dockerfile(List<String[]> instructions) {

        static Dockerfile parse(String text) {
            List<String[]> instructions = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String raw : text.split("\n")) {
                if (raw.strip().startsWith("#") && line.isEmpty()) {
                    continue;
                }
                line.append(raw.strip());
                if (line.toString().endsWith("\\")) {
                    line.setLength(line.length() - 1);
                    line.append(' ');
                    continue;
                }
                String instruction = line.toString().strip();
                line.setLength(0);
                if (!instruction.isEmpty()) {
                    String[] parts = instruction.split("\\s+", 2);
                    instructions.add(new String[] {parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""});
                }
            }
            return new Dockerfile(instructions);
        }

        List<String> all(String instruction) {
            return instructions.stream().filter(i -> i[0].equals(instruction)).map(i -> i[1]).toList();
        }

        String first(String instruction) {
            List<String> all = all(instruction);
            return all.isEmpty() ? null : all.get(0);
        }

        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)");
            for (String line : all("ENV")) {
                Matcher m = pair.matcher(line);
                while (m.find()) {
                    env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
                }
            }
            return env;
        }

        Set<Integer> exposed() {
            Set<Integer> ports = new TreeSet<>();
            all("EXPOSE").forEach(line -> Stream.of(line.split("\\s+")).map(p -> p.replaceAll("/tcp$", "")).map(Integer::valueOf)
                    .forEach(ports::add));
            return ports;
        }
    }

    /** The [section] of a systemd unit: each key with its values, in order (a key may repeat). */
    static Map<String, List<String>> unitSection(String unit, String section) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        String current = null;
        for (String raw : unit.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                current = line;
            } else if (("[" + section + "]").equals(current) && !line.isEmpty() && !line.startsWith("#") && line.contains("=")) {
                String[] kv = line.split("=", 2);
                values.computeIfAbsent(kv[0].strip(), k -> new ArrayList<>()).add(kv[1].strip());
            }
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocs(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(text)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertTrue(value instanceof Map, "expected a mapping at '" + key + "', found " + value);
        return (Map<String, Object>) value;
    }

    static List<Map<String, Object>> maps(Map<String, Object> parent, String key) {
        return list(parent, key);
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value == null ? List.of() : (List<T>) value;
    }

    static String str(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertNotNull(value, "no '" + key + "' in " + parent.keySet());
        return value.toString();
    }

    static long mebibytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Mi|Gi)").matcher(quantity);
        assertTrue(m.matches(), "memory quantity " + quantity + " (write Mi or Gi)");
        return Long.parseLong(m.group(1)) * (m.group(2).equals("Gi") ? 1024 : 1);
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }
}
