package dev.ftnotifier.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The API's error envelope: {@code {"error":{"message","type","param","code"}}}, param and code nullable. */
final class ApiErrors {

    private ApiErrors() {
    }

    static String envelope(String message, String type, String param, String code) {
        ObjectNode root = JobJson.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root.toString();
    }

    static String invalidRequest(String message, String param, String code) {
        return envelope(message, "invalid_request_error", param, code);
    }

    static String jobNotFound(String jobId) {
        return invalidRequest("Could not find fine tune: " + jobId, "fine_tune_id", null);
    }

    /** Deliberately never echoes the presented key, not even masked: tests grep logs for it. */
    static String invalidApiKey(boolean keyMissing) {
        String message = keyMissing
                ? "You didn't provide an API key. Provide it in an Authorization header using Bearer auth "
                  + "(i.e. Authorization: Bearer YOUR_KEY)."
                : "Incorrect API key provided.";
        return invalidRequest(message, null, "invalid_api_key");
    }
}
