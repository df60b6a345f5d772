package dev.ftnotifier.observe;

import dev.ftnotifier.notify.SelfAlert;

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
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The notifier's own Prometheus metrics (names fixed by the README, "Running in production"),
 * in the same Micrometer registry as Camel's route metrics. Counters are made once and then only
 * incremented (a map look-up at most), so counting costs next to nothing per request.
 * Label values are bounded: a status the status router does not know (route status-meaning,
 * read through {@code statusMeanings}) becomes {@code other}, and so does a channel outside the
 * configured instances. The router's list of known statuses is the one allow-list: an operator
 * who teaches it a new status gets that status's own label.
 */
public class NotifierMetrics {

    private final MeterRegistry registry;
    private final Set<String> channels;
    /** Whether the status router knows a status: its label is then the status itself. */
    private final Predicate<String> knownStatus;
    private final Counter polls;
    private final Map<ApiOutcome, Counter> apiRequests = new EnumMap<>(ApiOutcome.class);
    private final Timer apiDuration;
    private final Map<String, Counter> notifications = new ConcurrentHashMap<>();

    /** @param knownStatus whether the status router knows a status ({@code StatusMeanings::known}) */
    public NotifierMetrics(MeterRegistry registry, Set<String> channels, Predicate<String> knownStatus) {
        this.registry = registry;
        this.channels = Set.copyOf(channels);
        this.knownStatus = knownStatus;
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
        String status = status(key.substring(0, first), key.substring(first + 1, last), knownStatus);
        notifications.computeIfAbsent(channel + '|' + status + '|' + outcome, k -> Counter.builder("notifier.notifications")
                .description("Attempts to deliver a notification, by channel instance, status and outcome (delivered or failed)")
                .tags("channel", channel, "status", status, "outcome", outcome).register(registry)).increment();
    }

    /**
     * The status label of a delivery: the notifier's own events (digest, self-alert, self-recovered,
     * stuck), else its status as the state keys have it when {@code known} says the router knows
     * it, else {@code other}.
     */
    static String status(String job, String deliveryName, Predicate<String> known) {
        if (job.equals(dev.ftnotifier.notify.Digest.JOB)) {
            return "digest";
        }
        if (job.equals(SelfAlert.JOB)) {
            return deliveryName.endsWith(SelfAlert.RECOVERED_SUFFIX) ? "self-recovered" : "self-alert";
        }
        if (deliveryName.startsWith("stuck-")) {
            return "stuck";
        }
        return knows(known, deliveryName) ? deliveryName : "other";
    }

    private static boolean knows(Predicate<String> known, String status) {
        try {
            return known.test(status);
        } catch (RuntimeException routerUnavailable) {
            // a count is never worth a failed delivery: a router that cannot answer (mid-reload) gives other
            return false;
        }
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
