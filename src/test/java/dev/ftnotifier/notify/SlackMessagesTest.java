package dev.ftnotifier.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.slack.api.model.Message;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static dev.ftnotifier.notify.Fixtures.CANCELLED;
import static dev.ftnotifier.notify.Fixtures.FAILED;
import static dev.ftnotifier.notify.Fixtures.RUNNING;
import static dev.ftnotifier.notify.Fixtures.SUCCEEDED;
import static dev.ftnotifier.notify.Fixtures.edited;
import static dev.ftnotifier.notify.Fixtures.failedWithMessage;
import static dev.ftnotifier.notify.Fixtures.notification;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Slack message built from the repository's own templates. */
class SlackMessagesTest {

    private final SlackMessages slack = new SlackMessages(new Templates(Fixtures.SHIPPED));

    private static final String CHANGED = "2024-05-01T10:15:23Z";
    /** An '&' that does not start one of the three entities Slack knows: a cut or unescaped '&'. */
    private static final Pattern STRAY_AMPERSAND = Pattern.compile("&(?!amp;|lt;|gt;)");

    private static void assertContainsAll(String text, String... facts) {
        for (String fact : facts) {
            assertTrue(text.contains(fact), "missing '" + fact + "' in: " + text);
        }
    }

    /** Every piece of mrkdwn in the message: the fallback text, the section and the context. */
    private static List<String> mrkdwn(Message m) {
        List<String> texts = new ArrayList<>();
        texts.add(m.getText());
        for (LayoutBlock block : m.getBlocks()) {
            if (block instanceof SectionBlock s) {
                texts.add(s.getText().getText());
            } else if (block instanceof ContextBlock c) {
                c.getElements().forEach(e -> texts.add(((MarkdownTextObject) e).getText()));
            }
        }
        return texts;
    }

    private static String header(Message m) {
        return ((HeaderBlock) m.getBlocks().get(0)).getText().getText();
    }

    // ---- the fallback text alone carries every fact ----

    @Test
    void failureFallbackCarriesEveryFact() {
        Message m = slack.build(notification("failure", FAILED));
        assertContainsAll(m.getText(), "ftjob-abc123", "failed", "gpt-4o-mini-2024-07-18", CHANGED,
                "invalid_n_examples", "Training file has 5 examples; at least 10 are required.", "training_file",
                "ft-experiments", "run-42");
    }

    @Test
    void failureWithoutParamDoesNotMentionAParam() {
        Message m = slack.build(edited("failure", FAILED, job -> ((ObjectNode) job.get("error")).putNull("param")));
        assertContainsAll(m.getText(), "invalid_n_examples", "Training file has 5 examples");
        assertFalse(m.getText().contains("param"), m.getText());
    }

    @Test
    void failureWithNullEmptyOrAllNullErrorSaysNoDetailsWereGiven() {
        List<Notification> failures = List.of(
                edited("failure", FAILED, job -> job.putNull("error")),
                edited("failure", FAILED, job -> job.putObject("error")),
                edited("failure", FAILED, job -> job.putObject("error").putNull("code").putNull("message").putNull("param")),
                edited("failure", FAILED, job -> job.remove("error")));
        for (Notification n : failures) {
            Message m = slack.build(n);
            assertContainsAll(m.getText(), "ftjob-abc123", "failed", "gpt-4o-mini-2024-07-18", CHANGED);
            assertContainsAll(m.getText().toLowerCase(), "no error details were given");
            assertContainsAll(((SectionBlock) m.getBlocks().get(1)).getText().getText(), "no error details were given");
        }
    }

    @Test
    void completionFallbackCarriesEveryFact() {
        Message m = slack.build(notification("completion", SUCCEEDED));
        assertContainsAll(m.getText(), "ftjob-def456", "succeeded", "gpt-4o-mini-2024-07-18", CHANGED,
                "ft:gpt-4o-mini-2024-07-18:acme::9abcDEF", "file-res1", "file-res2", "123456", "1h 02m 03s",
                "ft-experiments", "run-42");
    }

    @Test
    void cancellationFallbackSaysWhen() {
        Message m = slack.build(notification("cancellation", CANCELLED));
        assertContainsAll(m.getText(), "ftjob-ghi789", "cancelled", "gpt-3.5-turbo-0125", "cancelled at " + CHANGED);
    }

    @Test
    void runningFallbackCarriesTheEstimatedFinish() {
        Message m = slack.build(notification("progress", RUNNING));
        assertContainsAll(m.getText(), "ftjob-jkl012", "running", "gpt-4o-2024-08-06", CHANGED,
                Instant.ofEpochSecond(1714560000).toString(), "ft-experiments", "run-42");
    }

