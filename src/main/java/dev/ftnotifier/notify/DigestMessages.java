package dev.ftnotifier.notify;

import com.slack.api.model.Message;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import dev.ftnotifier.notify.text.MailText;
import dev.ftnotifier.notify.text.PlainText;
import dev.ftnotifier.notify.text.SlackText;
import dev.ftnotifier.state.Outcomes.Outcome;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A {@link Digest} as a Slack message and as an email. The wording is fixed here; every value
 * from the API (job ids, models, error codes, statuses) is escaped for where it goes.
 */
public class DigestMessages {

    /** Lines per section: a digest of thousands of jobs still fits a message. */
    static final int LISTED = 40;
    /** The digest's groups of finished jobs, by the router's event; "" takes a terminal job under any other event. */
    private static final Map<String, String> GROUPS = groups();

    public Message slack(Digest d) {
        String text = PlainText.truncate(text(d, SlackText::escape), SlackMessages.TEXT_MAX);
        Message message = new Message();
        message.setText(text);
        message.setBlocks(List.of(SectionBlock.builder()
                .text(MarkdownTextObject.builder().text(PlainText.truncate(text, SlackMessages.SECTION_MAX)).verbatim(true).build())
                .build()));
        return message;
    }

    public EmailContent email(Digest d) {
        String subject = MailText.headerSafe("[fine-tuning] digest to " + time(d.periodEnd()) + ": " + d.finished().size()
                + " finished, " + d.stuck().size() + " stuck, " + d.pending().size() + " pending");
        String text = text(d, PlainText::clean) + "\n";
        return new EmailContent(subject, text, "<pre>" + MailText.html(text) + "</pre>\n");
    }

    /** The digest as lines; {@code escape} is applied to each value from the API. */
    static String text(Digest d, UnaryOperator<String> escape) {
        StringBuilder out = new StringBuilder("Fine-tuning digest ").append(time(d.periodStart())).append(" to ")
                .append(time(d.periodEnd())).append(": ").append(d.finished().size()).append(" finished, ")
                .append(d.inProgress().size()).append(" in progress, ").append(d.stuck().size()).append(" stuck, ")
                .append(d.pending().size()).append(" pending; notifier ").append(d.healthy() ? "healthy" : "had problems").append(".\n");
        // grouped by the status router's event (routes/route-by-status.camel.yaml), whatever the status was
        for (Map.Entry<String, String> group : GROUPS.entrySet()) {
            String event = group.getKey();
            List<Outcome> these = d.finished().stream()
                    .filter(o -> event.isEmpty() ? !GROUPS.containsKey(o.event()) : event.equals(o.event())).toList();
            if (these.isEmpty()) {
                continue;
            }
            out.append("\n").append(group.getValue()).append(" (").append(these.size()).append("):\n");
            these.stream().limit(LISTED).forEach(o -> {
                out.append("- ").append(escape.apply(o.jobId())).append(" (").append(escape.apply(orUnknown(o.model()))).append(")");
                switch (event) {
                    case Notification.COMPLETION -> out.append(": ").append(escape.apply(orUnknown(o.fact())));
                    case Notification.FAILURE -> out.append(": ").append(o.fact() == null ? "no error details were given" : escape.apply(o.fact()));
                    case "" -> out.append(": ").append(escape.apply(o.status()));
                    default -> { }
                }
                out.append("\n");
            });
            more(out, these.size());
        }
        Instant now = d.periodEnd();
        if (!d.inProgress().isEmpty()) {
            out.append("\nIn progress (").append(d.inProgress().size()).append("):\n");
            d.inProgress().stream().limit(LISTED).forEach(j -> {
                out.append("- ").append(escape.apply(j.jobId())).append(": ").append(escape.apply(j.status()))
                        .append(" for ").append(since(j.since(), now));
                if (j.createdAt() != null) {
                    out.append(", created ").append(since(j.createdAt(), now)).append(" ago");
                }
                if (j.estimatedFinish() != null) {
                    out.append(", ETA ").append(time(j.estimatedFinish()));
                }
                out.append("\n");
            });
            more(out, d.inProgress().size());
        }
        if (!d.stuck().isEmpty()) {
            out.append("\nStuck (").append(d.stuck().size()).append("):\n");
            d.stuck().stream().limit(LISTED).forEach(n -> out.append("- ").append(escape.apply(n.jobId())).append(": ")
                    .append(escape.apply(n.status())).append(" for ").append(Summaries.stuckFor(n)).append("\n"));
            more(out, d.stuck().size());
        }
        if (!d.pending().isEmpty()) {
            out.append("\nPending deliveries (").append(d.pending().size()).append("):\n");
            d.pending().stream().limit(LISTED).forEach(p -> out.append("- ").append(escape.apply(p.delivery()))
                    .append(", ").append(p.attempts()).append(" failed attempt(s), next ").append(time(p.nextAttempt())).append("\n"));
            more(out, d.pending().size());
        }
        out.append("\nNotifier: ");
        if (d.problems().isEmpty()) {
            out.append(d.pending().isEmpty() ? "healthy: the API answered, every delivery made.\n"
                    : "the API answered; some deliveries are pending (above).\n");
        } else {
            out.append("API trouble in this period:\n");
            d.problems().forEach(p -> out.append("- ").append(p.what()).append(" (").append(p.count())
                    .append(" time(s) since start, last ").append(time(p.last())).append(")\n"));
        }
        return out.toString().stripTrailing();
    }

    private static void more(StringBuilder out, int size) {
        if (size > LISTED) {
            out.append("- and ").append(size - LISTED).append(" more\n");
        }
    }

    private static String since(Instant from, Instant now) {
        return Summaries.humanDuration(Duration.between(from, now).toSeconds());
    }

    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static Map<String, String> groups() {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put(Notification.COMPLETION, "Succeeded");
        groups.put(Notification.FAILURE, "Failed");
        groups.put(Notification.CANCELLATION, "Cancelled");
        groups.put("", "Ended otherwise");
        return groups;
    }

    private static String orUnknown(String s) {
        return s == null ? "unknown" : s;
    }
}
