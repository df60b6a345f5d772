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

    public FineTuningJob {
        resultFiles = resultFiles == null ? List.of() : List.copyOf(resultFiles.stream().filter(f -> f != null).toList());
        integrations = integrations == null ? List.of() : integrations.stream().filter(i -> i != null).toList();
        metadata = metadata == null ? Map.of() : metadata;
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

    /** The first Weights and Biases integration, if the job has one. */
    public WandbIntegration wandb() {
        return integrations.stream().map(Integration::wandb).filter(w -> w != null).findFirst().orElse(null);
    }
}
