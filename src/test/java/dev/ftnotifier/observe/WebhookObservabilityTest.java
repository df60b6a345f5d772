package dev.ftnotifier.observe;

import dev.ftnotifier.testing.Management;

import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import dev.ftnotifier.webhook.Events;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The webhook receiver in the management server, as an operator scrapes and probes it: every
 * request counted by how it was answered, and the {@code webhooks} check DOWN (readiness too)
 * while verified events cannot be recorded, UP again once one is.
 */
class WebhookObservabilityTest {

    @RegisterExtension
    LocalWorld world = new LocalWorld();

    private final Management management = new Management();
    private final int port = Events.freePort();

    @Test
    void everyAnswerIsCountedAndAStateFolderThatCannotBeWrittenIsLoudThenForgiven() throws IOException {
        String job = "ftjob-wh-observed";
        world.putJob(job, "failed");
        Map<String, String> p = management.on(Events.receiverOn(world.allChannels(), Events.SECRET, port));
        p.put("notifier.poll-interval", "3600000");
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(world.stateDir.resolve("status.json")));
            Management.Answer health = management.get("/observe/health");
            assertEquals("UP", health.check("webhooks").path("status").asText(), health.body());
            assertTrue(health.check("webhooks").path("message").asText().contains("no verified event yet"), health.body());

            // the state folder cannot be written: the event is answered 500, so OpenAI sends it again
            Path aside = world.stateDir.resolveSibling("data-aside");
            Files.move(world.stateDir, aside);
            Files.writeString(world.stateDir, "not a folder");
            String id = Events.newId();
            assertEquals(500, Events.send(port, Events.SECRET, id, job, "failed"));
            health = management.get("/observe/health");
            assertEquals(503, health.status());
            assertEquals("DOWN", health.check("webhooks").path("status").asText(), health.body());
            assertTrue(health.check("webhooks").path("message").asText().contains("cannot be recorded"), health.body());
            assertEquals(503, management.get("/observe/health/ready").status(), "no new events for an instance that cannot keep them");
            assertEquals(200, management.get("/observe/health/live").status(), "a restart cures no full or read-only disk");

            // the folder is back: OpenAI's next delivery of the same event is taken as new and told
            Files.delete(world.stateDir);
            Files.move(aside, world.stateDir);
            assertEquals(200, Events.send(port, Events.SECRET, id, job, "failed"));
            await().atMost(Duration.ofSeconds(20)).until(() -> world.slackPosts(job) == 1);
            assertEquals(200, Events.send(port, Events.SECRET, id, job, "failed"));
            byte[] other = "{\"id\":\"evt_2\",\"type\":\"batch.completed\",\"data\":{\"id\":\"batch_abc\"}}".getBytes(StandardCharsets.UTF_8);
            assertEquals(200, Events.post(Events.url(port), Events.signedHeaders(Events.SECRET, Events.newId(), other), other).statusCode());
            assertEquals(400, Events.send(port, Events.RAW_SECRET, job, "failed"), "signed with another secret");

            String metrics = management.get("/observe/metrics").body();
            for (Map.Entry<String, Double> expected : Map.of("accepted", 1.0, "duplicate", 1.0, "ignored", 1.0, "rejected", 1.0,
                    "error", 1.0).entrySet()) {
                assertEquals(expected.getValue(), management.metric("notifier_webhook_events_total{outcome=\"" + expected.getKey() + "\"}"),
                        expected.getKey() + "\n" + metrics);
            }
            health = management.get("/observe/health?data=true");
            assertEquals("UP", health.check("webhooks").path("status").asText(), health.body());
            assertTrue(health.check("webhooks").path("message").asText().contains("last verified event"), health.body());
            assertEquals(1, world.slackPosts(job));
            for (String body : new String[] {metrics, health.body()}) {
                assertFalse(body.contains(Events.SECRET) || body.contains(Events.SECRET.substring(6)), "the webhook secret is out");
            }
        }
    }

    @Test
    void withoutASecretThereIsNoReceiverToCheckOrCount() {
        Map<String, String> p = management.on(world.allChannels());
        world.putJob("ftjob-poll-only", "running");
        p.put("notifier.jobs", "ftjob-poll-only");
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> world.fetches("ftjob-poll-only") >= 1);
            Management.Answer health = management.get("/observe/health");
            assertTrue(health.check("webhooks").isMissingNode(), health.body());
            assertFalse(management.get("/observe/metrics").body().contains("notifier_webhook_events"));
        }
    }
}
