package dev.ftnotifier.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftnotifier.enrich.JobContext;
import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.model.JobError;
import dev.ftnotifier.model.JobStatus;

import java.time.Instant;

/**
 * One thing to tell people: a job reached a status. Every channel formats the same facts.
 *
 * @param event     which branch of the status router produced it: failure, completion, cancellation or progress;
 *                  or {@code stuck}, from the stuck check (routes/schedules.camel.yaml)
 * @param changedAt when the job reached the status: {@code finished_at} for terminal ones when the API gives it,
 *                  otherwise when the notifier first saw it (for {@code stuck}: since when it has been in it)
 * @param job       the typed job
 * @param rawJob    the job exactly as the API returned it, for the file channel's {@code job} field
 * @param context   what the notification says beyond the job: the dashboard link, a succeeded job's metrics,
 *                  a failed job's last errors (routes/enrich.camel.yaml); {@link JobContext#NONE} when not added
 */
public record Notification(String event, Instant changedAt, Instant notifiedAt, FineTuningJob job, JsonNode rawJob,
                           JobContext context) implements Deliverable {

    public Notification {
        context = context == null ? JobContext.NONE : context;
    }

    public Notification(String event, Instant changedAt, Instant notifiedAt, FineTuningJob job, JsonNode rawJob) {
        this(event, changedAt, notifiedAt, job, rawJob, JobContext.NONE);
    }

    /** The same notification saying more. */
    public Notification withContext(JobContext newContext) {
        return new Notification(event, changedAt, notifiedAt, job, rawJob, newContext);
    }

    public static final String STUCK = "stuck";

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

    public boolean terminal() {
        return job.jobStatus().isTerminal();
    }

    /** The error when the job failed with details; null otherwise (also for a failure without details). */
    public JobError error() {
        return JobStatus.FAILED.equals(status()) ? job.errorDetails() : null;
    }
}
