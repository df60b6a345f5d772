package dev.ftnotifier.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/** Where a job reports its metrics in Weights and Biases. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WandbIntegration(String project, String name, String entity, List<String> tags) {

    public WandbIntegration {
        tags = tags == null ? List.of() : tags;
    }
}
