package dev.ftnotifier.openai;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The gate every request to the API passes (bean {@code rateLimitGate}: the routes ask
 * {@link #mayCall} before each request). An HTTP 429 that is a rate limit closes it until the
 * API's {@code Retry-After}, or, when the API gives none, for 1 s, 2 s, 4 s, ... (within 20%
 * jitter, at most 2 minutes) as 429s follow one another; any other answer starts that series again.
 */
public class RateLimitGate {

    private static final Logger LOG = LoggerFactory.getLogger("api");
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(2);

    private final String baseUrl;
    private final Clock clock;
    private volatile Instant pausedUntil = Instant.EPOCH;
    private volatile int inARow;

    public RateLimitGate(String baseUrl, Clock clock) {
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    /** False while the API has asked us to wait (HTTP 429): no request is sent then. */
    public boolean mayCall() {
        return !clock.instant().isBefore(pausedUntil);
    }

    public Instant pausedUntil() {
        return pausedUntil;
    }

    /** The API answered something other than a 429: the next 429 without a header waits 1 s again. */
    public void answered() {
        inARow = 0;
    }

    /** A 429 that is a rate limit (not an exhausted quota), with the answer's headers and error code (or null). */
    public void rateLimited(Map<String, String> headers, String code) {
        int attempt = ++inARow;
        Duration wait = RetryAfter.from(headers, clock).orElseGet(() -> exponential(attempt));
        Instant until = clock.instant().plus(wait);
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
            LOG.warn("rate limited by {} (HTTP 429{}): no requests until {} ({} ms)", baseUrl,
                    code != null ? " " + code : "", until, wait.toMillis());
        }
    }

    private static Duration exponential(int attempt) {
        long millis = Math.min(LONGEST_WAIT.toMillis(), FIRST_WAIT.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(Math.round(millis * (0.8 + 0.4 * Math.random())));
    }
}
