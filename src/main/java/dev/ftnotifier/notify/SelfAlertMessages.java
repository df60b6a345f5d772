package dev.ftnotifier.notify;

import com.slack.api.model.Message;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import dev.ftnotifier.notify.TemplateValues.Target;
import dev.ftnotifier.notify.text.MailText;
import dev.ftnotifier.notify.text.PlainText;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link SelfAlert} as a Slack message and an email, worded by {@code slack|email/self-alert.mustache}
 * and {@code slack|email/self-recovered.mustache} (same parts as the job templates). Values are
 * escaped for each part before the template sees them: {@code what} (what is wrong, in words),
 * {@code since}, {@code at}, {@code lasted} ({@code 1h 02m 03s}), {@code condition} ({@code api} or
 * {@code channel-<name>}), {@code channel} and {@code has_channel} (the broken channel instance).
 */
public class SelfAlertMessages {

    private final Templates templates;

    public SelfAlertMessages(Templates templates) {
        this.templates = templates;
    }

    static Map<String, Object> values(SelfAlert alert, Target target) {
        Map<String, Object> v = new HashMap<>();
        v.put("what", target.escape(alert.words()));
        v.put("since", alert.since().truncatedTo(ChronoUnit.SECONDS).toString());
        v.put("at", alert.at().truncatedTo(ChronoUnit.SECONDS).toString());
        v.put("lasted", Summaries.humanDuration(Math.max(0, Duration.between(alert.since(), alert.at()).toSeconds())));
        v.put("condition", target.escape(alert.condition()));
        v.put("has_channel", alert.broken() != null);
        v.put("channel", alert.broken() == null ? "" : target.escape(alert.broken()));
        v.put("summary", target.escape(alert.summary()));
        return v;
    }

    public Message slack(SelfAlert alert) {
        Templates.Template template = templates.load("slack/" + alert.event());
        Map<String, Object> mrkdwn = values(alert, Target.SLACK_MRKDWN);
        List<LayoutBlock> blocks = new ArrayList<>();
        if (template.has("header")) {
            String header = PlainText.truncate(PlainText.oneLine(template.render("header", values(alert, Target.SLACK_PLAIN))),
                    SlackMessages.HEADER_MAX);
            if (!header.isEmpty()) {
                blocks.add(HeaderBlock.builder().text(PlainTextObject.builder().text(header).emoji(true).build()).build());
            }
        }
        if (template.has("body")) {
            String body = PlainText.truncate(RenderedText.tidy(template.render("body", mrkdwn)), SlackMessages.SECTION_MAX);
            if (!body.isEmpty()) {
                blocks.add(SectionBlock.builder().text(markdown(body)).build());
            }
        }
        if (template.has("context")) {
            String context = PlainText.truncate(RenderedText.tidy(template.render("context", mrkdwn)), SlackMessages.CONTEXT_MAX);
            if (!context.isEmpty()) {
                blocks.add(ContextBlock.builder().elements(List.<ContextBlockElement>of(markdown(context))).build());
            }
        }
        String text = template.has("fallback") ? RenderedText.tidy(template.render("fallback", mrkdwn)) : "";
        if (text.isEmpty()) {
            text = mrkdwn.get("summary").toString();
        }
        Message message = new Message();
        message.setText(PlainText.truncate(text, SlackMessages.TEXT_MAX));
        message.setBlocks(blocks);
        return message;
    }

    public EmailContent email(SelfAlert alert) {
        Templates.Template template = templates.load("email/" + alert.event());
        String subject = MailText.headerSafe(template.has("subject")
                ? template.render("subject", values(alert, Target.EMAIL_SUBJECT)) : "");
        if (subject.isEmpty()) {
            subject = MailText.headerSafe("[fine-tuning] " + alert.summary());
        }
        String text = RenderedText.tidy(template.render("text", values(alert, Target.EMAIL_TEXT))) + "\n";
        String html = template.has("html") ? RenderedText.tidy(template.render("html", values(alert, Target.EMAIL_HTML))) + "\n"
                : "<pre>" + MailText.html(text) + "</pre>\n";
        return new EmailContent(subject, text, html);
    }

    private static MarkdownTextObject markdown(String text) {
        return MarkdownTextObject.builder().text(text).verbatim(true).build();
    }
}
