package dev.ftnotifier.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.ftnotifier.enrich.CompletionMetrics;
import dev.ftnotifier.model.JobError;

import java.util.List;

/**
 * The JSON document the file channel writes for one notification. Times are ISO-8601 UTC;
 * {@code job} is the whole object as the API returned it. {@code metrics} is a succeeded job's final
 * metrics, null when unavailable (and for every other status); {@code failure_events} a failed job's
 * last error and warning messages, newest first (empty otherwise); {@code dashboard_url} null when
 * there is no link.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"job_id", "status", "event", "summary", "model", "fine_tuned_model", "error", "result_files",
        "trained_tokens", "duration_seconds", "estimated_finish", "changed_at", "notified_at", "metrics",
        "failure_events", "dashboard_url", "job"})
public record FileDocument(
        String jobId,
        String status,
        String event,
        String summary,
        String model,
        String fineTunedModel,
        JobError error,
        List<String> resultFiles,
        Long trainedTokens,
        Long durationSeconds,
        String estimatedFinish,
        String changedAt,
        String notifiedAt,
        CompletionMetrics metrics,
        List<String> failureEvents,
        String dashboardUrl,
        JsonNode job) {
}
