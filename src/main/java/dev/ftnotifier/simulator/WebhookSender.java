package dev.ftnotifier.simulator;

import com.standardwebhooks.Webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What OpenAI does when a fine-tuning job ends and a webhook endpoint is set up for the project:
 * POSTs {@code fine_tuning.job.succeeded|failed|cancelled} with the job id, signed the Standard
 * Webhooks way ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature:
 * v1,<base64 HMAC-SHA256>}). Sent asynchronously, after the API already shows the status. An
 * event not answered 2xx is sent again, as OpenAI does (with the same webhook-id, signed anew),
 * backing off: after 1 s, 2 s, 4 s, ... then every minute, given up after about ten minutes
 * (OpenAI keeps trying for up to 72 hours; a receiver that starts late still gets the event).
 * The retries wait on the simulator's scheduler, so closing the simulator ends them. Every
 * answer is counted by status code.
 */
final class WebhookSender {

    private static final System.Logger LOG = System.getLogger(WebhookSender.class.getName());

    private final URI url;
    private final Webhook signer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();

    private final ScheduledExecutorService retries;

    WebhookSender(String url, String secret, ScheduledExecutorService retries) {
        this.url = URI.create(url);
        this.retries = retries;
        this.signer = secret.startsWith("whsec_") ? new Webhook(secret) : new Webhook(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the event for a job that reached {@code status}, if it is one OpenAI sends an event for. */
    void jobReached(String jobId, String status) {
        if (!("succeeded".equals(status) || "failed".equals(status) || "cancelled".equals(status))) {
            return;
        }
        String id = "wh_" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        String body = "{\"id\":\"evt_" + UUID.randomUUID().toString().replace("-", "") + "\",\"object\":\"event\",\"created_at\":"
                + created + ",\"type\":\"fine_tuning.job." + status + "\",\"data\":{\"id\":\"" + jobId + "\"}}";
        send(jobId, status, id, body, 0);
    }

    private static final int MAX_ATTEMPTS = 16;
    private static final long MAX_DELAY_SECONDS = 60;

    private void send(String jobId, String status, String id, String body, int attempt) {
        long now = Instant.now().getEpochSecond();
        String signature;
        try {
            signature = signer.sign(id, now, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("webhook-id", id)
                .header("webhook-timestamp", String.valueOf(now)).header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            int code = response == null ? -1 : response.statusCode();
            answers.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
            if (error != null || code < 200 || code > 299) {
                boolean again = attempt + 1 < MAX_ATTEMPTS;
                LOG.log(System.Logger.Level.DEBUG, "simulator: webhook for " + jobId + " " + status + " answered "
                        + (error != null ? error.toString() : "HTTP " + code) + (again ? "; sent again" : "; given up"));
                if (again) {
                    try {
                        retries.schedule(() -> send(jobId, status, id, body, attempt + 1),
                                Math.min(1L << attempt, MAX_DELAY_SECONDS), TimeUnit.SECONDS);
                    } catch (RejectedExecutionException closed) {
                        // the simulator was closed: no more events
                    }
                }
            }
        });
    }

    /** How many events got each answer (-1: no answer). */
    Map<Integer, Long> answers() {
        Map<Integer, Long> copy = new java.util.TreeMap<>();
        answers.forEach((code, n) -> copy.put(code, n.get()));
        return copy;
    }
}
