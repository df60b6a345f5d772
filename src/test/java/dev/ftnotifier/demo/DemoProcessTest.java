package dev.ftnotifier.demo;

import dev.ftnotifier.simulator.DemoScenario;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.Dsl;
import dev.ftnotifier.testing.NotifierProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --demo} and {@code --demo --faults} as the README's Quick start runs them: the real
 * entry point in its own JVM, from a folder holding the repository's routes, templates and
 * application.properties. Every terminal notification of the demo shows up on all three
 * channels (the demo's Slack and mailbox log lines, and ./notifications), once; the job that
 * pauses is written to the file channel.
 */
class DemoProcessTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /** The demo's terminal notifications; Slack and email take these statuses (the defaults). */
    private static final Map<String, String> TERMINAL = Map.of(
            DemoScenario.FAILS, "failed", DemoScenario.SUCCEEDS, "succeeded", DemoScenario.CANCELLED, "cancelled");

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"--demo", "--demo --faults"})
    void everyDemoNotificationArrivesOnEveryChannel(String args) throws Exception {
        copyRepositoryFiles(work);
        Path log = work.resolve("demo.log");
        Process demo = NotifierProcess.fromClasses().args(args.split(" ")).in(work).start(log);
        Path notifications = work.resolve("notifications");
        try {
            await().atMost(DEADLINE).until(() -> TERMINAL.entrySet().stream().allMatch(e ->
                    count(slackReceived(log), e.getKey()) >= 1 && count(mailReceived(log), e.getKey()) >= 1
                            && Files.exists(Documents.path(notifications, e.getKey(), e.getValue())))
                    && Files.exists(Documents.path(notifications, DemoScenario.PAUSED, "paused")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the demo did not deliver everything within " + DEADLINE + "; it said:\n"
                    + NotifierProcess.read(log), e);
        } finally {
            NotifierProcess.stop(demo);
        }
        String said = NotifierProcess.read(log);
        assertEquals(0, demo.exitValue(), said);
        for (Map.Entry<String, String> e : TERMINAL.entrySet()) {
            List<String> slack = slackReceived(log).stream().filter(t -> t.contains(e.getKey() + " ")).toList();
            assertEquals(1, slack.size(), "one Slack message for " + e.getKey() + ": " + slack);
            assertTrue(slack.get(0).contains(e.getValue()), slack.get(0));
            List<String> mail = mailReceived(log).stream().filter(t -> t.contains(e.getKey() + " ")).toList();
            assertEquals(1, mail.size(), "one email for " + e.getKey() + ": " + mail);
            assertTrue(mail.get(0).contains(e.getValue()), mail.get(0));
            // pushed: the simulator's signed webhook event for it was taken
            assertTrue(said.lines().anyMatch(l -> l.contains("webhook wh_") && l.contains(": job " + e.getKey() + " " + e.getValue())),
                    "the webhook event for " + e.getKey() + " was received");
        }
        assertEquals(3, slackReceived(log).size(), "Slack takes the terminal statuses only: " + slackReceived(log));
        assertEquals(3, mailReceived(log).size(), "email takes the terminal statuses only: " + mailReceived(log));
        if (args.contains("--faults")) {
            assertTrue(said.contains("demo: faults on"), "the faults were on");
        }
    }

    /**
     * {@code NOTIFIER_ROUTES=xml java -jar ... --demo} shows the demo through the XML routes, as the
     * README says. The demo's own settings are overrides, which read the environment only where
     * nothing else sets a key; DemoMode passes the DSL on, or this fails in the xml-dsl run.
     */
    @Test
    void theDemoRunsTheRoutesNotifierRoutesNames() throws Exception {
        copyRepositoryFiles(work);
        Path log = work.resolve("demo.log");
        Process demo = NotifierProcess.fromClasses().args("--demo").in(work).start(log);
        try {
            await().atMost(DEADLINE).until(() -> NotifierProcess.read(log).contains("watching routes/*.camel."));
        } finally {
            NotifierProcess.stop(demo);
        }
        assertTrue(NotifierProcess.read(log).contains("watching routes/*.camel." + Dsl.current() + " "),
                NotifierProcess.read(log).lines().filter(l -> l.contains("watching routes")).toList().toString());
    }

    private static long count(List<String> received, String jobId) {
        return received.stream().filter(t -> t.contains(jobId + " ")).count();
    }

    /** The first line of each message the demo's Slack webhook took (its log line's next line). */
    private static List<String> slackReceived(Path log) {
        return following(log, "demo Slack received:");
    }

    /** The subject line of each email the demo's mailbox took. */
    private static List<String> mailReceived(Path log) {
        return following(log, "demo mailbox received:");
    }

    private static List<String> following(Path log, String marker) {
        List<String> lines = NotifierProcess.read(log).lines().toList();
        List<String> found = new ArrayList<>();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).endsWith(marker)) {
                found.add(lines.get(i + 1).strip());
            }
        }
        return found;
    }

    /** What the demo reads from its working directory: ./routes, ./templates, ./application.properties. */
    private static void copyRepositoryFiles(Path to) throws IOException {
        Path repo = Path.of("").toAbsolutePath();
        Files.copy(repo.resolve("application.properties"), to.resolve("application.properties"));
        for (String dir : List.of("routes", "templates")) {
            try (Stream<Path> files = Files.walk(repo.resolve(dir))) {
                files.forEach(f -> {
                    try {
                        Path target = to.resolve(repo.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
