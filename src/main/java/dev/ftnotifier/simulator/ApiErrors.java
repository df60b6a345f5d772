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

    /**
     * The envelope the API sends with this error status and {@code error.code} (null for none): the
     * quota codes have type {@code insufficient_quota}, a rate limit type {@code requests} and code
     * {@code rate_limit_exceeded} (also when no code is given), 5xx {@code server_error}.
     */
    static String forStatus(int status, String code) {
        if (code != null) {
            switch (code) {
                case "insufficient_quota", "credit_balance_exhausted" -> {
                    return envelope("You exceeded your current quota, please check your plan and billing details.",
                            "insufficient_quota", null, code);
                }
                case "rate_limit_exceeded" -> {
                    return rateLimited();
                }
                case "invalid_api_key" -> {
                    return invalidApiKey(false);
                }
                case "unsupported_country_region_territory" -> {
                    return envelope("Country, region, or territory not supported", "request_forbidden", null, code);
                }
                default -> {
                    // a code the simulator has no wording for: keep the code, describe the status
                }
            }
        }
        if (status == 429 && code == null) {
            return rateLimited();
        }
        if (status >= 500) {
            String message = switch (status) {
                case 502 -> "Bad gateway.";
                case 503 -> "The server is overloaded or not ready yet.";
                default -> "The server had an error while processing your request. Sorry about that!";
            };
            return envelope(message, "server_error", null, code);
        }
        if (status == 401 && code == null) {
            return invalidApiKey(false);
        }
        return invalidRequest("The simulator was told to answer HTTP " + status + ".", null, code);
    }

    private static String rateLimited() {
        return envelope("Rate limit reached for requests. Please try again later.", "requests", null,
                "rate_limit_exceeded");
    }
}
