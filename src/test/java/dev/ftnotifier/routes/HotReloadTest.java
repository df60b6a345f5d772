package dev.ftnotifier.routes;

import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LogLines;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.apache.camel.Route;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Editing a route file while the notifier runs: a good edit takes effect without a restart,
 * a broken one is rejected and the last good routes keep running, in YAML and in XML. The
 * test edits a copy of the repository's routes folder, never the real one.
 */
class HotReloadTest {

    @TempDir
    Path work;

    private FineTuningApiSimulator api;
    private Path routes;
    private Path fileDir;

    @BeforeEach
    void copyRoutes() throws IOException {
        api = FineTuningApiSimulator.start();
        routes = work.resolve("routes");
        Files.createDirectories(routes);
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        fileDir = work.resolve("notifications");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Map<String, String> properties(String jobs) {
        Map<String, String> p = RunningNotifier.baseProperties(api.baseUrl(), work.resolve("data"), fileDir);
        p.put("notifier.jobs", jobs);
        p.put("notifier.routes.dir", routes.toString());
        p.put("notifier.routes.reload-interval", "100");
        return p;
    }

    /** Writes the file as an editor would, and makes sure its time stamp moves. */
    private static void edit(Path file, String content) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".swp");
        Files.writeString(aside, content, StandardCharsets.UTF_8);
        Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    }

    /** The same operator edits, written in each DSL. */
    private record Edits(String dsl, String progress, String editedProgress, String commentBefore, String comment,
                         String routeStart, String broken, String watchListRef, String missingRef) {
        static Edits of(String dsl) {
            return dsl.equals("yaml")
                    ? new Edits(dsl, "constant: progress }", "constant: edited-progress }", "", "# edited by an operator\n",
                            "    id: route-by-status", "  id: route-by-status\n      oops: [unclosed", "ref: watchList", "ref: noSuchBean")
                    : new Edits(dsl, "<constant>progress</constant>", "<constant>edited-progress</constant>", "<camel>",
                            "<camel>\n<!-- edited by an operator -->", "<route id=\"route-by-status\"",
                            "<route id=\"route-by-status\"><oops", "ref=\"watchList\"", "ref=\"noSuchBean\"");
        }

        Path file(Path routes, String stage) {
            return routes.resolve(stage + ".camel." + dsl);
        }
    }

    @RegisterExtension
    final LogLines log = new LogLines();

    @ParameterizedTest
    @ValueSource(strings = {"yaml", "xml"})
    void aGoodEditTakesEffectAndABrokenOneIsRejectedWhileTheOldRoutesRun(String dsl) throws IOException {
        Edits edits = Edits.of(dsl);
        api.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
        api.setStatus("ftjob-1", "running");
        Path router = edits.file(routes, "route-by-status");
        String original = Files.readString(router);
        Map<String, String> p = properties("ftjob-1");
        p.put("notifier.routes", dsl);
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(Documents.path(fileDir, "ftjob-1", "running")));
            assertEquals("progress", Documents.read(fileDir, "ftjob-1", "running").get("event").asText());

            // a good edit: in-progress statuses now get another event name
            Route before = notifier.context().getRoute("route-by-status");
            assertTrue(original.contains(edits.progress()), "the edit below changes the file");
            edit(router, original.replace(edits.progress(), edits.editedProgress()));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Route now = notifier.context().getRoute("route-by-status");
                return now != null && now != before;
            });
            assertTrue(notifier.context().getRouteController().getRouteStatus("route-by-status").isStarted());
            log.awaitLine("routes-reload", router.getFileName().toString(), "reloaded");
            api.setStatus("ftjob-1", "paused");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(Documents.path(fileDir, "ftjob-1", "paused")));
            assertEquals("edited-progress", Documents.read(fileDir, "ftjob-1", "paused").get("event").asText());

            // editing the channel templates keeps every channel running
            Path templates = edits.file(routes, "channel-templates");
            String templateText = Files.readString(templates);
            edit(templates, edits.commentBefore().isEmpty() ? edits.comment() + templateText
                    : templateText.replaceFirst(edits.commentBefore(), edits.comment()));

            // a broken edit (bad indentation, an unclosed tag), then one that parses but names a bean
            // that does not exist: both rejected, the edited routes keep running
            Route edited = notifier.context().getRoute("route-by-status");
            edit(router, original.replace(edits.routeStart(), edits.broken()));
            String rejected = log.awaitLine("routes-reload", router.getFileName().toString(), "rejected, the routes from its last good version keep running");
            assertTrue(rejected.matches(".*line \\d+.*column \\d+.*"), "says where: " + rejected);
            Path notify = edits.file(routes, "notify");
            edit(notify, Files.readString(notify).replace(edits.watchListRef(), edits.missingRef()));
            log.awaitLine("routes-reload", notify.getFileName().toString(), "rejected, putting its last good version back", "noSuchBean");
            api.setStatus("ftjob-1", "running-again");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(Documents.path(fileDir, "ftjob-1", "running-again")));
            assertEquals("edited-progress", Documents.read(fileDir, "ftjob-1", "running-again").get("event").asText());
            assertSame(edited, notifier.context().getRoute("route-by-status"), "not replaced by the broken edit");
            for (String id : new String[] {"channel-file", "send-file", "notify", "poll", "fetch-job", "get-job"}) {
                assertTrue(notifier.context().getRoute(id) != null, id + " is still running");
                assertTrue(notifier.context().getRouteController().getRouteStatus(id).isStarted(), id + " is started");
            }
        }
    }
}
