package dev.ftnotifier.notify;

import dev.ftnotifier.model.FineTuningJob;

import java.time.Clock;
import java.time.Instant;

/** Builds the {@link Notification} for a job the status router has classified (routes/route-by-status.camel.yaml). */
public class NotificationFactory {

    private final Clock clock;

    public NotificationFactory(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param event    the router's event: failure, completion, cancellation or progress
     * @param terminal the router's decision that the job has ended: its time of change is then {@code finished_at}
     * @param known    the router's decision that this version knows the status
     */
    public Notification create(FineTuningJob job, String rawJson, String event, boolean terminal, boolean known) {
        Instant now = clock.instant();
        Instant changedAt = terminal && job.finishedAt() != null
                ? Instant.ofEpochSecond(job.finishedAt())
                : now;
        return new Notification(event, terminal, known, changedAt, now, job, rawJson);
    }
}
