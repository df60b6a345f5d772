package dev.ftnotifier.deploy;

import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.apache.camel.Route;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The route files, the templates and the jobs file read through symbolic links, as they are
 * deployed: {@code routes -> /etc/fine-tuning-notifier/routes}, or a Kubernetes ConfigMap
 * (visible files are links into {@code ..data}, itself a link to a time-stamped folder that
 * an update replaces by renaming a new {@code ..data} over the old one). The tests build both
 * layouts from copies of the repository's {@code routes/} and {@code templates/}.
 */
class SymlinkedRoutesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    @TempDir
    Path work;

    private Map<String, String> properties(String dsl, Path routes, Path templates) {
        Map<String, String> p = world.allChannels();
        p.put("notifier.routes", dsl);
        p.put("notifier.routes.dir", routes.toString());
        p.put("notifier.routes.reload-interval", "100");
        p.put("notifier.templates.dir", templates.toString());
        p.put("notifier.email.to", "");
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"yaml", "xml"})
    void routesTemplatesAndJobsFileThroughSymlinkedFolders(String dsl) throws IOException {
        Path etc = work.resolve("etc");
        copyFolder(Path.of("routes"), etc.resolve("routes"), UnaryOperator.identity());
        copyFolder(Path.of("templates"), etc.resolve("templates"), UnaryOperator.identity());
        Files.writeString(etc.resolve("jobs.txt"), "ftjob-linked\n");
        Path routes = Files.createSymbolicLink(work.resolve("routes"), etc.resolve("routes"));
        Path templates = Files.createSymbolicLink(work.resolve("templates"), etc.resolve("templates"));
        Path jobsFile = Files.createSymbolicLink(work.resolve("jobs.txt"), etc.resolve("jobs.txt"));

        world.putJob("ftjob-linked", "failed");
        Map<String, String> p = properties(dsl, routes, templates);
        p.put("notifier.jobs-file", jobsFile.toString());
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-linked", "failed"))
                    && world.slackPosts("ftjob-linked") == 1);
            assertEquals("poll.camel." + dsl, notifier.context().getRoute("poll").getSourceLocationShort().replaceAll(":\\d+$", ""));
            assertDistinctRouteIds(notifier);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"yaml", "xml"})
    void aConfigMapSwapReloadsTheChangedFileOnceAndABrokenOneIsRejected(String dsl) throws IOException {
        Path routes = work.resolve("routes");
        ConfigMap map = ConfigMap.of(routes, Path.of("routes"));
        Path templates = work.resolve("templates");
        copyFolder(Path.of("templates"), templates, UnaryOperator.identity());

        world.startClock();
        world.putJob("ftjob-1", "running");
        Map<String, String> p = properties(dsl, routes, templates);
        p.put("notifier.jobs", LocalWorld.CLOCK + ",ftjob-1");
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-1", "running")));
            assertEquals("progress", Documents.read(world.fileDir, "ftjob-1", "running").get("event").asText());
            assertNothingLoadedFromHiddenFolders(notifier);
            List<String> ids = assertDistinctRouteIds(notifier);
            Map<String, Route> before = routesById(notifier);
            RouteAdds adds = RouteAdds.on(notifier);

            // the new version of route-by-status has the same time stamp as the old one: only its target changed
            String router = "route-by-status.camel." + dsl;
            map.update(file -> file.getFileName().toString().equals(router)
                    ? text -> text.replace("constant: progress }", "constant: swapped }")
                            .replace("<constant>progress</constant>", "<constant>swapped</constant>")
                    : UnaryOperator.identity());
            await().atMost(DEADLINE).until(() -> adds.of("route-by-status") == 1);
            world.waitForPolls(3); // several looks at the folder later, still reloaded only once
            // the file holds the router and status-meaning, the one place that says what a status means
            assertEquals(Map.of("route-by-status", 1, "status-meaning", 1), adds.all(), "only the changed file's routes, once");
            api("ftjob-1", "paused");
            assertEquals("swapped", Documents.read(world.fileDir, "ftjob-1", "paused").get("event").asText());
            assertEquals(ids, assertDistinctRouteIds(notifier));
            assertNothingLoadedFromHiddenFolders(notifier);
            Map<String, Route> after = routesById(notifier);
            before.forEach((id, route) -> {
                if (!id.equals("route-by-status") && !id.equals("status-meaning")) {
                    assertSame(route, after.get(id), id + " was not reloaded");
                }
            });

            // a broken version is rejected: the swapped routes keep running
            Route running = notifier.context().getRoute("route-by-status");
            map.update(file -> file.getFileName().toString().equals(router)
                    ? text -> text.replace("steps:", "steps: [unclosed").replace("</choice>", "")
                    : UnaryOperator.identity());
            world.waitForPolls(5);
            api("ftjob-1", "pausing");
            assertEquals("swapped", Documents.read(world.fileDir, "ftjob-1", "pausing").get("event").asText());
            assertSame(running, notifier.context().getRoute("route-by-status"), "the last good version still runs");
            assertEquals(ids, assertDistinctRouteIds(notifier));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"yaml", "xml"})
    void aConfigMapSwapOfTheTemplatesIsUsedByTheNextNotification(String dsl) throws IOException {
        Path routes = work.resolve("routes");
        ConfigMap.of(routes, Path.of("routes"));
        Path templates = work.resolve("templates");
        ConfigMap map = ConfigMap.of(templates, Path.of("templates"));

        world.putJob("ftjob-a", "failed");
        Map<String, String> p = properties(dsl, routes, templates);
        p.put("notifier.jobs", "ftjob-a,ftjob-b");
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            await().atMost(DEADLINE).until(() -> world.slackPosts("ftjob-a") == 1);
            assertTrue(slackText("ftjob-a").contains("ftjob-a failed (status"), slackText("ftjob-a"));

            // same size, same time stamp: only the link changed
            map.update(file -> file.endsWith(Path.of("slack", "failure.mustache"))
                    ? text -> text.replace("failed (status", "FAILED (status")
                    : UnaryOperator.identity());
            world.putJob("ftjob-b", "failed");
            await().atMost(DEADLINE).until(() -> world.slackPosts("ftjob-b") == 1);
            assertTrue(slackText("ftjob-b").contains("ftjob-b FAILED (status"), slackText("ftjob-b"));
        }
    }

    /** Moves the job on and waits for the file channel's document of the new status. */
    private void api(String jobId, String status) {
        world.api.setStatus(jobId, status);
        await().atMost(DEADLINE).until(() -> Files.exists(Documents.path(world.fileDir, jobId, status)));
    }

    private String slackText(String jobId) {
        return world.slack.posts().stream().map(post -> post.get("text").asText())
                .filter(text -> text.contains(jobId + " ")).findFirst().orElse("");
    }

    private static Map<String, Route> routesById(RunningNotifier notifier) {
        Map<String, Route> routes = new HashMap<>();
        notifier.context().getRoutes().forEach(r -> routes.put(r.getRouteId(), r));
        return routes;
    }

    private static List<String> assertDistinctRouteIds(RunningNotifier notifier) {
        List<String> ids = notifier.context().getRoutes().stream().map(Route::getRouteId).sorted().toList();
        assertEquals(ids.stream().distinct().toList(), ids, "no route twice");
        assertTrue(ids.containsAll(List.of("poll", "fetch-job", "route-by-status", "notify", "channel-file", "channel-slack")), ids.toString());
        return ids;
    }

    private static void assertNothingLoadedFromHiddenFolders(RunningNotifier notifier) {
        for (Route route : notifier.context().getRoutes()) {
            String location = String.valueOf(route.getSourceLocation());
            assertFalse(location.contains("/.."), route.getRouteId() + " loaded from " + location);
        }
    }

    private static void copyFolder(Path from, Path to, UnaryOperator<String> change) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.writeString(target, change.apply(Files.readString(f)));
                    Files.setLastModifiedTime(target, Files.getLastModifiedTime(f));
                }
            }
        }
    }

    /** Counts the routes Camel adds from now on, by id: a reload adds the file's routes again. */
    private static final class RouteAdds extends EventNotifierSupport {
        private final Map<String, AtomicInteger> adds = new ConcurrentHashMap<>();

        static RouteAdds on(RunningNotifier notifier) {
            RouteAdds counter = new RouteAdds();
            notifier.context().getManagementStrategy().addEventNotifier(counter);
            ServiceHelper.startService(counter);
            return counter;
        }

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.RouteAddedEvent added) {
                adds.computeIfAbsent(added.getRoute().getRouteId(), id -> new AtomicInteger()).incrementAndGet();
            }
        }

        int of(String routeId) {
            AtomicInteger n = adds.get(routeId);
            return n == null ? 0 : n.get();
        }

        Map<String, Integer> all() {
            Map<String, Integer> copy = new HashMap<>();
            adds.forEach((id, n) -> copy.put(id, n.get()));
            return copy;
        }
    }

    /**
     * A folder laid out as the kubelet mounts a ConfigMap: {@code ..<time stamp>/} holds the
     * files, {@code ..data -> ..<time stamp>}, and each visible entry is {@code name -> ..data/name}.
     */
    private static final class ConfigMap {
        private final Path dir;
        private final Path source;
        private int version;

        private ConfigMap(Path dir, Path source) {
            this.dir = dir;
            this.source = source;
        }

        static ConfigMap of(Path dir, Path source) throws IOException {
            ConfigMap map = new ConfigMap(dir, source);
            Files.createDirectories(dir);
            Path first = map.version(file -> UnaryOperator.identity());
            Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
            try (Stream<Path> entries = Files.list(first)) {
                for (Path entry : entries.toList()) {
                    Files.createSymbolicLink(dir.resolve(entry.getFileName()), Path.of("..data").resolve(entry.getFileName()));
                }
            }
            return map;
        }

        /** A new time-stamped folder, each file changed as told (time stamps as in the source), then the atomic swap. */
        void update(java.util.function.Function<Path, UnaryOperator<String>> changes) throws IOException {
            Path next = version(changes);
            Path tmp = dir.resolve("..data_tmp");
            Files.createSymbolicLink(tmp, next.getFileName());
            Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE); // mv -T ..data_tmp ..data
        }

        private Path version(java.util.function.Function<Path, UnaryOperator<String>> changes) throws IOException {
            Path folder = dir.resolve("..2026_12_02_10_0" + version++ + "_00.123");
            try (Stream<Path> files = Files.walk(source)) {
                for (Path f : files.toList()) {
                    Path relative = source.relativize(f);
                    Path target = folder.resolve(relative.toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.writeString(target, changes.apply(relative).apply(Files.readString(f)));
                        Files.setLastModifiedTime(target, Files.getLastModifiedTime(f));
                    }
                }
            }
            return folder;
        }
    }
}
