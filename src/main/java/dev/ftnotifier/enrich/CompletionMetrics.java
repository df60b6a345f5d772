package dev.ftnotifier.enrich;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * A succeeded job's final metrics: the last row of its result file (each value null when the
 * file has no such column or the cell is empty) and its checkpoints, as the file document's
 * {@code metrics} field.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"steps", "train_loss", "train_accuracy", "valid_loss", "valid_mean_token_accuracy", "checkpoints"})
public record CompletionMetrics(Long steps, Double trainLoss, Double trainAccuracy, Double validLoss,
                                Double validMeanTokenAccuracy, List<Checkpoint> checkpoints) {

    public CompletionMetrics {
        checkpoints = checkpoints == null ? List.of() : List.copyOf(checkpoints);
    }

    public CompletionMetrics withCheckpoints(List<Checkpoint> list) {
        return new CompletionMetrics(steps, trainLoss, trainAccuracy, validLoss, validMeanTokenAccuracy, list);
    }
}
