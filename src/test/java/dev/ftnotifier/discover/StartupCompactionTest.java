package dev.ftnotifier.discover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.testing.ShippedRouter;
import dev.ftnotifier.state.FinishedJobs;
import dev.ftnotifier.watch.WatchList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11: the state files that only grew are compacted when the notifier starts:
 * {@code finished-jobs.log} keeps one line per job (and a line torn by a crash does not swallow
 * the next one), {@code discovery.json} forgets the jobs that finished since it was written.
 */
class StartupCompactionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    @Test
    void finishedJobsLogIsOneLinePerJobAfterAStart() throws IOException {
        Path log = stateDir.resolve("finished-jobs.log");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            lines.add("ftjob-" + i + " 1700000000");
            lines.add("ftjob-" + i); // the same job again, as an older version wrote it
        }
        Files.writeString(log, String.join("\n", lines) + "\nftjob-torn 17", StandardCharsets.UTF_8);

        try (FinishedJobs finished = new FinishedJobs(stateDir)) {
            assertEquals(1000, finished.size());
            assertEquals(1000, Files.readAllLines(log).size(), "one line per job");
            finished.add("ftjob-new");
        }
        try (FinishedJobs again = new FinishedJobs(stateDir)) {
            assertTrue(again.contains("ftjob-new"), "a line appended after the torn one is read back whole");
            assertTrue(again.contains("ftjob-999"));
            assertEquals(1001, again.size());
        }
    }

    @Test
    void discoveryStateForgetsJobsThatFinishedWhileItWasOnDisk() throws IOException {
        Path file = stateDir.resolve(DiscoveryState.NAME + ".json");
        Files.writeString(file, """
                {"first_discovery_completed": true, "horizon": 1700000000,
                 "tracked": {"ftjob-a": 1700000100, "ftjob-b": 1700000200},
                 "handed_over": ["ftjob-c", "ftjob-d"]}
                """, StandardCharsets.UTF_8);
        try (FinishedJobs finished = new FinishedJobs(stateDir)) {
            finished.add("ftjob-a");
            finished.add("ftjob-c");
            WatchList watchList = new WatchList(List.of(), null, finished);
            new Discovery(stateDir, true, watchList, finished, ShippedRouter::terminal);

            JsonNode saved = JSON.readTree(file.toFile());
            assertFalse(saved.path("tracked").has("ftjob-a"));
            assertTrue(saved.path("tracked").has("ftjob-b"));
            assertEquals(List.of("ftjob-d"), JSON.convertValue(saved.path("handed_over"), List.class));
            assertEquals(1700000000L, saved.path("horizon").asLong(), "the rest is kept");
            assertTrue(saved.path("first_discovery_completed").asBoolean());
            assertEquals(java.util.Set.of("ftjob-d"), watchList.watched(), "the unfinished job handed over is watched again");
        }
    }
}
