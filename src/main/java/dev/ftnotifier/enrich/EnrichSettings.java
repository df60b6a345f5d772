package dev.ftnotifier.enrich;

import dev.ftnotifier.config.ConfigurationException;
import org.apache.camel.util.TimeUtils;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * notifier.enrich.timeout (a duration: 10s, 1500ms) as the milliseconds the circuit breaker of
 * routes/enrich.camel.yaml reads: Camel's timeoutDuration takes a plain number only (verified:
 * "Error parsing [10s] as a java.lang.Long").
 */
public final class EnrichSettings {

    public static final String TIMEOUT = "notifier.enrich.timeout";
    public static final String TIMEOUT_MS = "notifier.enrich.timeout-ms";

    private EnrichSettings() {
    }

    /** {@code settings} answers a key with its value, or "" when unset. */
    public static Map<String, String> derive(UnaryOperator<String> settings) {
        String value = settings.apply(TIMEOUT).trim();
        long millis;
        try {
            millis = value.isEmpty() ? 10_000 : TimeUtils.toMilliSeconds(value);
        } catch (RuntimeException e) {
            millis = -1;
        }
        if (millis <= 0) {
            throw new ConfigurationException(TIMEOUT + " must be a positive duration (10s, 1500ms), not '" + value + "'");
        }
        return Map.of(TIMEOUT_MS, Long.toString(millis));
    }
}
