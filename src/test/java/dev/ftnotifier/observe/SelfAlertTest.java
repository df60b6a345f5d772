package dev.ftnotifier.observe;

import dev.ftnotifier.testing.Management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Self-alerting end to end, with a one-second notifier.self-alert.after: the API rejects the key,
 * every channel is told once in words, a restart in the middle tells nobody again, and when the key
 * is accepted again every channel is told once that it is over.
 */
class SelfAlertTest {

    @RegisterExtension
    LocalWorld world = new LocalWorld();

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRejectedKeyIsToldOnceOnEveryChannelAcrossARestartAndItsRecoveryOnceToo() throws IOException {
        world.api.requireApiKey("test-key-the-api-wants");
        world.startClock();
        Map<String, String> settings = world.allChannels(LocalWorld.CLOCK);
        settings.put("notifier.self-alert.after", "1s");
        String words = "API key rejected by " + world.api.baseUrl() + ": HTTP 401";

        try (RunningNotifier first = RunningNotifier.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> slack("cannot do its job").size() == 1
                    && mails("notifier cannot do its job").size() == 1 && files("self-alert.").size() == 1);
            assertTrue(slack("cannot do its job").get(0).contains(words), slack("cannot do its job").toString());
            assertTrue(mails("notifier cannot do its job").get(0).contains(words));
            JsonNode doc = JSON.readTree(world.fileDir.resolve(files("self-alert.").get(0)).toFile());
            assertEquals("self-alert", doc.path("event").asText());
            assertEquals(words, doc.path("reason").asText());
            assertTrue(doc.path("job_id").isMissingNode(), doc.toString());
        }
        try (RunningNotifier second = RunningNotifier.start(settings)) {
            // still rejected after the restart: several checks pass (each longer than self-alert.after), nobody is told again
            world.waitForPolls(15);
            assertEquals(1, slack("cannot do its job").size());
            assertEquals(1, mails("notifier cannot do its job").size());
            assertEquals(1, files("self-alert.").size());

            world.api.requireApiKey("test-key-not-a-secret");
            await().atMost(Duration.ofSeconds(30)).until(() -> slack("recovered").size() == 1
                    && mails("notifier recovered").size() == 1 && files("self-recovered.").size() == 1);
            assertTrue(slack("recovered").get(0).contains(words), slack("recovered").toString());
            JsonNode over = JSON.readTree(world.fileDir.resolve(files("self-recovered.").get(0)).toFile());
            assertEquals("self-recovered", over.path("event").asText());
            assertTrue(over.path("job_id").isMissingNode(), over.toString());
            world.waitForPolls(10);
            assertEquals(1, slack("recovered").size());
            assertEquals(1, mails("notifier recovered").size());
            assertEquals(1, slack("cannot do its job").size());
            for (String text : slack("")) {
                assertFalse(text.contains("test-key"), "a key in a Slack message");
            }
        }
    }

    @Test
    void aChannelWhoseDeliveriesStayPendingIsToldOnTheOthersAndIsDownInTheHealthBody() throws IOException {
        Management management = new Management();
        world.slack.failNext(100_000, 500);
        world.putJob("ftjob-unposted", "succeeded");
        Map<String, String> settings = management.on(world.allChannels("ftjob-unposted"));
        settings.put("notifier.self-alert.after", "1s");
        try (RunningNotifier notifier = RunningNotifier.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> mails("notifier cannot do its job").size() == 1
                    && files("self-alert.channel-slack-").size() == 1);
            String mail = mails("notifier cannot do its job").get(0);
            assertTrue(mail.contains("Slack channel slack failing: 1 delivery pending"), mail);
            JsonNode doc = JSON.readTree(world.fileDir.resolve(files("self-alert.channel-slack-").get(0)).toFile());
            assertEquals("slack", doc.path("channel").asText(), doc.toString());
            Management.Answer health = management.get("/observe/health");
            assertEquals(503, health.status(), health.body());
            assertEquals("DOWN", health.check("channel-slack").path("status").asText(), health.body());
            assertEquals("UP", health.check("channel-email").path("status").asText(), health.body());

            world.slack.recover();
            await().atMost(Duration.ofSeconds(30)).until(() -> world.slackPosts("ftjob-unposted") == 1
                    && mails("notifier recovered").size() == 1 && files("self-recovered.channel-slack-").size() == 1);
            // the broken channel is never told about itself
            assertEquals(List.of(), slack("fine-tuning-notifier"));
            assertEquals(1, mails("notifier cannot do its job").size());
        }
    }

    /** The text of each Slack post containing {@code part}. */
    private List<String> slack(String part) {
        return world.slack.posts().stream().map(p -> p.path("text").asText()).filter(t -> t.contains(part)).toList();
    }

    /** Subject and plain text of each distinct mail whose subject contains {@code part}. */
    private List<String> mails(String part) {
        return Arrays.stream(world.smtp.getReceivedMessages()).filter(m -> subject(m).contains(part))
                .map(m -> subject(m) + "\n" + text(m)).distinct().toList();
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(MimeMessage m) {
        return com.icegreen.greenmail.util.GreenMailUtil.getBody(m);
    }

    private List<String> files(String prefix) {
        return Documents.names(world.fileDir).stream().filter(n -> n.startsWith(prefix)).toList();
    }
}
