package dev.ftnotifier.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/** Why a job failed: a machine-readable code, a message, and the parameter at fault (often null). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobError(String code, String message, String param) {

    /** True for {@code {}} and all-null blocks, which the API sends on jobs that did not fail. */
    /**
     * Failure is decided by status alone, so an {@code error} of an unexpected shape must not
     * make a failed job unreadable: a bare string is kept as the message, anything else is
     * "no details".
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static JobError from(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            return new JobError(text(node.get("code")), text(node.get("message")), text(node.get("param")));
        }
        return node.isValueNode() ? new JobError(null, node.asText(), null) : new JobError(null, null, null);
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    @JsonIgnore
    public boolean isEmpty() {
        return code == null && message == null && param == null;
    }
}
