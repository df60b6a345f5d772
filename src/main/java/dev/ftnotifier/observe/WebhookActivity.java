package dev.ftnotifier.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the webhook receiver answered, as {@code routes/webhooks.camel.yaml} tells it one request at
 * a time: counted in {@code notifier_webhook_events_total{outcome}} and remembered for the
 * {@code webhooks} health check. The counters exist only while the receiver is on.
 */
public class WebhookActivity {

    /** How a request to the receiver ended; the metric's {@code outcome} label. */
    public enum Outcome {
        /** verified, recorded, answered 200 and followed */
        ACCEPTED,
        /** verified, its webhook-id seen before: answered 200, nothing else */
        DUPLICATE,
        /** verified, recorded, not a fine-tuning job event: answered 200, nothing else */
        IGNORED,
        /** not a verified event (headers, signature, timestamp, body): answered 400 */
        REJECTED,
        /** verified but not recorded (the state folder cannot be written): answered 500, OpenAI sends it again */
        ERROR;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The last request that ended in {@link Outcome#ERROR}, and why. */
    public record Failure(Instant at, String reason) {
    }

    private final Clock clock;
    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
    private final AtomicReference<Instant> lastVerified = new AtomicReference<>();
    private final AtomicReference<Failure> lastFailure = new AtomicReference<>();

    /** {@code registry} null: the receiver is off and nothing is counted. */
    public WebhookActivity(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        if (registry != null) {
            for (Outcome outcome : Outcome.values()) {
                counters.put(outcome, Counter.builder("notifier.webhook.events")
                        .description("Requests to the webhook receiver, by how they were answered")
                        .tag("outcome", outcome.label()).register(registry));
            }
        }
    }

    /** One request answered {@code accepted}, {@code duplicate}, {@code ignored} or {@code rejected}. */
    public void count(String outcome) {
        Outcome o = Outcome.valueOf(outcome.trim().toUpperCase(Locale.ROOT));
        if (o == Outcome.ERROR) {
            throw new IllegalArgumentException("an error is counted with failed(reason)");
        }
        increment(o);
        if (o != Outcome.REJECTED) {
            lastVerified.set(clock.instant());
        }
    }

    /**
     * One request answered 500 because of {@code error}. Returns the reason remembered, for the log:
     * the message of its first cause outside Camel (Camel's wrapper repeats the route's expression).
     */
    public String failed(Throwable error) {
        increment(Outcome.ERROR);
        Throwable cause = error;
        while (cause != null && cause.getCause() != null && cause.getClass().getName().startsWith("org.apache.camel.")) {
            cause = cause.getCause();
        }
        String reason = cause == null ? "unknown" : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        lastFailure.set(new Failure(clock.instant(), reason));
        return reason;
    }

    private void increment(Outcome outcome) {
        Counter counter = counters.get(outcome);
        if (counter != null) {
            counter.increment();
        }
    }

    long count(Outcome outcome) {
        Counter counter = counters.get(outcome);
        return counter == null ? 0 : (long) counter.count();
    }

    /** When the last verified event was answered 200, or null. */
    Instant lastVerified() {
        return lastVerified.get();
    }

    /** The last failure if no verified event was answered after it, else null. */
    Failure failing() {
        Failure failure = lastFailure.get();
        Instant verified = lastVerified.get();
        return failure == null || verified != null && verified.isAfter(failure.at()) ? null : failure;
    }
}
