package dev.ftnotifier.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A job status as the API sent it, made safe. An open set, as in the SDKs. What a status means
 * (its event, whether the job has ended, whether this version knows it) is decided by the route
 * {@code status-meaning} in routes/route-by-status.camel.yaml, not here: the notification carries
 * that decision ({@code Notification.terminal()}, {@code known()}), and
 * {@code dev.ftnotifier.status.StatusMeanings} asks the route for code outside the router.
 */
public record JobStatus(String value) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    /** The only status the API gives an {@code estimated_finish} in ({@link FineTuningJob#estimatedFinishWhile}). */
    public static final String RUNNING = "running";
    /** What a safe status may not hold; compiled once, as every poll asks for each job's status several times. */
    private static final Pattern UNSAFE = Pattern.compile("[^a-z0-9_-]");

    /**
     * The status as the API sent it, lower-cased, with anything but {@code a-z 0-9 _ -} made
     * {@code _} and at most 64 characters: the value goes into file names, log lines and
     * delivery keys, and the API's text is not trusted there.
     */
    public static JobStatus of(String value) {
        String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        // the API's own statuses are safe already: no matcher for them (a poll asks for each
        // job's status several times, and a matcher is garbage each time)
        String safe = isSafe(text) ? text : UNSAFE.matcher(text).replaceAll("_");
        return new JobStatus(safe.length() > 64 ? safe.substring(0, 64) : safe);
    }

    /** Whether the text holds nothing {@link #UNSAFE} would replace. */
    private static boolean isSafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return value;
    }
}
