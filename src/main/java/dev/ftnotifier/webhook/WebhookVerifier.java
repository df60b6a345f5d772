package dev.ftnotifier.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import dev.ftnotifier.config.ConfigurationException;
import dev.ftnotifier.config.JobIds;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Verifies an OpenAI webhook request as Standard Webhooks and the OpenAI SDKs do: the
 * {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} headers, the
 * timestamp within {@code notifier.webhook.tolerance} either way, and one of the space-separated
 * {@code v1,<base64>} signatures equal (constant-time) to the HMAC-SHA256 of
 * {@code <id>.<timestamp>.<raw body>} under one of the secrets. The HMAC is the Standard Webhooks
 * library's ({@link Webhook#sign}); its own {@code verify} is not used because its tolerance is
 * fixed at 5 minutes. A secret {@code whsec_<base64>} is the base64-decoded key, any other the
 * secret's own bytes (as the OpenAI SDKs take it); two comma-separated secrets are both tried
 * during a rotation. The body must be UTF-8 (it is signed as text), checked strictly, so the
 * bytes signed are exactly the bytes received.
 */
public class WebhookVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "whsec_";
    private static final int MAX_ID_LENGTH = 256;

    private final List<Webhook> keys;
    private final Duration tolerance;
    private final Clock clock;

    public WebhookVerifier(String secrets, Duration tolerance, Clock clock) {
        this.keys = parseSecrets(secrets);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /** The keys of {@code openai.webhook-secret}; a malformed one is refused without printing it. */
    static List<Webhook> parseSecrets(String secrets) {
        List<Webhook> keys = new ArrayList<>();
        int n = 0;
        for (String part : (secrets == null ? "" : secrets).split(",")) {
            String secret = part.trim();
            n++;
            if (secret.isEmpty()) {
                continue;
            }
            try {
                keys.add(secret.startsWith(PREFIX) ? new Webhook(secret)
                        : new Webhook(secret.getBytes(StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("openai.webhook-secret (OPENAI_WEBHOOK_SECRET): secret " + n
                        + " starts with whsec_ but the rest is not base64");
            }
        }
        if (keys.size() > 2) {
            throw new ConfigurationException("openai.webhook-secret (OPENAI_WEBHOOK_SECRET): at most two secrets"
                    + " (comma-separated, during a rotation), not " + keys.size());
        }
        return List.copyOf(keys);
    }

    /** The verified event, or {@link InvalidWebhookException} saying (for the log only) what was wrong. */
    public WebhookEvent verify(byte[] body, Map<String, Object> headers) {
        String id = header(headers, "webhook-id");
        String timestamp = header(headers, "webhook-timestamp");
        String signatures = header(headers, "webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            throw new InvalidWebhookException("a webhook-id, webhook-timestamp or webhook-signature header is missing");
        }
        if (id.length() > MAX_ID_LENGTH || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidWebhookException("the webhook-id header is malformed");
        }
        if (timestamp.isEmpty() || timestamp.length() > 12 || !timestamp.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidWebhookException("the webhook-timestamp header is not a number of seconds");
        }
        long seconds = Long.parseLong(timestamp);
        Instant sentAt = Instant.ofEpochSecond(seconds);
        long skew = Math.abs(clock.instant().getEpochSecond() - seconds);
        if (skew > tolerance.toSeconds()) {
            throw new InvalidWebhookException("the webhook-timestamp is " + skew + " s away from now, over the tolerance");
        }
        String text = utf8(body == null ? new byte[0] : body);
        if (!signed(id, seconds, text, signatures)) {
            throw new InvalidWebhookException("no signature matches");
        }
        return event(id, text, sentAt);
    }

    private boolean signed(String id, long seconds, String body, String signatures) {
        boolean match = false;
        for (Webhook key : keys) {
            byte[] expected;
            try {
                expected = key.sign(id, seconds, body).substring("v1,".length()).getBytes(StandardCharsets.US_ASCII);
            } catch (WebhookSigningException e) {
                throw new IllegalStateException("HMAC-SHA256 is not available", e);
            }
            for (String entry : signatures.trim().split(" +")) {
                if (entry.startsWith("v1,")) {
                    // every entry is compared, so the time taken does not tell which one matched
                    match |= MessageDigest.isEqual(expected, entry.substring(3).getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        return match;
    }

    private static WebhookEvent event(String id, String body, Instant sentAt) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (Exception e) {
            throw new InvalidWebhookException("the body of webhook " + id + " is not JSON");
        }
        if (json == null || !json.isObject() || !json.path("type").isTextual()) {
            throw new InvalidWebhookException("the body of webhook " + id + " is not an event (no type)");
        }
        String type = json.path("type").asText();
        WebhookEvent event = new WebhookEvent(id, type, null, sentAt);
        if (event.status() == null) {
            return event;
        }
        JsonNode jobId = json.path("data").path("id");
        if (!jobId.isTextual() || !JobIds.isSafe(jobId.asText())) {
            throw new InvalidWebhookException("webhook " + id + " (" + JobIds.printable(type) + ") names no usable job id");
        }
        return new WebhookEvent(id, type, jobId.asText(), sentAt);
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidWebhookException("the body is not UTF-8");
        }
    }

    private static String header(Map<String, Object> headers, String name) {
        Object value = headers.get(name);
        if (value instanceof List<?> list) {
            // a header sent twice is not one we can trust either way
            value = list.size() == 1 ? list.get(0) : null;
        }
        String text = value == null ? null : value.toString().trim();
        return text == null || text.isEmpty() ? null : text;
    }
}
