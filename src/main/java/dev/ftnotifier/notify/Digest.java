package dev.ftnotifier.notify;

import dev.ftnotifier.openai.ApiProblems.Problem;
import dev.ftnotifier.state.DeliveryStore.Pending;
import dev.ftnotifier.state.Outcomes.Outcome;

import java.time.Instant;
import java.util.List;

/**
 * One period's summary ({@code notifier.digest.cron}): the jobs that finished in it, those in
 * progress, the stuck ones, the deliveries still pending and the API trouble seen, as plain
 * values; {@link DigestMessages} escapes them for each channel. Delivered once per period and
 * channel: its delivery key is {@code ~digest|<period end, epoch seconds>|<channel>} ({@code ~}
 * is in no job id).
 */
public record Digest(Instant periodStart, Instant periodEnd, List<Outcome> finished, List<InProgress> inProgress,
                     List<Notification> stuck, List<Pending> pending, List<Problem> problems) implements Deliverable {

    public static final String JOB = "~digest";

    /** An unfinished job: its status, since when, how old the job is, and its estimated finish (null when none). */
    public record InProgress(String jobId, String status, Instant since, Instant createdAt, Instant estimatedFinish) {
    }

    @Override
    public String jobId() {
        return JOB;
    }

    @Override
    public String deliveryName() {
        return String.valueOf(periodEnd.getEpochSecond());
    }

    @Override
    public boolean terminal() {
        return false;
    }

    /** Nothing finished, stuck or pending: with notifier.digest.skip-empty such a period sends nothing. */
    public boolean isEmpty() {
        return finished.isEmpty() && stuck.isEmpty() && pending.isEmpty();
    }

    public boolean healthy() {
        return problems.isEmpty() && pending.isEmpty();
    }

    @Override
    public String summary() {
        return "Fine-tuning digest " + periodStart + " to " + periodEnd + ": " + finished.size() + " finished, "
                + inProgress.size() + " in progress, " + stuck.size() + " stuck, " + pending.size() + " pending; notifier "
                + (healthy() ? "healthy" : "had problems");
    }
}
