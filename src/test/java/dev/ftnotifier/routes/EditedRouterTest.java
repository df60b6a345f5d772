package dev.ftnotifier.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftnotifier.model.JobStatus;
import dev.ftnotifier.status.StatusMeanings;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.Dsl;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.LogLines;
import dev.ftnotifier.testing.Management;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status router is the one owner of what a status means: an operator who edits a copy of
 * routes/route-by-status to treat a status the API may add ({@code expired}) as a cancellation
 * changes what the notification says, that the job has ended (it is no longer fetched once
 * delivered), what discovery and webhook follow-ups count as terminal, and the metrics' status
 * label. No Java list disagrees, and an edit reloaded while the notifier runs is followed too.
 */
class EditedRouterTest {

    @TempDir
    Path work;

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    @RegisterExtension
    final LogLines log = new LogLines();

    private final Management management = new Management();

    /** A copy of routes/ whose router treats {@code expired} as {@code cancelled}. */
    private Path editedRoutes() throws IOException {
        Path routes = copiedRoutes();
        editRouter(routes);
        return routes;
    }

    /** A copy of the shipped routes/. */
    private Path copiedRoutes() throws IOException {
        Path routes = work.resolve("routes");
        Files.createDirectories(routes);
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        return routes;
    }

    /** Teaches the router {@code expired}, a cancellation; written aside and moved in, as an editor does. */
    private static void editRouter(Path routes) throws IOException {
        Path router = routes.resolve("route-by-status.camel." + Dsl.current());
        String original = Files.readString(router);
        String cancelled = "${variable.status} == 'cancelled'";
        assertEquals(1, original.split(java.util.regex.Pattern.quote(cancelled), -1).length - 1, "the edit below changes one line");
        Path aside = routes.resolve("route-by-status.edit");
        Files.writeString(aside, original.replace(cancelled, "${variable.status} in 'cancelled,expired'"));
        Files.move(aside, router, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aStatusTheRouterIsEditedToCallTerminalEndsTheJobEverywhere() throws IOException {
        world.startClock();
        world.putJob("ftjob-expired", "expired");
        world.putJob("ftjob-exploding", "exploding");
        Map<String, String> p = management.on(world.properties(LocalWorld.CLOCK, "ftjob-expired", "ftjob-exploding"));
        p.put("notifier.routes.dir", editedRoutes().toString());
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-expired", "expired")));
            JsonNode doc = Documents.read(world.fileDir, "ftjob-expired", "expired");
            assertEquals("cancellation", doc.get("event").asText());
            assertTrue(doc.get("summary").asText().contains("ftjob-expired (" + LocalWorld.MODEL + ") was expired at"),
                    doc.get("summary").asText());

            // terminal, and delivered everywhere it goes: finished, not fetched again
            world.waitForPolls(2);
            long fetches = world.fetches("ftjob-expired");
            world.waitForPolls(3);
            assertEquals(fetches, world.fetches("ftjob-expired"), "the edited router made the job terminal");

            // the code outside the router (discovery, webhook follow-ups) asks it the same
            StatusMeanings meanings = notifier.context().getRegistry().lookupByNameAndType("statusMeanings", StatusMeanings.class);
            assertTrue(meanings.of(JobStatus.of("expired")).terminal());
            assertTrue(meanings.of(JobStatus.of("expired")).known());

            // the metrics' status label: the router's new status has its own, one it does not know is other
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(Documents.path(world.fileDir, "ftjob-exploding", "exploding")));
            String delivered = "notifier_notifications_total{channel=\"file\",outcome=\"delivered\",status=\"";
            await().atMost(Duration.ofSeconds(10)).until(() -> management.metric(delivered + "other\"}") == 1.0);
            assertEquals(1.0, management.metric(delivered + "expired\"}"), management.get("/observe/metrics").body());
            assertEquals(-1.0, management.metric(delivered + "exploding\"}"), "no label for a status the router does not know");
        }
        assertEquals(List.of(), log.containing("status 'expired', unknown to this version"), "the router knows it now");
    }

    /**
     * statusMeanings keeps each answer, so the route runs once per status; a reload of the router's
     * file must make it ask again: after the edit is reloaded, Java follows the new meaning.
     */
    @Test
    void anEditReloadedWhileRunningChangesWhatJavaReads() throws IOException {
        world.startClock();
        Path routes = copiedRoutes();
        Map<String, String> p = world.properties(LocalWorld.CLOCK);
        p.put("notifier.routes.dir", routes.toString());
        p.put("notifier.routes.reload-interval", "100");
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            StatusMeanings meanings = notifier.context().getRegistry().lookupByNameAndType("statusMeanings", StatusMeanings.class);
            assertFalse(meanings.of(JobStatus.of("expired")).known(), "the shipped router does not know expired");
            assertFalse(meanings.of(JobStatus.of("expired")).terminal());

            editRouter(routes);
            log.awaitLine("route-by-status.camel." + Dsl.current(), "reloaded");
            assertTrue(meanings.of(JobStatus.of("expired")).terminal(), "the reloaded router's meaning");
            assertTrue(meanings.of(JobStatus.of("expired")).known());
            assertEquals("cancellation", meanings.of(JobStatus.of("expired")).event());
        }
    }
}
