package dev.ftnotifier.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The API's error envelope {@code {"error":{"message","type","param","code"}}}, read leniently
 * from whatever body came with a failed request (it may be HTML from a proxy, or nothing).
 */
public record ApiError(String type, String code) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ApiError parse(String body) {
        if (body == null || body.isBlank() || body.length() > 65_536) {
            return new ApiError(null, null);
        }
        try {
            JsonNode error = JSON.readTree(body).path("error");
            return new ApiError(text(error.get("type")), text(error.get("code")));
        } catch (Exception notJson) {
            return new ApiError(null, null);
        }
    }

    /** A 429 that waiting will not cure: the account is out of credit. */
    public boolean isQuotaExhausted() {
        return "insufficient_quota".equals(code) || "insufficient_quota".equals(type)
                || "credit_balance_exhausted".equals(code);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asText();
    }
}
