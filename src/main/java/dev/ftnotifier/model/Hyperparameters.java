package dev.ftnotifier.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Supervised hyperparameters; each is {@code "auto"} or a number, so each is a {@link Setting}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Hyperparameters(Setting batchSize, Setting learningRateMultiplier, Setting nEpochs) {
}
