package dev.ftnotifier.openai;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * How long the API asked us to wait, as the official SDKs read it: {@code retry-after-ms}
 * first, then {@code Retry-After} in seconds or as an HTTP date. Never negative, never
 * more than an hour (a broken header must not stop the notifier for days).
 */
public final class RetryAfter {

    static final Duration LONGEST = Duration.ofHours(1);

    private RetryAfter() {
    }

    public static Optional<Duration> from(Map<String, String> headers, Clock clock) {
        if (headers == null) {
            return Optional.empty();
        }
        String millis = header(headers, "retry-after-ms");
        if (millis != null) {
            try {
                return Optional.of(bound(Duration.ofMillis(Math.round(Double.parseDouble(millis.trim())))));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        String value = header(headers, "retry-after");
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(bound(Duration.ofMillis(Math.round(Double.parseDouble(value.trim()) * 1000))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Optional.of(bound(Duration.between(clock.instant(), at.toInstant())));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static Duration bound(Duration d) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(LONGEST) > 0 ? LONGEST : d;
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
