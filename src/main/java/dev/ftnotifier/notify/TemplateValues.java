package dev.ftnotifier.notify;

import dev.ftnotifier.enrich.Checkpoint;
import dev.ftnotifier.enrich.CompletionMetrics;
import dev.ftnotifier.enrich.JobContext;
import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.model.JobError;
import dev.ftnotifier.model.JobStatus;
import dev.ftnotifier.model.WandbIntegration;
import dev.ftnotifier.notify.text.MailText;
import dev.ftnotifier.notify.text.PlainText;
import dev.ftnotifier.notify.text.SlackText;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The values a template sees, built from a {@link Notification} and ALREADY ESCAPED for one
 * target: a template only places them, so it cannot forget to escape (see templates/README.md
 * for the list of names). A fact the API did not give reads {@code unknown}; optional facts
 * (error param, estimated finish, W&amp;B) are absent, with a {@code has_...} flag.
 */
public final class TemplateValues {

    /** Where the values go; each has its own escaping and its own length limit per value. */
    public enum Target {
        /** Slack mrkdwn and a message's top-level text: {@link SlackText#escape}. */
        SLACK_MRKDWN(SlackText::escape, 1500),
        /** Slack plain_text (the header): one line, mentions broken, no entities. */
        SLACK_PLAIN(SlackText::plain, 150),
        /** An email subject: {@link MailText#headerSafe}. */
        EMAIL_SUBJECT(MailText::headerSafe, MailText.HEADER_MAX),
        /** A plain-text email body: control characters other than LF and TAB dropped. */
        EMAIL_TEXT(PlainText::clean, 20_000),
        /** An HTML email body: {@link MailText#html}. */
        EMAIL_HTML(MailText::html, 20_000);

        private final UnaryOperator<String> escape;
        private final int maxValueLength;

        Target(UnaryOperator<String> escape, int maxValueLength) {
            this.escape = escape;
            this.maxValueLength = maxValueLength;
        }

        /** The value escaped for this target and cut (safely) to this target's limit. */
        public String escape(String raw) {
            return PlainText.truncate(escape.apply(raw), maxValueLength);
        }
    }

    public static final String FAILURE = Notification.FAILURE;
    public static final String COMPLETION = Notification.COMPLETION;
    public static final String CANCELLATION = Notification.CANCELLATION;
    public static final String PROGRESS = Notification.PROGRESS;
    public static final String STUCK = Notification.STUCK;

    private static final Set<String> EVENTS = Set.of(FAILURE, COMPLETION, CANCELLATION, PROGRESS, STUCK);
    private static final String UNKNOWN = "unknown";
    private static final FineTuningJob NO_JOB = new FineTuningJob(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null);

    private TemplateValues() {
    }

    /**
     * Which template to use: the event the status router named (failure, completion, cancellation,
     * progress) or {@code stuck}; an event without a template of its own (missing, or a name an
     * edited router made up) uses the progress template.
     */
    public static String kind(Notification n) {
        return n != null && n.event() != null && EVENTS.contains(n.event()) ? n.event() : PROGRESS;
    }

    /** The values for one target. */
    public static Map<String, Object> of(Notification n, Target target) {
        FineTuningJob job = n == null ? NO_JOB : job(n);
        JobStatus status = job.jobStatus();
        String kind = kind(n);
        Instant changedAt = n == null ? null : n.changedAt();
        Values v = new Values(target);

        v.put("event", kind);
        v.flag("is_failure", FAILURE.equals(kind));
        v.flag("is_completion", COMPLETION.equals(kind));
        v.flag("is_cancellation", CANCELLATION.equals(kind));
        v.flag("is_progress", PROGRESS.equals(kind));
        v.flag("is_stuck", STUCK.equals(kind));

        v.put("job_id", orUnknown(job.id()));
        v.put("status", status.value().isEmpty() ? UNKNOWN : status.value());
        boolean known = n != null && n.known();
        v.flag("is_known_status", known);
        v.flag("is_unknown_status", !known);
        v.put("model", orUnknown(job.model()));
        v.put("changed_at", time(changedAt));
        v.put("notified_at", time(n == null ? null : n.notifiedAt()));
        Notification facts = new Notification(kind, n != null && n.terminal(), known, changedAt,
                n == null ? null : n.notifiedAt(), job, null);
        v.put("summary", Summaries.oneLine(facts));

        // stuck: for how long, and since when
        if (STUCK.equals(kind) && changedAt != null) {
            v.put("stuck_for", Summaries.stuckFor(facts));
            v.put("stuck_since", time(changedAt));
            v.put("stuck_reason", Summaries.stuck(facts));
        }

        // failure: the error, or the plain statement that there was none
        boolean failed = FAILURE.equals(kind);
        JobError error = failed ? job.errorDetails() : null;
        v.flag("has_error", error != null);
        v.flag("no_error_details", failed && error == null);
        if (error != null) {
            v.put("error_code", orUnknown(error.code()));
            v.put("error_message", orUnknown(error.message()));
            if (error.param() != null) {
                v.put("error_param", error.param());
            }
        }
        v.flag("has_error_param", error != null && error.param() != null);

        // completion
        v.put("fine_tuned_model", orUnknown(job.fineTunedModel()));
        v.flag("has_fine_tuned_model", job.fineTunedModel() != null);
        List<String> files = new ArrayList<>();
        for (String file : job.resultFiles()) {
            files.add(target.escape(file));
        }
        v.values.put("result_files", List.copyOf(files));
        v.flag("has_result_files", !files.isEmpty());
        v.put("result_files_joined", job.resultFiles().isEmpty() ? "none" : String.join(", ", job.resultFiles()));
        v.put("trained_tokens", job.trainedTokens() == null ? UNKNOWN : job.trainedTokens().toString());
        Long seconds = job.durationSeconds();
        v.put("run_time", seconds == null ? UNKNOWN : Summaries.humanDuration(seconds));
        v.flag("has_run_time", seconds != null);

        // cancellation: when it happened is the time of the change
        if (CANCELLATION.equals(kind)) {
            v.put("cancelled_at", time(changedAt));
        }

        // progress: the estimate, only while running and only when set
        Instant estimate = job.estimatedFinishWhile(status.value());
        v.flag("has_estimated_finish", estimate != null);
        if (estimate != null) {
            v.put("estimated_finish", time(estimate));
        }

        WandbIntegration wandb = job.wandb();
        boolean hasWandb = wandb != null && wandb.project() != null;
        v.flag("has_wandb", hasWandb);
        v.flag("has_wandb_run", hasWandb && wandb.name() != null);
        if (hasWandb) {
            v.put("wandb_project", wandb.project());
            if (wandb.name() != null) {
                v.put("wandb_run", wandb.name());
            }
            if (wandb.entity() != null) {
                v.put("wandb_entity", wandb.entity());
            }
        }
        context(v, n == null ? JobContext.NONE : n.context());
        return v.values;
    }

