package dev.ftnotifier.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftnotifier.simulator.JobArtifacts.Kind;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.LogLines;
import dev.ftnotifier.testing.RecordingWebhook;
import dev.ftnotifier.testing.RunningNotifier;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A succeeded job's final metrics and a failed job's last errors, as each channel shows them,
 * through the real routes against the simulator; and that neither can delay or lose a notification.
 */
class EnrichmentTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String CSV = """
            step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy
            1,1.9,0.41,,
            2,1.2,0.6,1.3104999,0.58
            3,0.8123456,0.7654321,,
            """;

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    @RegisterExtension
    final LogLines log = new LogLines();

    private Map<String, String> settings(String... jobs) {
        Map<String, String> p = world.allChannels(jobs);
        p.put("notifier.dashboard-url", "https://dash.example.test/jobs/{id}");
        return p;
    }

    private String resultFile(String jobId) {
        return world.api.job(jobId).resultFiles().get(0);
    }

    private JsonNode slackPost(String jobId) {
        return world.slack.posts().stream().filter(p -> p.get("text").asText().contains(jobId + " ")).findFirst().orElseThrow();
    }

    private String mailText(String jobId) throws Exception {
        MimeMessage mail = Arrays.stream(world.smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains(jobId);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).findFirst().orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.writeTo(out);
        return jakarta.mail.internet.MimeUtility.decodeText(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyChannelShowsTheFinalMetricsFromARawOrABase64File() throws Exception {
        world.putJob("ftjob-raw", "succeeded");
        world.putJob("ftjob-b64", "succeeded");
        world.api.artifacts().resultFile(resultFile("ftjob-raw"), CSV);
        world.api.artifacts().resultFileBase64(resultFile("ftjob-b64"), CSV.replace("0.8123456", "0.5"), true);
        try (RecordingWebhook hook = RecordingWebhook.start()) {
            Map<String, String> p = settings("ftjob-raw", "ftjob-b64");
            p.put("notifier.channel.hook.type", "webhook");
            p.put("notifier.channel.hook.url", hook.baseUrl() + "/events");
            try (RunningNotifier ignored = RunningNotifier.start(p)) {
                await().atMost(DEADLINE).until(() -> hook.accepted().size() == 2 && world.slackPosts("ftjob-raw") == 1
                        && world.mails("ftjob-raw") == 1 && Documents.names(world.fileDir).size() == 2);
            }
            // the file document
            JsonNode metrics = Documents.read(world.fileDir, "ftjob-raw", "succeeded").get("metrics");
            assertEquals(3, metrics.get("steps").asLong());
            assertEquals(0.8123456, metrics.get("train_loss").asDouble());
            assertEquals(0.7654321, metrics.get("train_accuracy").asDouble());
            assertEquals(1.3104999, metrics.get("valid_loss").asDouble(), "the last value given, not the last row's empty cell");
            assertEquals(0.58, metrics.get("valid_mean_token_accuracy").asDouble());
            JsonNode checkpoints = metrics.get("checkpoints");
            assertEquals(3, checkpoints.size());
            String model = world.api.job("ftjob-raw").fineTunedModel();
            assertEquals(model + ":ckpt-step-10", checkpoints.get(0).get("model").asText());
            assertEquals(10, checkpoints.get(0).get("step").asLong());
            assertTrue(checkpoints.get(0).get("metrics").has("train_loss"));
            assertEquals("https://dash.example.test/jobs/ftjob-raw",
                    Documents.read(world.fileDir, "ftjob-raw", "succeeded").get("dashboard_url").asText());
            assertEquals(0.5, Documents.read(world.fileDir, "ftjob-b64", "succeeded").get("metrics").get("train_loss").asDouble(),
                    "base64 is decoded");
            // the webhook gets the same document
            JsonNode posted = hook.accepted().stream().map(RecordingWebhook.Request::json)
                    .filter(d -> d.get("job_id").asText().equals("ftjob-raw")).findFirst().orElseThrow();
            assertEquals(0.8123456, posted.get("metrics").get("train_loss").asDouble());
        }
        // Slack: the text alone, and the blocks, as a reader sees them (4 significant digits)
        JsonNode post = slackPost("ftjob-raw");
        String text = post.get("text").asText();
        for (String fact : List.of("Steps 3", "final train loss 0.8123", "train token accuracy 0.7654", "validation loss 1.310",
                "validation token accuracy 0.5800", "ckpt-step-20 (step 20)", "Dashboard: https://dash.example.test/jobs/ftjob-raw")) {
            assertTrue(text.contains(fact), fact + " in " + text);
        }
        String blocks = post.get("blocks").toString();
        assertTrue(blocks.contains("*Final train loss:* 0.8123"), blocks);
        assertTrue(blocks.contains("<https://dash.example.test/jobs/ftjob-raw|Open in the dashboard>"), blocks);
        // email, text and HTML
        String mail = mailText("ftjob-raw");
        assertTrue(mail.contains("Train loss:        0.8123"), mail);
        assertTrue(mail.contains("Steps:             3"), mail);
        assertTrue(mail.contains("<th align=\"left\">Final validation loss</th><td>1.310</td>"), mail);
        assertTrue(mail.contains("<a href=\"https://dash.example.test/jobs/ftjob-raw\">"), mail);
    }

    @Test
    void aBrokenOversizedOrFailingFileLeavesTheNotificationWithoutMetricsAndItGoesOutOnce() {
        world.putJob("ftjob-garbled", "succeeded");
        world.putJob("ftjob-huge", "succeeded");
        world.putJob("ftjob-down", "succeeded");
        world.api.artifacts().resultFileBytes(resultFile("ftjob-garbled"), "<html>oops</html>".getBytes(StandardCharsets.UTF_8));
        byte[] huge = new byte[11 << 20];
        Arrays.fill(huge, (byte) '1');
        System.arraycopy("step,train_loss\n".getBytes(StandardCharsets.US_ASCII), 0, huge, 0, 16);
        world.api.artifacts().resultFileBytes(resultFile("ftjob-huge"), huge);
        // every try of the first poll fails (the first try and openai.max-retries more): no metrics, and
        // no second notification once the file answers again
        world.api.artifacts().failNext(Kind.RESULT_FILE, resultFile("ftjob-down"), 2, 503);
        world.putJob("ftjob-nofile", "succeeded");
        world.api.artifacts().failNext(Kind.RESULT_FILE, resultFile("ftjob-nofile"), 1, 404);
        world.startClock();
        Map<String, String> p = settings("ftjob-garbled", "ftjob-huge", "ftjob-down", "ftjob-nofile", LocalWorld.CLOCK);
        p.put("openai.max-retries", "1");
        try (RunningNotifier ignored = RunningNotifier.start(p)) {
            await().atMost(DEADLINE).until(() -> Documents.names(world.fileDir).size() >= 4
                    && world.slackPosts("ftjob-garbled") + world.slackPosts("ftjob-huge") + world.slackPosts("ftjob-down")
                    + world.slackPosts("ftjob-nofile") == 4);
            world.waitForPolls(3);
        }
        // what failed is named: the job's result file, not the job (which was found, and is not fetched again)
        assertEquals(List.of(), log.containing("ftjob-nofile not found"), "the job was found; its result file was not");
        assertEquals(1, log.containing("ftjob-nofile", "its result file not found (HTTP 404").size(), log.containing("ftjob-nofile").toString());
        assertEquals(List.of(), log.containing("ftjob-down", "tried again next poll"), "the result file is not fetched again");
        assertEquals(1, log.containing("ftjob-down", "did not give its result file").size(), log.containing("ftjob-down").toString());
        for (String job : List.of("ftjob-garbled", "ftjob-huge", "ftjob-down", "ftjob-nofile")) {
            assertTrue(Documents.read(world.fileDir, job, "succeeded").get("metrics").isNull(), job + Documents.read(world.fileDir, job, "succeeded"));
            assertEquals(1, world.slackPosts(job), "exactly once: " + job);
            assertEquals(1, world.mails(job), "exactly once: " + job);
            assertTrue(slackPost(job).get("text").asText().contains("Metrics unavailable."), job);
        }
    }

    @Test
    void aHangingResultFileDelaysTheNotificationByNoMoreThanTheEnrichTimeout() {
        world.putJob("ftjob-slow", "succeeded");
        world.api.artifacts().delayNext(Kind.RESULT_FILE, resultFile("ftjob-slow"), 1, Duration.ofSeconds(5));
        Map<String, String> p = settings("ftjob-slow");
        p.put("notifier.enrich.timeout", "1s");
        try (RunningNotifier ignored = RunningNotifier.start(p)) {
            await().atMost(DEADLINE).until(() -> Documents.names(world.fileDir).size() == 1);
            Instant asked = world.api.requests().stream().filter(r -> r.path().endsWith("/content")).findFirst().orElseThrow().at();
            Instant written = Documents.path(world.fileDir, "ftjob-slow", "succeeded").toFile().lastModified() > 0
                    ? Instant.ofEpochMilli(Documents.path(world.fileDir, "ftjob-slow", "succeeded").toFile().lastModified()) : null;
            assertTrue(Duration.between(asked, written).toMillis() < 4000,
                    "the document came " + Duration.between(asked, written) + " after the result file was asked for");
        }
        assertTrue(Documents.read(world.fileDir, "ftjob-slow", "succeeded").get("metrics").isNull());
    }

    @Test
    void aFailedJobQuotesItsLastErrorsNewestFirstEscaped() throws Exception {
        world.putJob("ftjob-broke", "failed");
        world.api.fail("ftjob-broke", "server_error", "The job failed due to an internal error.", null);
        world.api.artifacts().events("ftjob-broke", """
                {"object":"list","data":[
                 {"object":"fine_tuning.job.event","id":"e5","created_at":500,"level":"error","message":"Job failed <!channel> & <https://evil.example|click>"},
                 {"object":"fine_tuning.job.event","id":"e4","created_at":400,"level":"info","message":"Step 90/100: training loss=0.2"},
                 {"object":"fine_tuning.job.event","id":"e3","created_at":300,"level":"warn","message":"Loss is unstable: <b>check</b> the data"},
                 {"object":"fine_tuning.job.event","id":"e2","created_at":200,"level":"error","message":"older error"},
                 {"object":"fine_tuning.job.event","id":"e1","created_at":100,"level":"error","message":"oldest error, not shown"}
                ],"has_more":false}""");
        try (RunningNotifier ignored = RunningNotifier.start(settings("ftjob-broke"))) {
            await().atMost(DEADLINE).until(() -> world.slackPosts("ftjob-broke") == 1 && world.mails("ftjob-broke") == 1
                    && Documents.names(world.fileDir).size() == 1);
        }
        assertEquals(List.of("Job failed <!channel> & <https://evil.example|click>", "Loss is unstable: <b>check</b> the data",
                        "older error"),
                Documents.read(world.fileDir, "ftjob-broke", "failed").get("failure_events").findValuesAsText("x").isEmpty()
                        ? toList(Documents.read(world.fileDir, "ftjob-broke", "failed").get("failure_events")) : List.of());
        String text = slackPost("ftjob-broke").get("text").asText();
        int newest = text.indexOf("Job failed &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;");
        int warning = text.indexOf("Loss is unstable");
        int older = text.indexOf("older error");
        assertTrue(newest > 0 && newest < warning && warning < older, text);
        assertFalse(text.contains("<!channel>"), text);
        assertFalse(text.contains("oldest error"), text);
        String mail = mailText("ftjob-broke");
        assertTrue(mail.contains("<li>Loss is unstable: &lt;b&gt;check&lt;/b&gt; the data</li>"), mail);
        assertFalse(mail.contains("<li>Loss is unstable: <b>"), mail);
    }

    private static List<String> toList(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
