package dev.ftnotifier.observe;

import dev.ftnotifier.testing.Management;

import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probes of README "Running in production", over real HTTP on the management port, in each
 * state of the notifier: starting, running, API key rejected, stopping.
 */
class ProbesTest {

    @RegisterExtension
    LocalWorld world = new LocalWorld();

    private final Management management = new Management();

    @Test
    void probesAnswerForEachStateFromStartToStop() throws Exception {
        world.startClock();
        world.putJob("ftjob-probed", "running");
        Map<String, String> settings = management.on(world.allChannels(LocalWorld.CLOCK, "ftjob-probed"));
        settings.put("camel.main.shutdown-timeout", "10");
        CountDownLatch holdStart = new CountDownLatch(1);
        CountDownLatch configured = new CountDownLatch(1);
        // holds the start where the context is starting and its routes are not: the management server is up
        MainListenerSupport hold = new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport main) {
                main.getCamelContext().getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
                    @Override
                    public boolean isEnabled(CamelEvent event) {
                        return event instanceof CamelEvent.CamelContextRoutesStartingEvent;
                    }

                    @Override
                    public void notify(CamelEvent event) throws InterruptedException {
                        configured.countDown();
                        holdStart.await(30, TimeUnit.SECONDS);
                    }
                });
            }
        };
        CompletableFuture<RunningNotifier> starting = CompletableFuture.supplyAsync(() -> RunningNotifier.start(settings, hold));
        RunningNotifier notifier = null;
        try {
            // starting: the routes are read, the context not started yet
            assertTrue(configured.await(20, TimeUnit.SECONDS), "the start reached the routes");
            Management.Answer ready = management.get("/observe/health/ready");
            assertEquals(503, ready.status(), ready.body());
            assertEquals("DOWN", ready.check("lifecycle").path("status").asText(), ready.body());
            assertEquals(200, management.get("/observe/health/live").status(), "starting is alive: no restart");
            assertTrue(ready.check("lifecycle").path("message").asText().contains("not taking work"),
                    "the notifier's lifecycle check: " + ready.body());
            assertTrue(ready.check("context").isMissingNode(), "Camel's own context check is replaced: " + ready.body());
            holdStart.countDown();
            notifier = starting.get(30, TimeUnit.SECONDS);

            // running
            world.waitForPolls(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> management.get("/observe/health").status() == 200);
            Management.Answer health = management.get("/observe/health");
            for (String check : new String[] {"openai-api", "poll", "channel-file", "channel-slack", "channel-email"}) {
                assertEquals("UP", health.check(check).path("status").asText(), check + " in " + health.body());
            }
            assertTrue(health.check("poll").path("message").asText().startsWith("last successful poll 20"), health.body());
            assertEquals(200, management.get("/observe/health/live").status());
            assertEquals(200, management.get("/observe/health/ready").status());
            assertFalse(health.body().contains("test-key-not-a-secret"), health.body());

            // stopping: a Slack post hangs, so the graceful stop waits for it; meanwhile not ready
            world.slack.hangNext(1);
            long attempts = world.slack.attempts();
            world.api.setStatus("ftjob-probed", "succeeded");
            await().atMost(Duration.ofSeconds(20)).until(() -> world.slack.attempts() > attempts);
            RunningNotifier stopping = notifier;
            notifier = null;
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(stopping::close);
            await().atMost(Duration.ofSeconds(10)).until(() -> management.get("/observe/health/ready").status() == 503);
            Management.Answer down = management.get("/observe/health/ready");
            assertEquals("DOWN", down.check("lifecycle").path("status").asText(), down.body());
            assertEquals(200, management.get("/observe/health/live").status(), "stopping in order is alive: no kill");
            world.slack.releaseHangs();
            stopped.get(30, TimeUnit.SECONDS);
        } finally {
            holdStart.countDown();
            world.slack.releaseHangs();
            if (notifier != null) {
                notifier.close();
            } else if (!starting.isDone()) {
                starting.thenAccept(RunningNotifier::close);
            }
        }
    }

    @Test
    void aRejectedKeyIsDownInTheHealthBodyWithItsReasonWhileLiveAndReadyStayUp() {
        world.api.requireApiKey("test-key-the-api-wants");
        world.startClock();
        try (RunningNotifier notifier = RunningNotifier.start(management.on(world.properties(LocalWorld.CLOCK)))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> management.get("/observe/health").status() == 503);
            Management.Answer health = management.get("/observe/health");
            String message = health.check("openai-api").path("message").asText();
            assertEquals("DOWN", health.check("openai-api").path("status").asText(), health.body());
            // Camel's health body escapes '/' twice in a message, so the base URL is in the data (?data=true)
            assertTrue(message.startsWith("API key rejected: HTTP 401, since 20"), message);
            Management.Answer data = management.get("/observe/health?data=true");
            assertEquals("API key rejected by " + world.api.baseUrl() + ": HTTP 401",
                    data.check("openai-api").path("data").path("reason").asText(), data.body());
            assertEquals("no successful poll yet", health.check("poll").path("message").asText(), health.body());
            // a restart cures none of this: the pod stays alive and ready
            assertEquals(200, management.get("/observe/health/live").status());
            assertEquals(200, management.get("/observe/health/ready").status());
            String all = health.body() + management.get("/observe/health/live").body() + management.get("/observe/metrics").body();
            assertFalse(all.contains("test-key-not-a-secret"), "the key in a management body");
            assertTrue(management.metric("notifier_api_requests_total{outcome=\"client_error\"}") >= 1);
            assertEquals(0.0, management.metric("notifier_last_successful_poll_timestamp_seconds"));
        }
    }
}
