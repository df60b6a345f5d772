package dev.ftnotifier.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One entry of a job's {@code integrations}; today only {@code type: "wandb"} exists. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Integration(String type, WandbIntegration wandb) {
}
