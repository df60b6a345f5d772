package dev.ftnotifier.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftnotifier.model.JobStatus;
import dev.ftnotifier.status.StatusMeanings;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.Dsl;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.LogLines;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status router is the one owner of what a status means: an operator who edits a copy of
 * routes/route-by-status to treat a status the API may add ({@code expired}) as a cancellation
 * changes what the notification says, that the job has ended (it is no longer fetched once
 * delivered), and what discovery and webhook follow-ups count as terminal. No Java list disagrees.
 */
class EditedRouterTest {

    @TempDir
    Path work;

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    @RegisterExtension
    final LogLines log = new LogLines();

    /** A copy of routes/ whose router treats {@code expired} as {@code cancelled}. */
    private Path editedRoutes() throws IOException {
        Path routes = work.resolve("routes");
        Files.createDirectories(routes);
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        Path router = routes.resolve("route-by-status.camel." + Dsl.current());
        String original = Files.readString(router);
        String cancelled = "${variable.status} == 'cancelled'";
        assertEquals(1, original.split(java.util.regex.Pattern.quote(cancelled), -1).length - 1, "the edit below changes one line");
        Files.writeString(router, original.replace(cancelled, "${variable.status} in 'cancelled,expired'"));
        return routes;
    }

    @Test
    void aStatusTheRouterIsEditedToCallTerminalEndsTheJobEverywhere() throws IOException {
        world.startClock();
        world.putJob("ftjob-expired", "expired");
        Map<String, String> p = world.properties(LocalWorld.CLOCK, "ftjob-expired");
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
        }
        assertEquals(List.of(), log.containing("status 'expired', unknown to this version"), "the router knows it now");
    }
}
