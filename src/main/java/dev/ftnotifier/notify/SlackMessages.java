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
import dev.ftnotifier.notify.text.PlainText;
import dev.ftnotifier.notify.text.SlackText;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the Slack message for a notification from {@code slack/<event>.mustache}: a Block Kit
 * header, a mrkdwn section with the facts and a context line, plus the top-level {@code text}
 * that notifications and old clients show, which alone carries every fact.
 *
 * <p>Parts of the template: {@code header} (plain_text, values from {@link Target#SLACK_PLAIN}),
 * {@code body}, {@code context} and {@code fallback} (mrkdwn, values from {@link Target#SLACK_MRKDWN}).
 * {@code fallback} is required; a missing or blank header, body or context leaves its block out.
 */
public class SlackMessages {

    /** Slack's limits: header plain_text 150, section text 3000, context element 3000; top-level text is best kept under 4000. */
    public static final int HEADER_MAX = 150;
    public static final int SECTION_MAX = 3000;
    public static final int CONTEXT_MAX = 3000;
    public static final int TEXT_MAX = 4000;

    static final Set<String> PARTS = Set.of("header", "body", "context", "fallback");

    private final Templates templates;
    private final DigestMessages digests = new DigestMessages();

    public SlackMessages(Templates templates) {
        this.templates = templates;
    }

    /** The digest's message (the slack-send route calls build with whatever it delivers). */
    public Message build(Digest d) {
        return digests.slack(d);
    }

    /** A self-alert's message, from slack/self-alert.mustache or slack/self-recovered.mustache. */
    public Message build(SelfAlert alert) {
        return new SelfAlertMessages(templates).slack(alert);
    }

    public Message build(Notification n) {
        Templates.Template template = templates.load("slack/" + TemplateValues.kind(n));
        for (String part : template.parts()) {
            if (!PARTS.contains(part)) {
                throw new TemplateException("template " + template.file() + " has an unknown part '" + part
                        + "'; a Slack template has the parts " + PARTS);
            }
        }
        Map<String, Object> mrkdwn = TemplateValues.of(n, Target.SLACK_MRKDWN);
        Map<String, Object> plain = TemplateValues.of(n, Target.SLACK_PLAIN);

        List<LayoutBlock> blocks = new ArrayList<>();
        if (template.has("header")) {
            String header = PlainText.truncate(PlainText.oneLine(template.render("header", plain)), HEADER_MAX);
            if (!header.isEmpty()) {
                blocks.add(HeaderBlock.builder()
                        .text(PlainTextObject.builder().text(header).emoji(true).build())
                        .build());
            }
        }
        if (template.has("body")) {
            String body = PlainText.truncate(RenderedText.tidy(template.render("body", mrkdwn)), SECTION_MAX);
            if (!body.isEmpty()) {
                blocks.add(SectionBlock.builder().text(markdown(body)).build());
            }
        }
        if (template.has("context")) {
            String context = PlainText.truncate(RenderedText.tidy(template.render("context", mrkdwn)), CONTEXT_MAX);
            if (!context.isEmpty()) {
                blocks.add(ContextBlock.builder().elements(List.<ContextBlockElement>of(markdown(context))).build());
            }
        }
        String text = RenderedText.tidy(template.render("fallback", mrkdwn));
        if (text.isEmpty()) {
            // a blanked fallback must not make the notification silent
            text = SlackText.escape(TemplateValues.of(n, Target.EMAIL_TEXT).get("summary").toString());
        }
        Message message = new Message();
        message.setText(PlainText.truncate(text, TEXT_MAX));
        message.setBlocks(blocks);
        return message;
    }

    /** verbatim: Slack does not auto-link URLs or channel names in the already-escaped text. */
    private static MarkdownTextObject markdown(String text) {
        return MarkdownTextObject.builder().text(text).verbatim(true).build();
    }
}