    @Test
    void estimatedFinishOnlyWhileRunningAndWhenSet() {
        Message queued = slack.build(edited("progress", RUNNING, job -> job.put("status", "queued")));
        assertFalse(queued.getText().contains("stimated"), queued.getText());
        Message unset = slack.build(edited("progress", RUNNING, job -> job.put("estimated_finish", 0)));
        assertFalse(unset.getText().contains("stimated"), unset.getText());
    }

    @Test
    void wandbIsLeftOutWhenTheJobHasNoIntegration() {
        Message m = slack.build(notification("cancellation", CANCELLED));
        assertFalse(m.getText().contains("W&amp;B"), m.getText());
    }

    // ---- Block Kit ----

    @Test
    void blocksAreAHeaderASectionAndAContext() {
        Message m = slack.build(notification("failure", FAILED));
        assertEquals(3, m.getBlocks().size());
        HeaderBlock header = assertInstanceOf(HeaderBlock.class, m.getBlocks().get(0));
        assertEquals("❌ Fine-tuning job ftjob-abc123 failed", header.getText().getText());
        assertEquals("plain_text", header.getText().getType());
        SectionBlock section = assertInstanceOf(SectionBlock.class, m.getBlocks().get(1));
        assertEquals("mrkdwn", section.getText().getType());
        assertContainsAll(section.getText().getText(), "ftjob-abc123", "invalid_n_examples", "training_file");
        assertInstanceOf(ContextBlock.class, m.getBlocks().get(2));
    }

    @Test
    void headersCarryTheEmojiOfTheirEvent() {
        assertTrue(header(slack.build(notification("completion", SUCCEEDED))).startsWith("✅"));
        assertTrue(header(slack.build(notification("cancellation", CANCELLED))).startsWith("🚫"));
        assertTrue(header(slack.build(notification("progress", RUNNING))).startsWith("⏳"));
    }

    @Test
    void theJsonCamelSlackSendsHasRealBlocks() {
        // camel-slack serializes a Message with a plain new Gson()
        JsonObject json = new Gson().toJsonTree(slack.build(failedWithMessage("<!channel> please look"))).getAsJsonObject();
        JsonArray blocks = json.getAsJsonArray("blocks");
        assertEquals("header", blocks.get(0).getAsJsonObject().get("type").getAsString());
        assertEquals("section", blocks.get(1).getAsJsonObject().get("type").getAsString());
        assertEquals("mrkdwn", blocks.get(1).getAsJsonObject().getAsJsonObject("text").get("type").getAsString());
        assertEquals("context", blocks.get(2).getAsJsonObject().get("type").getAsString());
        assertFalse(json.toString().contains("<!channel>"), json.toString());
    }

    // ---- hostile text from the API ----

    @Test
    void aSpecialMentionInTheErrorMessageCannotPing() {
        Message m = slack.build(failedWithMessage("<!channel> please look"));
        for (String text : mrkdwn(m)) {
            assertFalse(text.contains("<"), text);
            assertFalse(text.contains("<!channel>"), text);
        }
        assertContainsAll(m.getText(), "&lt;!channel&gt; please look");
    }

    @Test
    void aLinkInTheErrorMessageCannotBeForged() {
        Message m = slack.build(failedWithMessage("<https://evil.example|click here>"));
        for (String text : mrkdwn(m)) {
            assertFalse(text.contains("<https://evil.example"), text);
        }
        assertContainsAll(m.getText(), "&lt;https://evil.example|click here&gt;");
    }

    @Test
    void anAtHereInTheErrorMessageIsBroken() {
        Message m = slack.build(failedWithMessage("@here @channel @everyone"));
        for (String text : mrkdwn(m)) {
            assertFalse(text.contains("@here") || text.contains("@channel") || text.contains("@everyone"), text);
        }
    }

    @Test
    void hostileTextInAnyFieldIsEscapedEverywhere() {
        String evil = "<!here> <https://evil.example|x> @everyone";
        Notification n = edited("completion", SUCCEEDED, job -> {
            job.put("id", evil);
            job.put("model", evil);
            job.put("fine_tuned_model", "<script>alert(1)</script>");
            job.putArray("result_files").add(evil);
            ((ObjectNode) job.get("integrations").get(0).get("wandb")).put("project", evil).put("name", evil);
        });
        Message m = slack.build(n);
        for (String text : mrkdwn(m)) {
            assertFalse(text.contains("<"), text);
            assertFalse(text.contains("@everyone"), text);
        }
        assertContainsAll(m.getText(), "&lt;script&gt;alert(1)&lt;/script&gt;");
        // plain_text shows text as written and cannot ping; mentions are broken anyway, not entity-escaped
        assertFalse(header(m).contains("&lt;"), header(m));
        assertFalse(header(m).contains("@everyone"), header(m));
    }

