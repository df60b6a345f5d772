package dev.ftnotifier.state;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed delivery waits before its next attempt: doubling from {@code initial}
 * up to {@code max}, with +-20% jitter so deliveries that failed together do not retry
 * together.
 */
public record Backoff(Duration initial, Duration max) {

    public Duration after(int failures) {
        double exponent = Math.min(Math.max(failures - 1, 0), 30);
        double millis = Math.min(max.toMillis(), initial.toMillis() * Math.pow(2, exponent));
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.round(millis * jitter));
    }
}
