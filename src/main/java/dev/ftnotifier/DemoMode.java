package dev.ftnotifier;

import dev.ftnotifier.config.NotifierMain;
import dev.ftnotifier.simulator.DemoScenario;
import dev.ftnotifier.simulator.FineTuningApiSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code --demo}: the whole pipeline with no key and no network. The built-in API simulator
 * serves jobs that fail, succeed, get cancelled and pause; the notifier polls it every second.
 * Delivery state goes to a temporary folder, so every demo run shows every notification again.
 */
final class DemoMode {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMode.class);
    private static final String DEMO_KEY = "demo-key-not-a-secret";

    private DemoMode() {
    }

    static NotifierMain create() {
        FineTuningApiSimulator simulator = FineTuningApiSimulator.start();
        simulator.requireApiKey(DEMO_KEY);
        DemoScenario.install(simulator, Duration.ofSeconds(2));
        Path stateDir = temporaryStateDir();
        LOG.info("demo: simulated OpenAI API at {}, watching {}; notifications go to ./notifications and this log",
                simulator.baseUrl(), DemoScenario.jobIds());
        return NotifierMain.withOverrides(Map.of(
                        "notifier.demo", "true",
                        "openai.api-key", DEMO_KEY,
                        "openai.base-url", simulator.baseUrl(),
                        "notifier.jobs", String.join(",", DemoScenario.jobIds()),
                        "notifier.jobs-file", "",
                        "notifier.discover", "false",
                        "notifier.poll-interval", "1s",
                        "notifier.state.dir", stateDir.toString()))
                .closing(simulator)
                .closing(() -> deleteTree(stateDir));
    }

    private static Path temporaryStateDir() {
        try {
            return Files.createTempDirectory("fine-tuning-notifier-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