    @Test
    void aCrLfInTheMessageDoesNotReachSlack() {
        Message m = slack.build(failedWithMessage("hello\r\nBcc: victim@example.com"));
        assertFalse(m.getText().contains("\r"), m.getText());
        assertContainsAll(m.getText(), "hello\nBcc: victim@\u200Dexample.com");
    }

    @Test
    void aHugeMessageIsCutToSlacksLimitsWithoutLosingTheOtherFacts() {
        String huge = "<&>".repeat(35_000); // 105 000 characters, each one expands when escaped
        Message m = slack.build(failedWithMessage(huge));
        assertTrue(m.getText().length() <= SlackMessages.TEXT_MAX, "text " + m.getText().length());
        assertContainsAll(m.getText(), "ftjob-abc123", "failed", "gpt-4o-mini-2024-07-18", CHANGED,
                "invalid_n_examples", "training_file", "ft-experiments", "run-42", "&lt;&amp;&gt;");
        String section = ((SectionBlock) m.getBlocks().get(1)).getText().getText();
        assertTrue(section.length() <= SlackMessages.SECTION_MAX, "section " + section.length());
        assertTrue(header(m).length() <= SlackMessages.HEADER_MAX);
        for (String text : mrkdwn(m)) {
            assertFalse(STRAY_AMPERSAND.matcher(text).find(), "an entity was cut in half");
        }
    }

    @Test
    void aHugeJobIdStillGivesAValidHeader() {
        Message m = slack.build(edited("failure", FAILED, job -> job.put("id", "ftjob-" + "x".repeat(100_000))));
        assertTrue(header(m).length() <= SlackMessages.HEADER_MAX, "header " + header(m).length());
        assertTrue(m.getText().length() <= SlackMessages.TEXT_MAX);
    }

    // ---- missing and unknown input ----

    @Test
    void nullEverythingStillGivesAMessage() {
        List<Notification> empty = List.of(
                Fixtures.of(null, null, null, Fixtures.job("{}"), null),
                Fixtures.of(null, null, null, null, null),
                Fixtures.of("failure", null, null, Fixtures.job("{\"status\": \"failed\"}"), null));
        for (Notification n : empty) {
            Message m = slack.build(n);
            assertFalse(m.getText().isBlank());
            assertTrue(m.getText().contains("unknown"), m.getText());
        }
        assertTrue(slack.build(empty.get(2)).getText().contains("No error details were given"));
    }

    @Test
    void anUnknownStatusIsReportedAsProgressWithTheStatusItself() {
        Notification n = edited("progress", RUNNING, job -> job.put("status", "exploding"));
        Message m = slack.build(n);
        assertEquals("⏳ Fine-tuning job ftjob-jkl012 is exploding", header(m));
        assertContainsAll(m.getText(), "ftjob-jkl012", "exploding", "gpt-4o-2024-08-06", CHANGED);
        // the progress template is chosen from the status when the event is missing or odd
        assertEquals(header(m), header(slack.build(edited(null, RUNNING, job -> job.put("status", "exploding")))));
        assertEquals(header(m), header(slack.build(edited("../../etc", RUNNING, job -> job.put("status", "exploding")))));
    }

    // ---- templates from elsewhere ----

    @Test
    void evenTripleBracesInAnOperatorsTemplateCannotUnescape(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("slack"));
        Files.writeString(dir.resolve("slack/failure.mustache"),
                "=== header ===\n{{{error_message}}}\n=== body ===\n{{{error_message}}}\n=== fallback ===\n{{&error_message}}\n");
        Message m = new SlackMessages(new Templates(dir)).build(failedWithMessage("<!channel> @here"));
        assertEquals(2, m.getBlocks().size(), "no context part, no context block");
        for (String text : mrkdwn(m)) {
            assertFalse(text.contains("<!channel>") || text.contains("@here"), text);
        }
    }

    @Test
    void aSlackTemplateWithAnUnknownPartIsRefused(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("slack"));
        Files.writeString(dir.resolve("slack/failure.mustache"), "=== fallback ===\nx\n=== bdy ===\ny\n");
        TemplateException e = org.junit.jupiter.api.Assertions.assertThrows(TemplateException.class,
                () -> new SlackMessages(new Templates(dir)).build(notification("failure", FAILED)));
        assertTrue(e.getMessage().contains("bdy") && e.getMessage().contains("failure.mustache"), e.getMessage());
    }
}
