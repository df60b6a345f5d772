package dev.ftnotifier.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * The {@code fine_tuning.job} object as {@code GET /fine_tuning/jobs/{id}} returns it.
 *
 * <p>Tolerant like the official SDKs: unknown fields are ignored, every field may be null,
 * and {@code status} is kept as the string the API sent, known or not.
 * {@code method} is kept as a tree because its shape differs per training method.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FineTuningJob(
        String id,
        String object,
        Long createdAt,
        JobError error,
        String fineTunedModel,
        Long finishedAt,
        Hyperparameters hyperparameters,
        String model,
        String organizationId,
        List<String> resultFiles,
        String status,
        Long trainedTokens,
        String trainingFile,
        String validationFile,
        List<Integration> integrations,
        Long seed,
        Long estimatedFinish,
        JsonNode method,
        Map<String, String> metadata,
        String userProvidedSuffix) {

    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z in unix seconds: the times an ISO-8601 date can say. */
    private static final long FIRST_SECOND = -62_167_219_200L;
    private static final long LAST_SECOND = 253_402_300_799L;

    public FineTuningJob {
        // a time beyond year 9999 (Long.MAX_VALUE, 1e18) is no time the API can mean, and Instant.ofEpochSecond
        // throws on it while a notification is made: treat it as unknown, like null (the raw job keeps it)
        createdAt = plausibleTime(createdAt);
        finishedAt = plausibleTime(finishedAt);
        estimatedFinish = plausibleTime(estimatedFinish);
        resultFiles = resultFiles == null ? List.of() : List.copyOf(resultFiles.stream().filter(f -> f != null).toList());
        integrations = integrations == null ? List.of() : integrations.stream().filter(i -> i != null).toList();
        metadata = metadata == null ? Map.of() : metadata;
    }

    private static Long plausibleTime(Long unixSeconds) {
        return unixSeconds == null || unixSeconds < FIRST_SECOND || unixSeconds > LAST_SECOND ? null : unixSeconds;
    }

    /** The status as a {@link JobStatus}, which knows whether it is terminal. */
    public JobStatus jobStatus() {
        return JobStatus.of(status);
    }

    /** The error block only when it says something: the API sends null, {} or all-null fields on jobs that did not fail. */
    public JobError errorDetails() {
        return error == null || error.isEmpty() ? null : error;
    }

    /** Run time in seconds ({@code finished_at - created_at}), or null while either is unknown. */
    public Long durationSeconds() {
        return createdAt == null || finishedAt == null ? null : finishedAt - createdAt;
    }

    /**
     * The API's {@code estimated_finish}, only while the job is running and only when set (a
     * positive time): the one rule for "running with an estimated finish" that notifications,
     * file documents, digests and the stuck check share. {@code status} is the status the caller
     * tracks for the job (the notification's or the episode's), which may be newer than this copy's.
     */
    public java.time.Instant estimatedFinishWhile(String status) {
        return estimatedFinishWhile(status, estimatedFinish);
    }

    /** The same rule for a job's {@code estimated_finish} kept apart from the job (a status episode keeps only that). */
    public static java.time.Instant estimatedFinishWhile(String status, Long estimatedFinish) {
        return JobStatus.RUNNING.equals(status) && estimatedFinish != null && estimatedFinish > 0
                ? java.time.Instant.ofEpochSecond(estimatedFinish) : null;
    }

    /** The first Weights and Biases integration, if the job has one. */
    public WandbIntegration wandb() {
        return integrations.stream().map(Integration::wandb).filter(w -> w != null).findFirst().orElse(null);
    }
}
