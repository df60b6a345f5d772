package dev.ftnotifier.notify;

import dev.ftnotifier.notify.TemplateValues.Target;
import dev.ftnotifier.notify.text.MailText;

import java.util.Set;

/**
 * Builds the email for a notification from {@code email/<event>.mustache}, whose parts are
 * {@code subject} (values from {@link Target#EMAIL_SUBJECT}; the result is made one line again,
 * so not even the template can add a header), {@code text} ({@link Target#EMAIL_TEXT}) and,
 * optionally, {@code html} ({@link Target#EMAIL_HTML}).
 */
public class EmailMessages {

    static final Set<String> PARTS = Set.of("subject", "text", "html");

    private final Templates templates;

    public EmailMessages(Templates templates) {
        this.templates = templates;
    }

    /** The digest's email (the email-send route calls build with whatever it delivers). */
    public EmailContent build(Digest d) {
        return new DigestMessages().email(d);
    }

    /** A self-alert's email, from email/self-alert.mustache or email/self-recovered.mustache. */
    public EmailContent build(SelfAlert alert) {
        return new SelfAlertMessages(templates).email(alert);
    }

    public EmailContent build(Notification n) {
        Templates.Template template = templates.load("email/" + TemplateValues.kind(n));
        for (String part : template.parts()) {
            if (!PARTS.contains(part)) {
                throw new TemplateException("template " + template.file() + " has an unknown part '" + part
                        + "'; an email template has the parts " + PARTS);
            }
        }
        String subject = MailText.headerSafe(template.render("subject", TemplateValues.of(n, Target.EMAIL_SUBJECT)));
        if (subject.isEmpty()) {
            var values = TemplateValues.of(n, Target.EMAIL_SUBJECT);
            subject = MailText.headerSafe("[fine-tuning] " + values.get("job_id") + " " + values.get("status"));
        }
        String text = RenderedText.tidy(template.render("text", TemplateValues.of(n, Target.EMAIL_TEXT))) + "\n";
        // the route always sends HTML with the text as its alternative: a template without an
        // html part gets its text, escaped, as the HTML
        String html = template.has("html")
                ? RenderedText.tidy(template.render("html", TemplateValues.of(n, Target.EMAIL_HTML))) + "\n"
                : "<pre>" + MailText.html(text) + "</pre>\n";
        return new EmailContent(subject, text, html);
    }
}
