package dev.ftnotifier.openai;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How long a 429 makes the notifier wait, read as the official SDKs read it. */
class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static Optional<Duration> wait(Map<String, String> headers) {
        return RetryAfter.from(headers, CLOCK);
    }

    @Test
    void secondsMayBeWholeOrFractional() {
        assertEquals(Optional.of(Duration.ofSeconds(20)), wait(Map.of("Retry-After", "20")));
        assertEquals(Optional.of(Duration.ofMillis(1500)), wait(Map.of("retry-after", "1.5")));
    }

    @Test
    void anHttpDateIsTheTimeToWaitUntil() {
        String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(NOW.plusSeconds(90), ZoneOffset.UTC));
        assertEquals(Optional.of(Duration.ofSeconds(90)), wait(Map.of("Retry-After", in90s)));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(NOW.minusSeconds(90), ZoneOffset.UTC));
        assertEquals(Optional.of(Duration.ZERO), wait(Map.of("Retry-After", past)), "a date gone by: no wait");
    }

    @Test
    void retryAfterMsComesFirst() {
        assertEquals(Optional.of(Duration.ofMillis(250)), wait(Map.of("retry-after-ms", "250", "Retry-After", "30")));
        assertEquals(Optional.of(Duration.ofSeconds(30)), wait(Map.of("retry-after-ms", "soon", "Retry-After", "30")),
                "an unreadable retry-after-ms falls back to Retry-After");
    }

    @Test
    void neverMoreThanAnHourNeverNegative() {
        assertEquals(Optional.of(Duration.ofHours(1)), wait(Map.of("Retry-After", "86400")));
        assertEquals(Optional.of(Duration.ofHours(1)), wait(Map.of("retry-after-ms", "1e12")));
        assertEquals(Optional.of(Duration.ZERO), wait(Map.of("Retry-After", "-5")));
    }

    @Test
    void nothingUsableMeansNoAnswer() {
        assertEquals(Optional.empty(), wait(Map.of()));
        assertEquals(Optional.empty(), wait(null));
        assertEquals(Optional.empty(), wait(Map.of("Retry-After", "tomorrow")));
    }

    /** A 429 without a Retry-After header, as camel-http throws it. */
    private static HttpOperationFailedException tooMany(String body) {
        return new HttpOperationFailedException("http://127.0.0.1:1/v1/fine_tuning/jobs", 429, "Too Many Requests", null, Map.of(), body);
    }

    /** Without a usable header, the gate stays closed 1 s, 2 s, 4 s ... (each within 20% jitter), up to 2 minutes. */
    @Test
    void withoutAHeaderTheWaitDoublesFromOneSecond() {
        RateLimitGate gate = new RateLimitGate("http://127.0.0.1:1/v1", CLOCK);
        ApiProblems problems = new ApiProblems("http://127.0.0.1:1/v1", CLOCK, gate);
        long[] expected = {1000, 2000, 4000, 8000};
        for (long base : expected) {
            problems.tooManyRequests(tooMany("{\"error\":{\"code\":\"rate_limit_exceeded\"}}"));
            long waited = Duration.between(NOW, gate.pausedUntil()).toMillis();
            assertTrue(waited >= base * 0.8 && waited <= base * 1.2, waited + " ms, expected about " + base);
        }
        for (int i = 0; i < 20; i++) {
            problems.tooManyRequests(tooMany("{}"));
        }
        assertTrue(Duration.between(NOW, gate.pausedUntil()).compareTo(Duration.ofSeconds(144)) <= 0, "capped near 2 minutes");
        assertFalse(gate.mayCall(), "paused");
    }
}
