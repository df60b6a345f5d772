package dev.ftnotifier.enrich;

import java.util.List;

/**
 * What a notification says beyond the job itself (routes/enrich.camel.yaml adds it): a link to
 * the job's dashboard, a succeeded job's metrics (null with {@code metricsUnavailable} when they
 * could not be read in time), a failed job's last error and warning messages, newest first.
 */
public record JobContext(String dashboardUrl, CompletionMetrics metrics, boolean metricsUnavailable,
                         List<String> failureEvents) {

    public static final JobContext NONE = new JobContext("", null, false, List.of());

    public JobContext {
        dashboardUrl = dashboardUrl == null ? "" : dashboardUrl;
        failureEvents = failureEvents == null ? List.of() : List.copyOf(failureEvents);
    }

    public JobContext withMetrics(CompletionMetrics m) {
        return new JobContext(dashboardUrl, m, m == null, failureEvents);
    }

    public JobContext withFailureEvents(List<String> events) {
        return new JobContext(dashboardUrl, metrics, metricsUnavailable, events);
    }
}
