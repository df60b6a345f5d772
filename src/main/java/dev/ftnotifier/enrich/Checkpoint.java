package dev.ftnotifier.enrich;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/** One checkpoint of a job: the model it can be used as, its step, and its metrics as the API gave them. */
@JsonPropertyOrder({"model", "step", "metrics"})
public record Checkpoint(String model, Long step, Map<String, Double> metrics) {

    public Checkpoint {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
