package dev.ftnotifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import dev.ftnotifier.config.ConfigurationException;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.simulator.SlackWebhookCapture;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalSmtp;
import dev.ftnotifier.testing.RecordingWebhook;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.LogLines;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Channel instances made from settings, against real servers on 127.0.0.1. */
class ChannelInstancesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String MODEL = "gpt-4o-mini-2024-07-18";

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    @RegisterExtension
    final LogLines log = new LogLines();

    @BeforeEach
    void start() {
        world.startClock();
    }

    private Map<String, String> properties(String... jobs) {
        Map<String, String> p = world.properties();
        p.put("notifier.jobs", LocalWorld.CLOCK + "," + String.join(",", jobs));
        return p;
    }

    private void putJob(String id, String status) {
        world.api.putJob(SimulatedJob.queued(id, MODEL));
        world.api.setStatus(id, status);
    }

    private static long postsFor(SlackWebhookCapture capture, String jobId) {
        return capture.posts().stream().filter(p -> p.get("text").asText().contains(jobId + " ")).count();
    }

    @Test
    void twoSlackChannelsTakeTheirOwnStatuses() {
        putJob("ftjob-ok", "succeeded");
        world.api.putJob(SimulatedJob.queued("ftjob-bad", MODEL));
        world.api.fail("ftjob-bad", "invalid_n_examples", "too few examples", "training_file");
        try (SlackWebhookCapture feed = SlackWebhookCapture.start()) {
            Map<String, String> p = properties("ftjob-ok", "ftjob-bad");
            p.put("notifier.slack.webhook-url", world.slack.url());
            p.put("notifier.slack.statuses", "succeeded");
            p.put("notifier.channel.ml-feed.type", "slack");
            p.put("notifier.channel.ml-feed.webhook-url", feed.url());
            p.put("notifier.channel.ml-feed.statuses", "*");
            try (RunningNotifier ignored = RunningNotifier.start(p)) {
                await().atMost(DEADLINE).until(() -> world.slack.posts().size() == 1 && feed.posts().size() == 3);
                world.waitForPolls(3);
            }
            assertEquals(1, postsFor(world.slack, "ftjob-ok"), "the built-in channel: succeeded only");
            assertEquals(1, world.slack.posts().size());
            for (String job : List.of("ftjob-ok", "ftjob-bad", "ftjob-clock")) {
                assertEquals(1, postsFor(feed, job), "the feed takes every status: " + job);
            }
            assertEquals(3, feed.posts().size());
            // the generated routes are in no file: the start-up log names each with its template
            List<String> named = log.containing("channel routes, made from the templates");
            assertEquals(1, named.size(), String.join("\n", log.all()));
            for (String route : List.of("channel-slack (template channel)", "send-slack (template slack-send)",
                    "channel-ml-feed (template channel)", "send-ml-feed (template slack-send)", "send-file (template file-send)")) {
                assertTrue(named.get(0).contains(route), route + " in " + named.get(0));
            }
        }
    }

    @Test
    void aWebhookFailingTwiceWithinAPollPostsOnce() {
        putJob("ftjob-ok", "succeeded");
        try (RecordingWebhook hook = RecordingWebhook.start()) {
            hook.failNext(2, 500);
            Map<String, String> p = properties("ftjob-ok");
            p.put("notifier.channel.hook.type", "webhook");
            p.put("notifier.channel.hook.url", hook.baseUrl() + "/in");
            try (RunningNotifier ignored = RunningNotifier.start(p)) {
                await().atMost(DEADLINE).until(() -> hook.accepted().size() == 1);
                world.waitForPolls(3);
            }
            assertEquals(1, hook.accepted().size(), "exactly one accepted POST");
            assertEquals(3, hook.requests().size(), "two refused, then one accepted: " + hook.requests());
            assertTrue(hook.requests().stream().allMatch(r -> r.json().get("job_id").asText().equals("ftjob-ok")));
            assertEquals(1, Documents.names(world.fileDir).stream().filter(n -> n.startsWith("ftjob-ok.")).count());
        }
    }

    @Test
    void aWebhookFailingTwiceAcrossPollsStaysPendingThenPostsOnceAndTheJobFinishes() throws Exception {
        putJob("ftjob-bad", "failed");
        try (RecordingWebhook hook = RecordingWebhook.start()) {
            hook.failNext(2, 503);
            Map<String, String> p = properties("ftjob-bad");
            p.put("notifier.channel.attempts-per-poll", "0");
            p.put("notifier.channel.hook.type", "webhook");
            p.put("notifier.channel.hook.url", hook.baseUrl() + "/in");
            Path status = world.stateDir.resolve("status.json");
            try (RunningNotifier ignored = RunningNotifier.start(p)) {
                await().atMost(DEADLINE).until(() -> pending(status).contains("ftjob-bad|failed|hook"));
                await().atMost(DEADLINE).until(() -> hook.accepted().size() == 1);
                await().atMost(DEADLINE).until(() -> !pending(status).contains("ftjob-bad|failed|hook"));
                long fetches = world.api.requestCount("/v1/fine_tuning/jobs/ftjob-bad");
                world.waitForPolls(3);
                assertEquals(fetches, world.api.requestCount("/v1/fine_tuning/jobs/ftjob-bad"), "delivered everywhere: finished");
            }
            assertEquals(3, hook.requests().size());
            assertEquals(1, hook.accepted().size());
            assertTrue(Files.exists(Documents.path(world.fileDir, "ftjob-bad", "failed")));
        }
    }

    private static String pending(Path status) throws Exception {
        if (!Files.exists(status)) {
            return "";
        }
        JsonNode json = new ObjectMapper().readTree(status.toFile());
        return json.get("pending").toString();
    }

    @Test
    void aSecondEmailAndASecondFileChannelWithJobFilters() throws Exception {
        world.api.putJob(SimulatedJob.queued("ftjob-mini", "gpt-4o-mini-2024-07-18"));
        world.api.setStatus("ftjob-mini", "succeeded");
        world.api.putJob(SimulatedJob.queued("ftjob-big", "gpt-4o-2024-08-06"));
        world.api.setStatus("ftjob-big", "succeeded");
        Path miniDir = Files.createDirectories(world.stateDir.resolve("mini-docs"));
        GreenMail smtp = LocalSmtp.start();
        try {
            Map<String, String> p = properties("ftjob-mini", "ftjob-big");
            // the second mailing list uses the built-in channel's server
            p.put("notifier.email.smtp-host", "127.0.0.1");
            p.put("notifier.email.smtp-port", String.valueOf(smtp.getSmtp().getPort()));
            p.put("notifier.channel.big-models.type", "email");
            p.put("notifier.channel.big-models.to", "big@example.test");
            p.put("notifier.channel.big-models.filter.model", "gpt-4o-2*");
            p.put("notifier.channel.mini-docs.type", "file");
            p.put("notifier.channel.mini-docs.dir", miniDir.toString());
            p.put("notifier.channel.mini-docs.filter.model", "gpt-4o-mini*, gpt-3.5*");
            p.put("notifier.channel.mini-docs.statuses", "succeeded");
            try (RunningNotifier ignored = RunningNotifier.start(p)) {
                await().atMost(DEADLINE).until(() -> smtp.getReceivedMessages().length == 1
                        && Documents.names(miniDir).size() == 1 && Documents.names(world.fileDir).size() == 3);
                world.waitForPolls(3);
            }
            assertEquals(1, smtp.getReceivedMessages().length);
            assertTrue(smtp.getReceivedMessages()[0].getSubject().contains("ftjob-big"));
            assertEquals(List.of("ftjob-mini.succeeded.json"), Documents.names(miniDir));
        } finally {
            smtp.stop();
        }
    }

    @Test
    void deliveriesRecordedBeforeChannelsWereInstancesStayDone() throws Exception {
        world.api.putJob(SimulatedJob.queued("ftjob-bad", MODEL));
        world.api.fail("ftjob-bad", "invalid_n_examples", "too few examples", "training_file");
        // the delivery state an earlier version left: Slack and the file channel had delivered
        Files.writeString(world.stateDir.resolve("deliveries.log"), "sent ftjob-bad|failed|slack\nsent ftjob-bad|failed|file\n");
        GreenMail smtp = LocalSmtp.start();
        try {
            Map<String, String> p = properties("ftjob-bad");
            p.put("notifier.slack.webhook-url", world.slack.url());
            p.put("notifier.email.to", "team@example.test");
            p.put("notifier.email.smtp-host", "127.0.0.1");
            p.put("notifier.email.smtp-port", String.valueOf(smtp.getSmtp().getPort()));
            try (RunningNotifier ignored = RunningNotifier.start(p)) {
                await().atMost(DEADLINE).until(() -> smtp.getReceivedMessages().length == 1);
                world.waitForPolls(3);
            }
            assertEquals(List.of(), world.slack.posts(), "Slack had it already");
            assertFalse(Files.exists(Documents.path(world.fileDir, "ftjob-bad", "failed")), "so had the file channel");
            assertTrue(Files.readString(world.stateDir.resolve("deliveries.log")).contains("sent ftjob-bad|failed|email"));
        } finally {
            smtp.stop();
        }
    }

    @Test
    void aMistakeInAChannelsSettingsStopsTheStartNamingTheSetting() {
        Map<String, String> p = properties();
        p.put("notifier.channel.ml-feed.type", "slack");
        p.put("notifier.channel.ml-feed.webhook_url", "https://hooks.slack.com/services/T0/B0/secret-value");
        RuntimeException error = assertThrows(RuntimeException.class, () -> RunningNotifier.start(p).close());
        ConfigurationException cause = ConfigurationException.findIn(error);
        assertNotNull(cause, "a configuration error, not a crash: " + error);
        assertTrue(cause.getMessage().contains("notifier.channel.ml-feed.webhook_url"), cause.getMessage());
        assertFalse(cause.getMessage().contains("secret-value"), cause.getMessage());
    }
}
