package dev.ftnotifier.simulator;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One fine-tuning job as the simulator serves it: an immutable value, changed by
 * {@code withXxx} copies. Field names mirror the API's {@code fine_tuning.job}
 * (see {@link JobJson} for the JSON). Nullable components are null exactly where
 * the real API sends null.
 *
 * @param createdAt       unix seconds
 * @param finishedAt      unix seconds; null until the job ends
 * @param fineTunedModel  null until succeeded
 * @param resultFiles     empty until succeeded; never null
 * @param trainedTokens   null until finished
 * @param error           null unless failed
 * @param estimatedFinish unix seconds; null unless running
 * @param validationFile  nullable
 * @param hyperparameters nullable (the API sends null on some failed jobs)
 * @param integrations    nullable
 * @param metadata        nullable; insertion order is kept
 */
public record SimulatedJob(
        String id,
        String model,
        String status,
        long createdAt,
        Long finishedAt,
        String fineTunedModel,
        List<String> resultFiles,
        Long trainedTokens,
        JobError error,
        Long estimatedFinish,
        String trainingFile,
        String validationFile,
        Hyperparameters hyperparameters,
        String organizationId,
        long seed,
        List<Wandb> integrations,
        Map<String, String> metadata) {

    /** The organisation every simulated job belongs to unless told otherwise. */
    public static final String DEFAULT_ORGANIZATION = "org-simulated";

    public SimulatedJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(trainingFile, "trainingFile");
        Objects.requireNonNull(organizationId, "organizationId");
        resultFiles = resultFiles == null ? List.of() : List.copyOf(resultFiles);
        integrations = integrations == null ? null : List.copyOf(integrations);
        metadata = metadata == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * A freshly created job, as {@code POST /fine_tuning/jobs} would answer it:
     * queued, created now, nothing finished, default hyperparameters.
     */
    public static SimulatedJob queued(String id, String model) {
        Objects.requireNonNull(id, "id");
        return new SimulatedJob(id, model, "queued", Instant.now().getEpochSecond(),
                null, null, List.of(), null, null, null,
                "file-" + Fingerprint.hex("training-file", id, 24), null,
                Hyperparameters.defaults(), DEFAULT_ORGANIZATION,
                Fingerprint.number("seed", id, 2_147_483_647L), null, null);
    }

    public SimulatedJob withStatus(String newStatus) {
        return new SimulatedJob(id, model, newStatus, createdAt, finishedAt, fineTunedModel, resultFiles,
                trainedTokens, error, estimatedFinish, trainingFile, validationFile, hyperparameters,
                organizationId, seed, integrations, metadata);
    }

    public SimulatedJob withCreatedAt(long unixSeconds) {
        return new SimulatedJob(id, model, status, unixSeconds, finishedAt, fineTunedModel, resultFiles,
                trainedTokens, error, estimatedFinish, trainingFile, validationFile, hyperparameters,
                organizationId, seed, integrations, metadata);
    }

    public SimulatedJob withFinishedAt(Long unixSeconds) {
        return new SimulatedJob(id, model, status, createdAt, unixSeconds, fineTunedModel, resultFiles,
                trainedTokens, error, estimatedFinish, trainingFile, validationFile, hyperparameters,
                organizationId, seed, integrations, metadata);
    }

    public SimulatedJob withFineTunedModel(String name) {
        return new SimulatedJob(id, model, status, createdAt, finishedAt, name, resultFiles,
                trainedTokens, error, estimatedFinish, trainingFile, validationFile, hyperparameters,
                organizationId, seed, integrations, metadata);
    }

    public SimulatedJob withResultFiles(List<String> fileIds) {
        return new SimulatedJob(id, model, status, createdAt, finishedAt, fineTunedModel, fileIds,
                trainedTokens, error, estimatedFinish, trainingFile, validationFile, hyperparameters,
                organizationId, seed, integrations, metadata);
    }

    public SimulatedJob withTrainedTokens(Long tokens) {
        return new SimulatedJob(id, model, status, createdAt, finishedAt, fineTunedModel, resultFiles,
                tokens, error, estimatedFinish, trainingFile, validationFile, hyperparameters,
                organizationId, seed, integrations, metadata);
    }

    /** {@code param} may be null, as in the API. Pass a null error to clear it. */
    public SimulatedJob withError(JobError newError) {
        return new SimulatedJob(id, model, status, createdAt, finishedAt, fineTunedModel, resultFiles,
                trainedTokens, newError, estimatedFinish, trainingFile, validationFile, hyperparameters,
                organizationId, seed, integrations, metadata);
    }

    public SimulatedJob withEstimatedFinish(Long unixSeconds) {
        return new SimulatedJob(id, model, status, createdAt, finishedAt, fineTunedModel, resultFiles,
                trainedTokens, error, unixSeconds, trainingFile, validationFile, hyperparameters,
                organizationId, seed, integrations, metadata);
    }

    public SimulatedJob withTrainingFile(String fileId) {
        return new SimulatedJob(id, model, status, createdAt, finishedAt, fineTunedModel, resultFiles,
                trainedTokens, error, estimatedFinish, fileId, validationFile, hyperparameters,
                organizationId, seed, integrations, metadata);
    }

    public SimulatedJob withValidationFile(String fileId) {
        return new SimulatedJob(id, model, status, createdAt, finishedAt, fineTunedModel, resultFiles,
                trainedTokens, error, estimatedFinish, trainingFile, fileId, hyperparameters,
                organizationId, seed, integrations, metadata);
    }

    public SimulatedJob withHyperparameters(Hyperparameters values) {
        return new SimulatedJob(id, model, status, createdAt, finishedAt, fineTunedModel, resultFiles,
                trainedTokens, error, estimatedFinish, trainingFile, validationFile, values,
                organizationId, seed, integrations, metadata);
    }

    public SimulatedJob withOrganizationId(String organization) {
        return new SimulatedJob(id, model, status, createdAt, finishedAt, fineTunedModel, resultFiles,
                trainedTokens, error, estimatedFinish, trainingFile, validationFile, hyperparameters,
                organization, seed, integrations, metadata);
    }

    public SimulatedJob withSeed(long newSeed) {
        return new SimulatedJob(id, model, status, createdAt, finishedAt, fineTunedModel, resultFiles,
                trainedTokens, error, estimatedFinish, trainingFile, validationFile, hyperparameters,
                organizationId, newSeed, integrations, metadata);
    }

    public SimulatedJob withIntegrations(List<Wandb> wandbIntegrations) {
        return new SimulatedJob(id, model, status, createdAt, finishedAt, fineTunedModel, resultFiles,
                trainedTokens, error, estimatedFinish, trainingFile, validationFile, hyperparameters,
                organizationId, seed, wandbIntegrations, metadata);
    }

    public SimulatedJob withMetadata(Map<String, String> pairs) {
        return new SimulatedJob(id, model, status, createdAt, finishedAt, fineTunedModel, resultFiles,
                trainedTokens, error, estimatedFinish, trainingFile, validationFile, hyperparameters,
                organizationId, seed, integrations, pairs);
    }

    /** The {@code error} object of a failed job; {@code param} is null when not parameter-specific. */
    public record JobError(String code, String message, String param) {
    }

    /**
     * Supervised hyperparameters. Each value is either the string {@code "auto"} or a
     * number, because the API sends both; null leaves the field null.
     */
    public record Hyperparameters(Object batchSize, Object learningRateMultiplier, Object nEpochs) {

        public static final String AUTO = "auto";

        public Hyperparameters {
            requireAutoOrNumber("batchSize", batchSize);
            requireAutoOrNumber("learningRateMultiplier", learningRateMultiplier);
            requireAutoOrNumber("nEpochs", nEpochs);
        }

        /** The mix the API typically reports: batch size chosen by the API, explicit epochs and rate. */
        public static Hyperparameters defaults() {
            return new Hyperparameters(AUTO, 1.8, 3);
        }

        private static void requireAutoOrNumber(String name, Object value) {
            if (value != null && !AUTO.equals(value) && !(value instanceof Number)) {
                throw new IllegalArgumentException(name + " must be \"auto\", a number or null, not " + value);
            }
        }
    }

    /** A Weights and Biases integration; everything but {@code project} is optional. */
    public record Wandb(String project, String name, String entity, List<String> tags) {

        public Wandb {
            Objects.requireNonNull(project, "project");
            tags = tags == null ? List.of() : List.copyOf(tags);
        }

        public static Wandb project(String project) {
            return new Wandb(project, null, null, List.of());
        }
    }
}
