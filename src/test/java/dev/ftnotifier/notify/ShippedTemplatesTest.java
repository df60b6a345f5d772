package dev.ftnotifier.notify;

import com.slack.api.model.Message;
import com.slack.api.model.block.HeaderBlock;
import dev.ftnotifier.notify.TemplateValues.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ftnotifier.enrich.JobContext;

import static dev.ftnotifier.notify.Fixtures.CANCELLED;
import static dev.ftnotifier.notify.Fixtures.FAILED;
import static dev.ftnotifier.notify.Fixtures.RUNNING;
import static dev.ftnotifier.notify.Fixtures.SUCCEEDED;
import static dev.ftnotifier.notify.Fixtures.edited;
import static dev.ftnotifier.notify.Fixtures.notification;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every template shipped in the repository's templates/ renders, for every event, every kind of job. */
class ShippedTemplatesTest {

    private static final Templates SHIPPED = new Templates(Fixtures.SHIPPED);
    private static final Pattern TAG = Pattern.compile("\\{\\{\\{?\\s*[#^/&]?\\s*([^}!>\\s]+)\\s*}?}}");

    /** Jobs of every status, also the awkward ones, all sent through every event's templates. */
    private static List<Notification> jobs(String event) {
        return List.of(
                notification(event, FAILED),
                notification(event, SUCCEEDED),
                notification(event, CANCELLED),
                notification(event, RUNNING),
                edited(event, FAILED, job -> job.putNull("error")),
                edited(event, RUNNING, job -> job.put("status", "exploding")),
                Fixtures.enriched(notification(event, SUCCEEDED)),
                Fixtures.enriched(notification(event, FAILED)),
                notification(event, SUCCEEDED).withContext(new JobContext("", null, true, List.of())),
                Fixtures.of(event, null, null, Fixtures.job("{}"), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"failure", "completion", "cancellation", "progress", "stuck"})
    void slackTemplateRendersForEveryJob(String event) {
        Templates.Template template = SHIPPED.load("slack/" + event);
        assertEquals(SlackMessages.PARTS, Set.copyOf(template.parts()), "parts of " + template.file());
        SlackMessages slack = new SlackMessages(SHIPPED);
        for (Notification n : jobs(event)) {
            Message m = slack.build(n);
            assertEquals(3, m.getBlocks().size(), "header, section, context");
            assertFalse(assertInstanceOf(HeaderBlock.class, m.getBlocks().get(0)).getText().getText().isBlank());
            assertFalse(m.getText().isBlank());
            assertFalse(m.getText().contains("{{"), m.getText());
            assertFalse(m.getText().contains("\n\n\n"), m.getText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"failure", "completion", "cancellation", "progress", "stuck"})
    void emailTemplateRendersForEveryJob(String event) {
        Templates.Template template = SHIPPED.load("email/" + event);
        assertEquals(EmailMessages.PARTS, Set.copyOf(template.parts()), "parts of " + template.file());
        EmailMessages email = new EmailMessages(SHIPPED);
        for (Notification n : jobs(event)) {
            EmailContent mail = email.build(n);
            assertTrue(mail.subject().startsWith("[fine-tuning] "), mail.subject());
            assertFalse(mail.text().isBlank());
            assertTrue(mail.html().startsWith("<!DOCTYPE html>"), mail.html());
            assertTrue(mail.html().strip().endsWith("</html>"), mail.html());
            for (String part : List.of(mail.subject(), mail.text(), mail.html())) {
                assertFalse(part.contains("{{"), part);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"slack/failure", "slack/completion", "slack/cancellation", "slack/progress",
            "email/failure", "email/completion", "email/cancellation", "email/progress", "slack/stuck", "email/stuck"})
    void everyNameATemplateUsesIsAValue(String name) throws IOException {
        // a misspelt name would render as nothing; catch it here rather than in someone's inbox
        Set<String> known = new HashSet<>(Set.of("."));
        for (String json : List.of(FAILED, SUCCEEDED, CANCELLED, RUNNING)) {
            known.addAll(TemplateValues.of(notification("failure", json), Target.SLACK_MRKDWN).keySet());
            known.addAll(TemplateValues.of(notification("stuck", json), Target.SLACK_MRKDWN).keySet());
            Map<String, Object> enriched = TemplateValues.of(Fixtures.enriched(notification("failure", json)), Target.SLACK_MRKDWN);
            known.addAll(enriched.keySet());
            // the names inside a list's items (a checkpoint's model and step)
            enriched.values().stream().filter(List.class::isInstance).flatMap(l -> ((List<?>) l).stream())
                    .filter(Map.class::isInstance).forEach(item -> ((Map<?, ?>) item).keySet().forEach(k -> known.add(k.toString())));
        }
        String text = Files.readString(SHIPPED.file(name));
        Matcher tag = TAG.matcher(text);
        int tags = 0;
        while (tag.find()) {
            tags++;
            assertTrue(known.contains(tag.group(1)), Path.of("templates", name + ".mustache") + " uses '" + tag.group(1)
                    + "', which is not a value; values: " + known);
        }
        assertTrue(tags > 5, "tags found in " + name + ": " + tags);
    }
}
