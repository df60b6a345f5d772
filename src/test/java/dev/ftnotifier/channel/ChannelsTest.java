package dev.ftnotifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalSmtp;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Slack and email against real servers on 127.0.0.1: the Slack capture and GreenMail. */
class ChannelsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String MODEL = "gpt-4o-mini-2024-07-18";

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    /** Slack and email on; two recipients and a sender, to check they are the only ones. */
    private Map<String, String> properties(String... jobs) {
        Map<String, String> p = world.allChannels(jobs);
        p.put("notifier.email.to", "ml-team@example.test, oncall@example.test");
        p.put("notifier.email.from", "notifier@example.test");
        return p;
    }

    private void putJob(String id, String status) {
        world.api.putJob(SimulatedJob.queued(id, MODEL));
        world.api.setStatus(id, status);
    }

    private static String text(JsonNode post) {
        return post.get("text").asText();
    }

    private JsonNode slackPostFor(String jobId) {
        return world.slack.posts().stream().filter(p -> text(p).contains(jobId)).findFirst().orElseThrow();
    }

    private MimeMessage mailFor(String jobId) throws Exception {
        for (MimeMessage m : world.smtp.getReceivedMessages()) {
            if (m.getSubject().contains(jobId)) {
                return m;
            }
        }
        throw new AssertionError("no mail for " + jobId);
    }

    /** The distinct messages (one per Message-ID; GreenMail keeps one copy per recipient). */
    private long distinctMails() {
        return Arrays.stream(world.smtp.getReceivedMessages()).map(m -> {
            try {
                return m.getMessageID();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).distinct().count();
    }

    private static String part(MimeMessage message, String type) throws Exception {
        MimeMultipart multipart = (MimeMultipart) message.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType(type)) {
                return part.getContent().toString();
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    @Test
    void eachStatusGoesToEachChannelAsItsFilterSays() throws Exception {
        putJob("ftjob-ok", "succeeded");
        world.api.putJob(SimulatedJob.queued("ftjob-bad", MODEL));
        world.api.fail("ftjob-bad", "invalid_n_examples", "Training file has 5 example(s), but must have at least 10 examples", "training_file");
        putJob("ftjob-stop", "cancelled");
        putJob("ftjob-run", "running");
        Map<String, String> props = properties("ftjob-ok", "ftjob-bad", "ftjob-stop", "ftjob-run");
        props.put("notifier.email.statuses", "failed");

        try (RunningNotifier ignored = RunningNotifier.start(props)) {
            await().atMost(DEADLINE).until(() -> world.slack.posts().size() == 3 && distinctMails() == 1
                    && Documents.names(world.fileDir).size() == 4);
            world.waitForFetches("ftjob-run", 3);
        }
        // Slack: the default filter (failed, succeeded, cancelled): no post for the running job
        assertEquals(3, world.slack.posts().size());
        assertTrue(world.slack.posts().stream().noneMatch(p -> text(p).contains("ftjob-run")));
        // email: only failures, to both recipients
        MimeMessage mail = mailFor("ftjob-bad");
        Set<String> to = Arrays.stream(mail.getRecipients(Message.RecipientType.TO))
                .map(a -> ((InternetAddress) a).getAddress()).collect(Collectors.toSet());
        assertEquals(Set.of("ml-team@example.test", "oncall@example.test"), to);
        assertEquals("notifier@example.test", ((InternetAddress) mail.getFrom()[0]).getAddress());
        assertEquals(2, world.smtp.getReceivedMessages().length, "one copy per recipient, nothing else");
    }

    @Test
    void aFailureCarriesCodeMessageAndParamEverywhere() throws Exception {
        world.api.putJob(SimulatedJob.queued("ftjob-bad", MODEL));
        world.api.fail("ftjob-bad", "invalid_n_examples", "Training file has 5 example(s), but must have at least 10 examples", "training_file");
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-bad"))) {
            await().atMost(DEADLINE).until(() -> world.slack.posts().size() == 1 && distinctMails() == 1);
        }
        String fallback = text(slackPostFor("ftjob-bad"));
        for (String fact : List.of("ftjob-bad", "failed", MODEL, "invalid_n_examples",
                "Training file has 5 example(s), but must have at least 10 examples", "training_file")) {
            assertTrue(fallback.contains(fact), "Slack fallback text lacks " + fact + ": " + fallback);
        }
        assertTrue(slackPostFor("ftjob-bad").get("blocks").size() >= 2, "a Block Kit message");

        MimeMessage mail = mailFor("ftjob-bad");
        assertTrue(mail.getSubject().contains("ftjob-bad") && mail.getSubject().contains("failed")
                && mail.getSubject().contains("invalid_n_examples"), mail.getSubject());
        String plain = part(mail, "text/plain");
        String html = part(mail, "text/html");
        for (String fact : List.of(MODEL, "invalid_n_examples", "training_file", "must have at least 10 examples")) {
            assertTrue(plain.contains(fact), "plain text lacks " + fact);
            assertTrue(html.contains(fact), "HTML lacks " + fact);
        }
    }

    @Test
    void aCompletionNamesTheModelEveryResultFileTokensAndRunTime() throws Exception {
        world.api.putJob(SimulatedJob.queued("ftjob-ok", MODEL)
                .withResultFiles(List.of("file-res-1", "file-res-2"))
                .withIntegrations(List.of(new SimulatedJob.Wandb("my-wandb-project", "run-42", null, List.of()))));
        world.api.setStatus("ftjob-ok", "succeeded");
        SimulatedJob job = world.api.job("ftjob-ok");
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-ok"))) {
            await().atMost(DEADLINE).until(() -> world.slack.posts().size() == 1 && distinctMails() == 1);
        }
        String fallback = text(slackPostFor("ftjob-ok"));
        for (String fact : List.of(job.fineTunedModel(), "file-res-1", "file-res-2", String.valueOf(job.trainedTokens()),
                "my-wandb-project", "run-42")) {
            assertTrue(fallback.contains(fact), "Slack fallback text lacks " + fact + ": " + fallback);
        }
        MimeMessage mail = mailFor("ftjob-ok");
        assertTrue(mail.getSubject().contains(job.fineTunedModel()), mail.getSubject());
        String plain = part(mail, "text/plain");
        for (String fact : List.of("file-res-1", "file-res-2", String.valueOf(job.trainedTokens()), "my-wandb-project")) {
            assertTrue(plain.contains(fact), "plain text lacks " + fact);
        }
    }

    @Test
    void hostileTextCannotPingForgeLinksOrAddHeaders() throws Exception {
        world.api.putJob(SimulatedJob.queued("ftjob-evil", MODEL));
        world.api.fail("ftjob-evil", "bad\r\nBcc: victim@evil.test",
                "<!channel> <https://evil.test|click here> @here\r\nBcc: victim@evil.test", "training_file");
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-evil"))) {
            await().atMost(DEADLINE).until(() -> world.slack.posts().size() == 1 && distinctMails() == 1);
        }
        String raw = world.slack.posts().get(0).toString();
        assertFalse(raw.contains("<!channel>"), raw);
        assertFalse(raw.contains("<https://evil.test|"), raw);
        assertTrue(raw.contains("&lt;!channel&gt;"), "the text is kept, escaped: " + raw);

        MimeMessage mail = mailFor("ftjob-evil");
        assertNull(mail.getRecipients(Message.RecipientType.BCC));
        assertNull(mail.getHeader("Bcc"));
        assertFalse(mail.getSubject().contains("\n") || mail.getSubject().contains("\r"));
        assertEquals(2, world.smtp.getReceivedMessages().length, "only the two configured recipients got it");
        assertEquals(0, world.smtp.getReceivedMessagesForDomain("evil.test").length);
        assertTrue(part(mail, "text/html").contains("&lt;!channel&gt;"));
    }

    @Test
    void slackAnswering500IsAVisibleFailureAndTheOtherChannelsStillDeliver() throws Exception {
        putJob("ftjob-ok", "succeeded");
        world.slack.failNext(1, 500);
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-ok"))) {
            await().atMost(DEADLINE).until(() -> distinctMails() == 1
                    && Files.exists(Documents.path(world.fileDir, "ftjob-ok", "succeeded")));
            // the rejected post is tried again at once, and only Slack is
            await().atMost(DEADLINE).until(() -> world.slack.posts().size() == 1);
            assertEquals(2, world.slack.attempts());
        }
        assertEquals(1, distinctMails(), "email was not sent again");
        assertEquals(1, world.slack.posts().size());
    }

    @Test
    void anSmtpServerThatIsDownIsAVisibleFailureAndTheMailArrivesOnceItIsUp() throws Exception {
        putJob("ftjob-bad", "failed");
        int port = LocalSmtp.closedPort();
        Map<String, String> props = properties("ftjob-bad");
        props.put("notifier.email.smtp-port", String.valueOf(port));
        try (RunningNotifier ignored = RunningNotifier.start(props)) {
            await().atMost(DEADLINE).until(() -> world.slack.posts().size() == 1
                    && Files.exists(Documents.path(world.fileDir, "ftjob-bad", "failed")));
            world.waitForFetches("ftjob-bad", 2);
            GreenMail late = LocalSmtp.start(port);
            try {
                await().atMost(DEADLINE).until(() -> late.getReceivedMessages().length == 2);
                assertTrue(GreenMailUtil.getBody(late.getReceivedMessages()[0]).contains("ftjob-bad"));
            } finally {
                late.stop();
            }
        }
        assertEquals(1, world.slack.posts().size(), "Slack was not posted again while email was retried");
    }
}
