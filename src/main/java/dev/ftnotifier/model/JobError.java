package dev.ftnotifier.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Why a job failed: a machine-readable code, a message, and the parameter at fault (often null). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobError(String code, String message, String param) {

    /** True for {@code {}} and all-null blocks, which the API sends on jobs that did not fail. */
    @JsonIgnore
    public boolean isEmpty() {
        return code == null && message == null && param == null;
    }
}
