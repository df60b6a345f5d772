package dev.ftnotifier.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.ftnotifier.notify.Fixtures.CANCELLED;
import static dev.ftnotifier.notify.Fixtures.FAILED;
import static dev.ftnotifier.notify.Fixtures.RUNNING;
import static dev.ftnotifier.notify.Fixtures.SUCCEEDED;
import static dev.ftnotifier.notify.Fixtures.edited;
import static dev.ftnotifier.notify.Fixtures.failedWithMessage;
import static dev.ftnotifier.notify.Fixtures.notification;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The email built from the repository's own templates. */
class EmailMessagesTest {

    private final EmailMessages email = new EmailMessages(new Templates(Fixtures.SHIPPED));

    private static final String CHANGED = "2024-05-01T10:15:23Z";

    private static void assertContainsAll(String text, String... facts) {
        for (String fact : facts) {
            assertTrue(text.contains(fact), "missing '" + fact + "' in: " + text);
        }
    }

    private static void assertOneLine(String subject) {
        assertFalse(subject.contains("\r") || subject.contains("\n"), subject);
        subject.chars().forEach(c -> assertFalse(Character.isISOControl(c), "control character " + c + " in " + subject));
    }

    // ---- subject ----

    @Test
    void failureSubjectNamesJobStatusAndErrorCode() {
        EmailContent mail = email.build(notification("failure", FAILED));
        assertEquals("[fine-tuning] ftjob-abc123 failed: invalid_n_examples", mail.subject());
    }

    @Test
    void completionSubjectNamesJobStatusAndFineTunedModel() {
        EmailContent mail = email.build(notification("completion", SUCCEEDED));
        assertEquals("[fine-tuning] ftjob-def456 succeeded: ft:gpt-4o-mini-2024-07-18:acme::9abcDEF", mail.subject());
    }

    @Test
    void otherSubjectsNameJobAndStatus() {
        assertEquals("[fine-tuning] ftjob-ghi789 cancelled", email.build(notification("cancellation", CANCELLED)).subject());
        assertContainsAll(email.build(notification("progress", RUNNING)).subject(), "ftjob-jkl012", "running");
    }

    @Test
    void failureWithoutDetailsSaysSoInTheSubject() {
        for (Notification n : List.of(
                edited("failure", FAILED, job -> job.putNull("error")),
                edited("failure", FAILED, job -> job.putObject("error")))) {
            EmailContent mail = email.build(n);
            assertEquals("[fine-tuning] ftjob-abc123 failed: no error details", mail.subject());
            assertContainsAll(mail.text(), "no error details were given");
            assertContainsAll(mail.html(), "no error details were given");
        }
    }

    @Test
    void aCrLfInAnyValueCannotAddAHeader() {
        String injection = "hello\r\nBcc: victim@example.com";
        List<Notification> hostile = List.of(
                edited("failure", FAILED, job -> ((ObjectNode) job.get("error")).put("code", injection)),
                edited("failure", FAILED, job -> job.put("id", injection)),
                edited("completion", SUCCEEDED, job -> job.put("fine_tuned_model", injection)),
                edited("progress", RUNNING, job -> job.put("status", injection)),
                edited("failure", FAILED, job -> ((ObjectNode) job.get("error")).put("code", "a\rb\nc\u0085d\u2028e")));
        for (Notification n : hostile) {
            EmailContent mail = email.build(n);
            assertOneLine(mail.subject());
        }
        assertEquals("[fine-tuning] ftjob-abc123 failed: hello Bcc: victim@example.com", email.build(hostile.get(0)).subject());
    }

    @Test
    void aSubjectStaysShortWhateverTheValues() {
        EmailContent mail = email.build(edited("failure", FAILED,
                job -> ((ObjectNode) job.get("error")).put("code", "x\r\n".repeat(50_000))));
        assertOneLine(mail.subject());
        assertTrue(mail.subject().length() <= 200, "subject " + mail.subject().length());
        assertTrue(mail.subject().startsWith("[fine-tuning] ftjob-abc123 failed: x x x"), mail.subject());
    }

