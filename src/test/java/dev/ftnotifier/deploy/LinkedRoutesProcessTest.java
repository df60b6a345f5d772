package dev.ftnotifier.deploy;

import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.NotifierProcess;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * As an operator runs it: {@code java ... dev.ftnotifier.App} in a folder whose {@code routes}
 * is a link ({@code ln -s /etc/fine-tuning-notifier/routes routes}), no property overridden in code.
 */
class LinkedRoutesProcessTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"yaml", "xml"})
    void theNotifierStartsFromALinkedRoutesFolderAndNotifies(String dsl) throws IOException, InterruptedException {
        Path etc = work.resolve("etc/routes");
        Files.createDirectories(etc);
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, etc.resolve(f.getFileName()));
            }
        }
        Path dir = Files.createDirectories(work.resolve("run"));
        Files.createSymbolicLink(dir.resolve("routes"), etc);
        Files.createSymbolicLink(dir.resolve("templates"), Path.of("templates").toAbsolutePath());
        try (FineTuningApiSimulator api = FineTuningApiSimulator.start()) {
            api.putJob(SimulatedJob.queued("ftjob-linked", "gpt-4o-mini"));
            api.setStatus("ftjob-linked", "failed");
            Process process = NotifierProcess.fromClasses().in(dir).env(Map.of("OPENAI_API_KEY", "test-key-not-a-secret",
                    "OPENAI_BASE_URL", api.baseUrl(), "NOTIFIER_JOBS", "ftjob-linked", "NOTIFIER_ROUTES", dsl,
                    "NOTIFIER_POLL_INTERVAL", "200")).start(work.resolve("notifier.log"));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive()
                        || Files.exists(Documents.path(dir.resolve("notifications"), "ftjob-linked", "failed")));
                if (!process.isAlive()) {
                    throw new AssertionError("the notifier stopped (exit " + process.waitFor() + "): "
                            + NotifierProcess.read(work.resolve("notifier.log")));
                }
            } finally {
                // waited for: its graceful stop still writes under the temporary folder JUnit deletes next
                NotifierProcess.stop(process);
            }
        }
    }
}
