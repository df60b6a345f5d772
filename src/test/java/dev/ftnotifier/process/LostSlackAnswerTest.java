package dev.ftnotifier.process;

import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.NotifierProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slack takes a post and the answer is lost (the connection ends before any status line):
 * the notifier cannot know the post arrived, so it sends it again. That one delivery
 * arrives twice, and the retry says so in one line; nothing else does, and it is recorded as
 * sent once.
 */
class LostSlackAnswerTest {

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    @Test
    void aPostWhoseAnswerWasLostIsSentAgainOnceAndNothingElseIsDuplicated() throws Exception {
        world.startClock();
        world.putJob("ftjob-lost", "failed");
        world.putJob("ftjob-fine", "succeeded");
        world.slack.dropAnswerAfterStoring(1);
        Path log = world.stateDir.resolveSibling("notifier.log");
        Process process = NotifierProcess.fromClasses()
                .env("OPENAI_API_KEY", "test-key-not-a-secret")
                .env("OPENAI_BASE_URL", world.api.baseUrl())
                .env("NOTIFIER_JOBS", String.join(",", "ftjob-lost", "ftjob-fine", LocalWorld.CLOCK))
                .env("NOTIFIER_POLL_INTERVAL", "200")
                .env("NOTIFIER_STATE_DIR", world.stateDir.toString())
                .env("NOTIFIER_FILE_DIR", world.fileDir.toString())
                .env("NOTIFIER_SLACK_WEBHOOK_URL", world.slack.url())
                .env("NOTIFIER_EMAIL_TO", "team@example.test")
                .env("NOTIFIER_EMAIL_SMTP_HOST", "127.0.0.1")
                .env("NOTIFIER_EMAIL_SMTP_PORT", String.valueOf(world.smtp.getSmtp().getPort()))
                .start(log);
        Path journal = world.stateDir.resolve("deliveries.log");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(journal)
                    && List.of("ftjob-lost|failed|slack", "ftjob-fine|succeeded|slack").stream()
                            .allMatch(k -> journalHas(journal, "sent " + k)));
            // later polls must not send anything again
            world.waitForPolls(3);
        } finally {
            NotifierProcess.stop(process);
        }

        // the first post Slack took is the one whose answer was dropped (either job's)
        String first = world.slack.posts().get(0).get("text").asText();
        String lost = first.contains("ftjob-lost ") ? "ftjob-lost" : "ftjob-fine";
        String other = lost.equals("ftjob-lost") ? "ftjob-fine" : "ftjob-lost";
        assertEquals(2, world.slackPosts(lost), "Slack took it, the answer was lost: sent once more");
        assertEquals(1, world.slackPosts(other), "no other duplicate");
        assertEquals(3, world.slack.posts().size(), "nothing else posted: " + world.slack.posts());
        assertEquals(1, world.mails("ftjob-lost"));
        assertEquals(1, world.mails("ftjob-fine"));
        assertEquals(2, world.smtp.getReceivedMessages().length);
        assertTrue(Files.exists(Documents.path(world.fileDir, "ftjob-lost", "failed")));
        List<String> duplicates = Files.readAllLines(log).stream().filter(l -> l.contains("possible duplicate")).toList();
        assertEquals(1, duplicates.size(), "one line for the one resend that may duplicate: " + duplicates);
        assertTrue(duplicates.get(0).contains("slack") && duplicates.get(0).contains("job " + lost + " "), duplicates.get(0));
        for (String key : List.of("ftjob-lost|failed|slack", "ftjob-fine|succeeded|slack")) {
            assertEquals(1, Files.readAllLines(journal).stream().filter(l -> l.equals("sent " + key)).count(),
                    key + " recorded as sent once");
        }
    }

    private static boolean journalHas(Path journal, String line) {
        try {
            return Files.readAllLines(journal).contains(line);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
