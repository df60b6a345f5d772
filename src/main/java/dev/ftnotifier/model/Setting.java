package dev.ftnotifier.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A hyperparameter value as the API sends it: {@code "auto"}, a number, or something newer.
 * Kept as text so no value the API invents can make a job unreadable.
 */
public record Setting(String value) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Setting of(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return new Setting(node.isValueNode() ? node.asText() : node.toString());
    }

    public boolean isAuto() {
        return "auto".equals(value);
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }
}