    @Test
    void evenATemplateCannotPutALineBreakInTheSubject(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("email"));
        Files.writeString(dir.resolve("email/failure.mustache"),
                "=== subject ===\nline one\nBcc: x@example.com\n=== text ===\nbody\n");
        EmailContent mail = new EmailMessages(new Templates(dir)).build(notification("failure", FAILED));
        assertEquals("line one Bcc: x@example.com", mail.subject());
        assertEquals("<pre>body\n</pre>\n", mail.html(), "no html part: the text, escaped, stands in");
    }

    // ---- plain-text body ----

    @Test
    void failureTextCarriesEveryFact() {
        assertContainsAll(email.build(notification("failure", FAILED)).text(), "ftjob-abc123", "failed",
                "gpt-4o-mini-2024-07-18", CHANGED, "invalid_n_examples",
                "Training file has 5 examples; at least 10 are required.", "training_file", "ft-experiments", "run-42");
    }

    @Test
    void completionTextCarriesEveryFact() {
        assertContainsAll(email.build(notification("completion", SUCCEEDED)).text(), "ftjob-def456", "succeeded",
                "gpt-4o-mini-2024-07-18", CHANGED, "ft:gpt-4o-mini-2024-07-18:acme::9abcDEF", "file-res1", "file-res2",
                "123456", "1h 02m 03s");
    }

    @Test
    void cancellationAndProgressTextCarryTheirFacts() {
        assertContainsAll(email.build(notification("cancellation", CANCELLED)).text(), "ftjob-ghi789", "cancelled",
                "gpt-3.5-turbo-0125", "Cancelled at:  " + CHANGED);
        assertContainsAll(email.build(notification("progress", RUNNING)).text(), "ftjob-jkl012", "running",
                "gpt-4o-2024-08-06", CHANGED, Instant.ofEpochSecond(1714560000).toString());
    }

    @Test
    void textIsPlainTextWithoutControlCharacters() {
        EmailContent mail = email.build(failedWithMessage("a <b> & c\r\nsecond line\u0000\u001b[31m"));
        assertContainsAll(mail.text(), "a <b> & c\nsecond line[31m");
        assertFalse(mail.text().contains("\r"));
        mail.text().chars().forEach(c -> assertTrue(c == '\n' || c == '\t' || !Character.isISOControl(c), "control " + c));
    }

    // ---- HTML body ----

    @Test
    void htmlCarriesTheFactsWithEveryValueEscaped() {
        Notification n = edited("completion", SUCCEEDED, job -> {
            job.put("fine_tuned_model", "<script>alert(1)</script>");
            job.put("model", "\"><img src=x onerror=alert(1)>");
            job.putArray("result_files").add("file-'quoted'&<b>");
        });
        EmailContent mail = email.build(n);
        assertFalse(mail.html().contains("<script>"), mail.html());
        assertFalse(mail.html().contains("<img"), mail.html());
        assertFalse(mail.html().contains("<b>"), mail.html());
        assertContainsAll(mail.html(), "&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
                "file-&#39;quoted&#39;&amp;&lt;b&gt;", "ftjob-def456", "succeeded", CHANGED, "123456", "1h 02m 03s");
        // the plain-text part shows the same values as written
        assertContainsAll(mail.text(), "<script>alert(1)</script>");
    }

    @Test
    void htmlOfAFailureCarriesEveryFact() {
        assertContainsAll(email.build(failedWithMessage("<!channel> please look")).html(), "ftjob-abc123", "failed",
                "gpt-4o-mini-2024-07-18", CHANGED, "invalid_n_examples", "&lt;!channel&gt; please look", "training_file");
    }

    // ---- size, missing and unknown input ----

    @Test
    void aHugeMessageIsCutButTheMailStillCarriesEveryOtherFact() {
        EmailContent mail = email.build(failedWithMessage("<".repeat(100_000)));
        assertTrue(mail.text().length() < 25_000, "text " + mail.text().length());
        assertTrue(mail.html().length() < 25_000, "html " + mail.html().length());
        assertEquals("[fine-tuning] ftjob-abc123 failed: invalid_n_examples", mail.subject());
        assertContainsAll(mail.text(), "ftjob-abc123", "invalid_n_examples", "training_file", "run-42");
        assertContainsAll(mail.html(), "ftjob-abc123", "invalid_n_examples", "training_file", "run-42", "&lt;&lt;");
        assertFalse(mail.html().matches("(?s).*&(?!amp;|lt;|gt;|quot;|#\\d+;).*"), "an entity was cut in half");
    }

    @Test
    void nullEverythingStillGivesAMail() {
        for (Notification n : List.of(Fixtures.of(null, null, null, Fixtures.job("{}"), null),
                Fixtures.of(null, null, null, null, null))) {
            EmailContent mail = email.build(n);
            assertEquals("[fine-tuning] unknown is unknown", mail.subject());
            assertContainsAll(mail.text(), "unknown");
        }
        EmailContent failed = email.build(Fixtures.of("failure", null, null, Fixtures.job("{\"status\":\"failed\"}"), null));
        assertEquals("[fine-tuning] unknown failed: no error details", failed.subject());
    }

    @Test
    void anUnknownStatusIsReportedAsProgressWithTheStatusItself() {
        EmailContent mail = email.build(edited("progress", RUNNING, job -> job.put("status", "exploding")));
        assertEquals("[fine-tuning] ftjob-jkl012 is exploding", mail.subject());
        assertContainsAll(mail.text(), "exploding", "unknown to this version");
        assertFalse(mail.text().contains("stimated"), "estimated finish only while running");
    }
}
