package dev.ftnotifier.routes;

import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Editing a route file while the notifier runs: a good edit takes effect without a restart,
 * a broken one is rejected and the last good routes keep running. The test edits a copy
 * of the repository's routes folder, never the real one.
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

    @Test
    void aGoodEditTakesEffectAndABrokenOneIsRejectedWhileTheOldRoutesRun() throws IOException {
        api.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
        api.setStatus("ftjob-1", "running");
        Path router = routes.resolve("route-by-status.camel.yaml");
        String original = Files.readString(router);
        try (RunningNotifier notifier = RunningNotifier.start(properties("ftjob-1"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(Documents.path(fileDir, "ftjob-1", "running")));
            assertEquals("progress", Documents.read(fileDir, "ftjob-1", "running").get("event").asText());

            // a good edit: in-progress statuses now get another event name
            edit(router, original.replace("constant: progress }", "constant: edited-progress }"));
            await().atMost(Duration.ofSeconds(20)).until(() -> notifier.context().getRoute("route-by-status").getUptimeMillis() < 5_000);
            api.setStatus("ftjob-1", "paused");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(Documents.path(fileDir, "ftjob-1", "paused")));
            assertEquals("edited-progress", Documents.read(fileDir, "ftjob-1", "paused").get("event").asText());

            // editing the channel templates keeps every channel running
            Path templates = routes.resolve("channel-templates.camel.yaml");
            edit(templates, "# edited by an operator\n" + Files.readString(templates));

            // a broken edit (bad indentation), then one that parses but names a bean that does not exist:
            // both rejected, the edited routes keep running
            long started = notifier.context().getRoute("route-by-status").getUptimeMillis();
            edit(router, original.replace("    id: route-by-status", "  id: route-by-status\n      oops: [unclosed"));
            edit(routes.resolve("notify.camel.yaml"), Files.readString(routes.resolve("notify.camel.yaml"))
                    .replace("ref: watchList", "ref: noSuchBean"));
            api.setStatus("ftjob-1", "running-again");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(Documents.path(fileDir, "ftjob-1", "running-again")));
            assertEquals("edited-progress", Documents.read(fileDir, "ftjob-1", "running-again").get("event").asText());
            assertTrue(notifier.context().getRoute("route-by-status").getUptimeMillis() >= started, "not restarted by the broken edit");
            for (String id : new String[] {"channel-file", "send-file", "notify", "poll", "fetch-job", "get-job"}) {
                assertTrue(notifier.context().getRoute(id) != null, id + " is still running");
            }
        }
    }
}
