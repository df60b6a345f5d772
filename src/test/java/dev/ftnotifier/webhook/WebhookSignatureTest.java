package dev.ftnotifier.webhook;

import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signature vectors in the spirit of openai-python's webhook tests, each through the running
 * notifier's real HTTP endpoint: what is accepted is recorded and delivered, what is refused gets
 * a bare 400 and is neither recorded nor fetched. Two secrets are configured, as during a
 * rotation: one {@code whsec_<base64>}, one without the prefix.
 */
class WebhookSignatureTest {

    @RegisterExtension
    LocalWorld world = new LocalWorld();

    private static final String WRONG_SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("another-key-not-the-configured-1".getBytes(StandardCharsets.UTF_8));

    @Test
    void onlyCorrectlySignedEventsInTimeAreTakenAndNoAnswerSaysWhy() throws Exception {
        int port = Events.freePort();
        Map<String, String> p = Events.receiverOn(world.properties(), Events.SECRET + ", " + Events.RAW_SECRET, port);
        p.put("notifier.poll-interval", "3600000");
        p.put("notifier.webhook.tolerance", "10m");
        List<String> accepted = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            long now = Instant.now().getEpochSecond();
            // valid
            accept(port, accepted, "ftjob-wh-valid", Events.SECRET, now, null);
            // a secret without whsec_: its own bytes are the key
            accept(port, accepted, "ftjob-wh-raw-secret", Events.RAW_SECRET, now, null);
            // 7 minutes old: within the configured 10m (the library's own verify would refuse it at 5m)
            accept(port, accepted, "ftjob-wh-seven-minutes", Events.SECRET, now - 420, null);
            // several signatures, one of them right
            accept(port, accepted, "ftjob-wh-several", Events.SECRET, now,
                    sig -> "v1,bm90IHRoZSBzaWduYXR1cmU= " + Events.sign(WRONG_SECRET, "x", now, new byte[0]) + " " + sig + " v2,abc");
            // non-ASCII text and CRLF in the body: signed and verified over the bytes as sent
            String unicode = "ftjob-wh-unicode";
            world.putJob(unicode, "succeeded");
            byte[] body = ("{\r\n  \"type\": \"fine_tuning.job.succeeded\",\r\n  \"note\": \"é — ✓ 日本 \\u00e9\",\r\n"
                    + "  \"data\": {\"id\": \"" + unicode + "\"}\r\n}\r\n").getBytes(StandardCharsets.UTF_8);
            String id = Events.newId();
            HttpResponse<String> answer = Events.post(Events.url(port), Events.signedHeaders(Events.SECRET, id, body), body);
            assertEquals(200, answer.statusCode(), "non-ASCII and CRLF");
            accepted.add(unicode);

            // refused: wrong secret, each header missing, too old, too new, one byte changed, not UTF-8
            refuse(port, refused, "ftjob-wh-wrong-secret", WRONG_SECRET, now, null, null);
            for (String header : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
                refuse(port, refused, "ftjob-wh-no-" + header, Events.SECRET, now, null, header);
            }
            refuse(port, refused, "ftjob-wh-too-old", Events.SECRET, now - 660, null, null);
            refuse(port, refused, "ftjob-wh-too-new", Events.SECRET, now + 660, null, null);
            refuse(port, refused, "ftjob-wh-not-a-number", Events.SECRET, now, null, "timestamp-text");
            refuse(port, refused, "ftjob-wh-no-v1", Events.SECRET, now, sig -> sig.substring(3), null);
            String changed = "ftjob-wh-changed";
            world.putJob(changed, "succeeded");
            byte[] original = Events.body(changed, "succeeded").getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = Events.signedHeaders(Events.SECRET, Events.newId(), original);
            byte[] tampered = original.clone();
            tampered[tampered.length - 3] = (byte) (tampered[tampered.length - 3] + 1); // the job id's last character
            assertBare400(Events.post(Events.url(port), headers, tampered));
            refused.add(changed);
            byte[] latin1 = ("{\"type\":\"fine_tuning.job.succeeded\",\"note\":\"caf\u00e9\",\"data\":{\"id\":\"ftjob-wh-latin1\"}}")
                    .getBytes(StandardCharsets.ISO_8859_1);
            world.putJob("ftjob-wh-latin1", "succeeded");
            assertBare400(Events.post(Events.url(port), Events.signedHeaders(Events.SECRET, Events.newId(), latin1), latin1));
            refused.add("ftjob-wh-latin1");

            // 413 over 1 MiB, with a Content-Length and chunked; 405 another method; 404 another path
            byte[] big = new byte[(1 << 20) + 1];
            java.util.Arrays.fill(big, (byte) ' ');
            assertEquals(413, Events.post(Events.url(port), Events.signedHeaders(Events.SECRET, Events.newId(), big), big).statusCode());
            HttpRequest chunked = HttpRequest.newBuilder(URI.create(Events.url(port)))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[4 << 20]))).build();
            assertEquals(413, Events.send(chunked).statusCode());
            assertEquals(405, Events.send(HttpRequest.newBuilder(URI.create(Events.url(port))).GET().build()).statusCode());
            assertEquals(405, Events.send(HttpRequest.newBuilder(URI.create(Events.url(port)))
                    .PUT(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode());
            assertEquals(404, Events.post("http://127.0.0.1:" + port + "/webhooks/other", Map.of(), "{}".getBytes()).statusCode());
            assertEquals(404, Events.post("http://127.0.0.1:" + port + "/", Map.of(), "{}".getBytes()).statusCode());

            // every accepted event was delivered; then nothing refused was fetched, recorded or delivered
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (String job : accepted) {
                    assertTrue(Documents.names(world.fileDir).contains(job + ".succeeded.json"), job);
                }
            });
            String recorded = Files.readString(world.stateDir.resolve("webhook-events.log"));
            assertEquals(accepted.size(), recorded.lines().count(), recorded);
            for (String job : refused) {
                assertEquals(0, world.fetches(job), job + " was fetched");
                assertFalse(recorded.contains(job), job + " was recorded");
                assertFalse(Documents.names(world.fileDir).stream().anyMatch(n -> n.startsWith(job + ".")), job + " was delivered");
            }
        }
    }

    private void accept(int port, List<String> accepted, String job, String secret, long timestamp,
                        java.util.function.UnaryOperator<String> signatures) {
        world.putJob(job, "succeeded");
        HttpResponse<String> answer = post(port, job, secret, timestamp, signatures, null);
        assertEquals(200, answer.statusCode(), job + ": " + answer.body());
        accepted.add(job);
    }

    private void refuse(int port, List<String> refused, String job, String secret, long timestamp,
                        java.util.function.UnaryOperator<String> signatures, String without) {
        world.putJob(job, "succeeded");
        assertBare400(post(port, job, secret, timestamp, signatures, without));
        refused.add(job);
    }

    /** Every refusal looks the same: which check failed, or which secret, is not said. */
    private static void assertBare400(HttpResponse<String> answer) {
        assertEquals(400, answer.statusCode());
        assertEquals("", answer.body());
    }

    private static HttpResponse<String> post(int port, String job, String secret, long timestamp,
                                             java.util.function.UnaryOperator<String> signatures, String without) {
        String id = Events.newId();
        byte[] body = Events.body(job, "succeeded").getBytes(StandardCharsets.UTF_8);
        String signature = Events.sign(secret, id, timestamp, body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", "timestamp-text".equals(without) ? "12a" : String.valueOf(timestamp));
        headers.put("webhook-signature", signatures == null ? signature : signatures.apply(signature));
        if (without != null) {
            headers.remove(without);
        }
        return Events.post(Events.url(port), headers, body);
    }
}
