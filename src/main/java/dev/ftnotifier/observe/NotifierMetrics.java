package dev.ftnotifier.observe;

import dev.ftnotifier.notify.SelfAlert;

import dev.ftnotifier.model.JobStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The notifier's own Prometheus metrics (names fixed by the README, "Running in production"),
 * in the same Micrometer registry as Camel's route metrics. Counters are made once and then only
 * incremented (a map look-up at most), so counting costs next to nothing per request.
 * Label values are bounded: statuses outside the known ones become {@code other}, channels
 * outside the configured instances too.
 */
public class NotifierMetrics {

    /** The statuses a label may carry besides {@code other}: the API's known ones and the notifier's own events. */
    static final Set<String> STATUSES = Set.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED, "validating_files",
            "queued", "running", "pausing", "paused", "stuck", "digest", "self-alert", "self-recovered");

    private final MeterRegistry registry;
    private final Set<String> channels;
    private final Counter polls;
    private final Map<ApiOutcome, Counter> apiRequests = new EnumMap<>(ApiOutcome.class);
    private final Timer apiDuration;
    private final Map<String, Counter> notifications = new ConcurrentHashMap<>();

    public NotifierMetrics(MeterRegistry registry, Set<String> channels) {
        this.registry = registry;
        this.channels = Set.copyOf(channels);
        polls = Counter.builder("notifier.polls").description("Polls started").register(registry);
        for (ApiOutcome outcome : ApiOutcome.values()) {
            apiRequests.put(outcome, Counter.builder("notifier.api.requests")
                    .description("Requests to the OpenAI API, by outcome").tag("outcome", outcome.label()).register(registry));
        }
        apiDuration = Timer.builder("notifier.api.request.duration").description("How long each request to the OpenAI API took")
                .serviceLevelObjectives(millis(50), millis(100), millis(250), millis(500), millis(1000), millis(2500),
                        millis(5000), millis(10_000), millis(30_000))
                .register(registry);
    }

    private static Duration millis(long ms) {
        return Duration.ofMillis(ms);
    }

    public MeterRegistry registry() {
        return registry;
    }

    void pollStarted() {
        polls.increment();
    }

    void apiRequest(ApiOutcome outcome) {
        apiRequests.get(outcome).increment();
    }

    void apiDuration(long millis) {
        apiDuration.record(Duration.ofMillis(millis));
    }

    /** An attempt to deliver that succeeded ({@code delivered}) or failed; {@code key} is job|status|channel. */
    void notification(String key, String outcome) {
        int last = key.lastIndexOf('|');
        int first = key.indexOf('|');
        if (first < 0 || last <= first) {
            return;
        }
        String channel = channels.contains(key.substring(last + 1)) ? key.substring(last + 1) : "other";
        String status = status(key.substring(0, first), key.substring(first + 1, last));
        notifications.computeIfAbsent(channel + '|' + status + '|' + outcome, k -> Counter.builder("notifier.notifications")
                .description("Attempts to deliver a notification, by channel instance, status and outcome (delivered or failed)")
                .tags("channel", channel, "status", status, "outcome", outcome).register(registry)).increment();
    }

    /** The status label of a delivery: its status as the state keys have it, capped to the known ones. */
    static String status(String job, String deliveryName) {
        if (job.equals(dev.ftnotifier.notify.Digest.JOB)) {
            return "digest";
        }
        if (job.equals(SelfAlert.JOB)) {
            return deliveryName.endsWith(SelfAlert.RECOVERED_SUFFIX) ? "self-recovered" : "self-alert";
        }
        if (deliveryName.startsWith("stuck-")) {
            return "stuck";
        }
        return STATUSES.contains(deliveryName) ? deliveryName : "other";
    }

    /** A gauge read at scrape time. */
    void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, () -> {
            Number n = value.get();
            return n == null ? Double.NaN : n.doubleValue();
        }).description(description).register(registry);
    }

    static Double epochSeconds(Instant t) {
        return t == null ? 0.0 : t.toEpochMilli() / 1000.0;
    }
}
