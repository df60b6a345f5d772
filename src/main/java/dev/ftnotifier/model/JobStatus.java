package dev.ftnotifier.model;

import java.util.Locale;
import java.util.Set;

/**
 * A job status. An open set, as in the SDKs: a status this version does not know is kept
 * as its text and treated as in progress (never terminal), so it keeps being polled.
 */
public record JobStatus(String value) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    /** Exactly these end a job; everything else, paused included, is polled again. */
    private static final Set<String> TERMINAL = Set.of(SUCCEEDED, FAILED, CANCELLED);

    private static final Set<String> IN_PROGRESS =
            Set.of("validating_files", "queued", "running", "pausing", "paused");

    /**
     * The status as the API sent it, lower-cased, with anything but {@code a-z 0-9 _ -} made
     * {@code _} and at most 64 characters: the value goes into file names, log lines and
     * delivery keys, and the API's text is not trusted there.
     */
    public static JobStatus of(String value) {
        String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        String safe = text.replaceAll("[^a-z0-9_-]", "_");
        return new JobStatus(safe.length() > 64 ? safe.substring(0, 64) : safe);
    }

    public boolean isTerminal() {
        return TERMINAL.contains(value);
    }

    /** True when this version of the notifier knows the status; unknown ones get a warning in the log. */
    public boolean isKnown() {
        return TERMINAL.contains(value) || IN_PROGRESS.contains(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
