package dev.ftnotifier.observe;

import dev.ftnotifier.testing.Management;

import dev.ftnotifier.notify.SelfAlert;
import dev.ftnotifier.simulator.FineTuningApiSimulator.Fault;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Arrays;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /observe/metrics, scraped over HTTP, counts what the local API simulator, Slack and SMTP saw:
 * every request with its outcome, every delivery and failed attempt per channel and status.
 */
class MetricsTest {

    @RegisterExtension
    LocalWorld world = new LocalWorld();

    private final Management management = new Management();

    @Test
    void theMetricsCountWhatTheApiSlackAndTheMailboxSaw() {
        world.putJob("ftjob-done", "succeeded");
        world.putJob("ftjob-broke", "failed");
        world.api.failNext("ftjob-done", 1, Fault.status(503));
        world.slack.failNext(1, 500);
        double startedAt = System.currentTimeMillis() / 1000.0;
        try (RunningNotifier notifier = RunningNotifier.start(management.on(world.allChannels("ftjob-done", "ftjob-broke")))) {
            // both jobs are told everywhere, then no longer fetched: the counts settle
            // said as one line, so that a wait that times out says which part was missing
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(
                    "slack 1/1, mails 1/1, finished 2.0", told()));
            long requests = world.api.requests().size();
            await().atMost(Duration.ofSeconds(10)).until(() -> sum("notifier_api_requests_total{") == world.api.requests().size());

            String body = management.get("/observe/metrics").body();
            assertEquals(1.0, management.metric("notifier_api_requests_total{outcome=\"server_error\"}"), body);
            assertEquals(requests - 1, management.metric("notifier_api_requests_total{outcome=\"ok\"}"), body);
            assertEquals(requests, management.metric("notifier_api_request_duration_seconds_count"), body);
            assertTrue(management.metric("notifier_api_request_duration_seconds_bucket{le=\"+Inf\"}") == requests, body);
            for (String channel : new String[] {"file", "slack", "email"}) {
                for (String status : new String[] {"succeeded", "failed"}) {
                    assertEquals(1.0, management.metric("notifier_notifications_total{channel=\"" + channel
                            + "\",outcome=\"delivered\",status=\"" + status + "\"}"), channel + " " + status + "\n" + body);
                }
            }
            // the one Slack post that failed (whichever job it was for), and the mails GreenMail holds
            assertEquals(1.0, sum("notifier_notifications_total{channel=\"slack\",outcome=\"failed\""), body);
            assertEquals(world.slack.attempts(), sum("notifier_notifications_total{channel=\"slack\""), body);
            assertEquals(Arrays.stream(world.smtp.getReceivedMessages()).count(), sum("notifier_notifications_total{channel=\"email\""));
            assertEquals(Documents.names(world.fileDir).size(), sum("notifier_notifications_total{channel=\"file\""));
            assertEquals(0.0, management.metric("notifier_deliveries_pending"), body);
            assertEquals(0.0, management.metric("notifier_jobs_watched"), body);
            assertTrue(management.metric("notifier_polls_total") >= 1, body);
            assertTrue(management.metric("notifier_last_successful_poll_timestamp_seconds") >= startedAt - 1, body);
            // Camel's own route metrics beside ours
            assertTrue(body.contains("camel_exchanges_total{") && body.contains("routeId=\"poll-jobs\""), body);
            for (String secret : new String[] {"test-key-not-a-secret", world.slack.url()}) {
                assertFalse(body.contains(secret), "a secret in the metrics");
            }
        }
    }

    /** The router's decision (here: it knows succeeded only) caps the label; the notifier's own events keep theirs. */
    @Test
    void statusLabelsAreTheStateKeysCappedToTheKnownOnes() {
        java.util.function.Predicate<String> known = java.util.Set.of("succeeded")::contains;
        assertEquals("succeeded", NotifierMetrics.status("ftjob-1", "succeeded", known));
        assertEquals("other", NotifierMetrics.status("ftjob-1", "hostile_status_9f3a", known));
        assertEquals("stuck", NotifierMetrics.status("ftjob-1", "stuck-running-1765000000", known));
        assertEquals("digest", NotifierMetrics.status("~digest", "1765000000", known));
        assertEquals("self-alert", NotifierMetrics.status(SelfAlert.JOB, "api-1765000000", known));
        assertEquals("self-recovered", NotifierMetrics.status(SelfAlert.JOB, "api-1765000000-recovered", known));
    }

    private String told() {
        return "slack " + world.slackPosts("ftjob-done") + "/" + world.slackPosts("ftjob-broke")
                + ", mails " + world.mails("ftjob-done") + "/" + world.mails("ftjob-broke")
                + ", finished " + management.metric("notifier_jobs_finished");
    }

    /** The sum of every series whose line starts with {@code prefix}. */
    private double sum(String prefix) {
        return management.get("/observe/metrics").body().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
