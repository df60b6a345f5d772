package dev.ftnotifier.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.model.FineTuningJob;

import java.time.Clock;
import java.time.Instant;

/** Builds the {@link Notification} for a job the status router has classified (routes/route-by-status.camel.yaml). */
public class NotificationFactory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;

    public NotificationFactory(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param event    the router's event: failure, completion, cancellation or progress
     * @param terminal the router's decision that the job has ended: its time of change is then {@code finished_at}
     * @param known    the router's decision that this version knows the status
     */
    public Notification create(FineTuningJob job, String rawJson, String event, boolean terminal, boolean known)
            throws JsonProcessingException {
        Instant now = clock.instant();
        Instant changedAt = terminal && job.finishedAt() != null
                ? Instant.ofEpochSecond(job.finishedAt())
                : now;
        // a byte-order mark is not JSON to readTree, though the typed unmarshalling skipped it
        String text = rawJson != null && rawJson.startsWith("\uFEFF") ? rawJson.substring(1) : rawJson;
        JsonNode raw = text == null ? JSON.valueToTree(job) : JSON.readTree(text);
        return new Notification(event, terminal, known, changedAt, now, job, raw);
    }
}
