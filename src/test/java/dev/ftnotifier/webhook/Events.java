package dev.ftnotifier.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * OpenAI webhook events as a test sends them to the notifier's real HTTP endpoint: signed here
 * with the JDK's HMAC (not the library the notifier verifies with), so a test does not trust
 * the code it checks.
 */
public final class Events {

    /** {@code whsec_} and the base64 of a key that looks like no real one. */
    public static final String SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("test-webhook-key-not-a-secret-01".getBytes(StandardCharsets.UTF_8));
    /** A secret without the prefix: its own bytes are the key, as the OpenAI SDKs take it. */
    public static final String RAW_SECRET = "test-raw-webhook-secret-not-a-secret";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Events() {
    }

    /** A free port of 127.0.0.1 for the notifier's receiver. */
    public static int freePort() {
        return dev.ftnotifier.testing.FreePorts.pick();
    }

    /** The settings that turn the receiver on, on 127.0.0.1:{@code port}. */
    public static Map<String, String> receiverOn(Map<String, String> properties, String secrets, int port) {
        properties.put("openai.webhook-secret", secrets);
        properties.put("notifier.webhook.host", "127.0.0.1");
        properties.put("notifier.webhook.port", String.valueOf(port));
        return properties;
    }

    public static String url(int port) {
        return "http://127.0.0.1:" + port + "/webhooks/openai";
    }

    /** The body OpenAI sends for {@code fine_tuning.job.<status>}. */
    public static String body(String jobId, String status) {
        return "{\"id\":\"evt_" + UUID.randomUUID().toString().replace("-", "") + "\",\"object\":\"event\",\"created_at\":"
                + Instant.now().getEpochSecond() + ",\"type\":\"fine_tuning.job." + status + "\",\"data\":{\"id\":\"" + jobId + "\"}}";
    }

    public static String newId() {
        return "wh_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** {@code v1,<base64 HMAC-SHA256 of id.timestamp.body>} under {@code secret}. */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        byte[] key = secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring(6))
                : secret.getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The three headers of a correctly signed event sent now. */
    public static Map<String, String> signedHeaders(String secret, String id, byte[] body) {
        long now = Instant.now().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", String.valueOf(now));
        headers.put("webhook-signature", sign(secret, id, now, body));
        return headers;
    }

    /** POSTs a correctly signed event with a new id; returns the status. */
    public static int send(int port, String secret, String jobId, String status) {
        return send(port, secret, newId(), jobId, status);
    }

    public static int send(int port, String secret, String webhookId, String jobId, String status) {
        byte[] body = body(jobId, status).getBytes(StandardCharsets.UTF_8);
        return post(url(port), signedHeaders(secret, webhookId, body), body).statusCode();
    }

    public static HttpResponse<String> post(String url, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