    /** The link, the metrics and the failure events (routes/enrich.camel.yaml adds them). */
    private static void context(Values v, JobContext context) {
        String link = context.dashboardUrl();
        v.flag("has_dashboard_url", !link.isEmpty());
        if (!link.isEmpty()) {
            v.put("dashboard_url", link);
        }
        CompletionMetrics m = context.metrics();
        v.flag("has_metrics", m != null);
        v.flag("metrics_unavailable", m == null && context.metricsUnavailable());
        if (m != null) {
            v.put("steps", m.steps() == null ? UNKNOWN : m.steps().toString());
            v.number("train_loss", m.trainLoss());
            v.number("train_accuracy", m.trainAccuracy());
            v.number("valid_loss", m.validLoss());
            v.number("valid_mean_token_accuracy", m.validMeanTokenAccuracy());
        }
        List<Map<String, Object>> checkpoints = new ArrayList<>();
        List<String> joined = new ArrayList<>();
        if (m != null) {
            for (Checkpoint c : m.checkpoints()) {
                String step = c.step() == null ? UNKNOWN : c.step().toString();
                checkpoints.add(Map.of("model", v.target.escape(c.model()), "step", step));
                joined.add(c.model() + " (step " + step + ")");
            }
        }
        v.values.put("checkpoints", List.copyOf(checkpoints));
        v.flag("has_checkpoints", !checkpoints.isEmpty());
        v.put("checkpoints_joined", joined.isEmpty() ? "none" : String.join(", ", joined));
        List<String> events = new ArrayList<>();
        for (String message : context.failureEvents()) {
            events.add(v.target.escape(PlainText.oneLine(message)));
        }
        v.values.put("failure_events", List.copyOf(events));
        v.flag("has_failure_events", !events.isEmpty());
    }

    /** A metric with 4 significant digits: 0.8123456 reads 0.8123, 1.31 reads 1.310, 12345.6 reads 12350. */
    public static String number(double value) {
        BigDecimal d = new BigDecimal(Double.toString(value)).round(new MathContext(4, RoundingMode.HALF_EVEN));
        if (d.signum() != 0 && d.precision() < 4) {
            d = d.setScale(d.scale() + 4 - d.precision());
        }
        return d.toPlainString();
    }

    private static FineTuningJob job(Notification n) {
        return n.job() == null ? NO_JOB : n.job();
    }

    private static String orUnknown(Object value) {
        return value == null ? UNKNOWN : value.toString();
    }

    /** ISO-8601 in UTC, to the second: {@code 2024-05-01T12:00:00Z}. */
    private static String time(Instant instant) {
        return instant == null ? UNKNOWN : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static final class Values {
        private final Target target;
        private final Map<String, Object> values = new LinkedHashMap<>();

        Values(Target target) {
            this.target = target;
        }

        void put(String name, String raw) {
            values.put(name, target.escape(raw));
        }

        void flag(String name, boolean value) {
            values.put(name, value);
        }

        /** A metric and its has_ flag; absent when the result file has no such value. */
        void number(String name, Double value) {
            flag("has_" + name, value != null);
            if (value != null) {
                put(name, TemplateValues.number(value));
            }
        }
    }
}
