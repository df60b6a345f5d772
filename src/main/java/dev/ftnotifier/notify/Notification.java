package dev.ftnotifier.notify;

import dev.ftnotifier.enrich.JobContext;
import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.model.JobError;

import java.time.Instant;

/**
 * One thing to tell people: a job reached a status. Every channel formats the same facts.
 *
 * @param event     which branch of the status router produced it: failure, completion, cancellation or progress;
 *                  or {@code stuck}, from the stuck check (routes/schedules.camel.yaml)
 * @param terminal  the router's decision that the job has ended (route status-meaning in
 *                  routes/route-by-status.camel.yaml): once every channel has delivered it, it is not fetched again
 * @param known     the router's decision that this version knows the status (false: a warning, and
 *                  {@code is_unknown_status} in the templates)
 * @param changedAt when the job reached the status: {@code finished_at} for terminal ones when the API gives it,
 *                  otherwise when the notifier first saw it (for {@code stuck}: since when it has been in it)
 * @param job       the typed job
 * @param rawJob    the job's JSON exactly as the API returned it, for the file channel's {@code job} field
 *                  (parsed only there, so a job that is not notified is parsed once); null when not at
 *                  hand, and the typed job stands in
 * @param context   what the notification says beyond the job: the dashboard link, a succeeded job's metrics,
 *                  a failed job's last errors (routes/enrich.camel.yaml); {@link JobContext#NONE} when not added
 */
public record Notification(String event, boolean terminal, boolean known, Instant changedAt, Instant notifiedAt,
                           FineTuningJob job, String rawJob, JobContext context) implements Deliverable {

    /** The events the status router names (the templates' names), and the stuck check's. */
    public static final String FAILURE = "failure";
    public static final String COMPLETION = "completion";
    public static final String CANCELLATION = "cancellation";
    public static final String PROGRESS = "progress";
    public static final String STUCK = "stuck";

    public Notification {
        context = context == null ? JobContext.NONE : context;
    }

    public Notification(String event, boolean terminal, boolean known, Instant changedAt, Instant notifiedAt,
                        FineTuningJob job, String rawJob) {
        this(event, terminal, known, changedAt, notifiedAt, job, rawJob, JobContext.NONE);
    }

    /** The same notification saying more. */
    public Notification withContext(JobContext newContext) {
        return new Notification(event, terminal, known, changedAt, notifiedAt, job, rawJob, newContext);
    }

    public String jobId() {
        return job.id();
    }

    /** The status, normalised so it is safe in a file name, a log line and a delivery key. */
    public String status() {
        return job.jobStatus().value();
    }

    /**
     * What a channel's statuses list is matched against: the status, or {@code stuck} for a stuck
     * notification (a channel lists {@code stuck} to get those).
     */
    public String topic() {
        return isStuck() ? STUCK : status();
    }

    /**
     * The middle of the delivery key {@code job|<this>|channel} and of the file name: the status; for a
     * stuck notification {@code stuck-<status>-<since, epoch seconds>}, one per (job, status) episode.
     */
    public String deliveryName() {
        return isStuck() ? STUCK + "-" + status() + "-" + changedAt.getEpochSecond() : status();
    }

    public boolean isStuck() {
        return STUCK.equals(event);
    }

    /** The facts in one plain line (see {@link Summaries}). */
    public String summary() {
        return Summaries.oneLine(this);
    }

    /** True for the router's failure event. */
    public boolean isFailure() {
        return FAILURE.equals(event);
    }

    /** The error when the router called it a failure and the job has details; null otherwise (also for a failure without details). */
    public JobError error() {
        return isFailure() ? job.errorDetails() : null;
    }
}
