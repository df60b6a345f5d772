package dev.ftnotifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.simulator.SlackWebhookCapture;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalSmtp;
import dev.ftnotifier.testing.ReadmeExamples;
import dev.ftnotifier.testing.RecordingWebhook;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worked examples of README.md's "Changing the routing", run with the settings exactly as
 * the README shows them (only URLs and servers pointed at local stand-ins).
 */
class RoutingExamplesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String MODEL = "gpt-4o-mini-2024-07-18";

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    @BeforeEach
    void start() {
        world.startClock();
    }

    private Map<String, String> properties(String... jobs) {
        Map<String, String> p = world.properties();
        p.put("notifier.jobs", LocalWorld.CLOCK + "," + String.join(",", jobs));
        p.put("notifier.slack.webhook-url", world.slack.url());
        return p;
    }

    private void putJob(String id, String status, Map<String, String> metadata) {
        world.api.putJob(SimulatedJob.queued(id, MODEL).withMetadata(metadata));
        world.api.setStatus(id, status);
    }

    private static long postsFor(SlackWebhookCapture capture, String jobId) {
        return capture.posts().stream().filter(p -> p.get("text").asText().contains(jobId + " ")).count();
    }

    @Test
    void example1OneProjectsFailuresAlsoGoToASecondSlackChannel() {
        Map<String, String> example = ReadmeExamples.properties("second-slack");
        assertEquals("recsys", example.get("notifier.channel.recsys-oncall.filter.metadata.project"));
        putJob("ftjob-recsys-bad", "failed", Map.of("project", "recsys"));
        putJob("ftjob-recsys-ok", "succeeded", Map.of("project", "recsys"));
        putJob("ftjob-search-bad", "failed", Map.of("project", "search"));
        putJob("ftjob-plain-bad", "failed", null);
        try (SlackWebhookCapture oncall = SlackWebhookCapture.start()) {
            Map<String, String> p = properties("ftjob-recsys-bad", "ftjob-recsys-ok", "ftjob-search-bad", "ftjob-plain-bad");
            p.putAll(example);
            p.put("notifier.channel.recsys-oncall.webhook-url", oncall.url());
            try (RunningNotifier ignored = RunningNotifier.start(p)) {
                await().atMost(DEADLINE).until(() -> world.slack.posts().size() == 4 && oncall.posts().size() == 1);
                world.waitForPolls(3);
            }
            assertEquals(1, postsFor(oncall, "ftjob-recsys-bad"), "the project's failure reached #recsys-oncall");
            assertEquals(1, oncall.posts().size(), "nothing else did: " + oncall.posts());
            assertEquals(4, world.slack.posts().size(), "the usual channel still gets every terminal job");
            for (String job : List.of("ftjob-recsys-bad", "ftjob-recsys-ok", "ftjob-search-bad", "ftjob-plain-bad")) {
                assertEquals(1, postsFor(world.slack, job), job);
            }
        }
    }

    @Test
    void example2AGenericWebhookGetsTheFileChannelsDocument() throws Exception {
        Map<String, String> example = ReadmeExamples.properties("webhook");
        putJob("ftjob-bad", "failed", null);
        world.api.fail("ftjob-bad", "invalid_n_examples", "too few examples", "training_file");
        try (RecordingWebhook service = RecordingWebhook.start()) {
            Map<String, String> p = properties("ftjob-bad");
            p.putAll(example);
            String url = example.get("notifier.channel.ml-events.url");
            p.put("notifier.channel.ml-events.url", url.replace("https://ml-events.example.com", service.baseUrl()));
            try (RunningNotifier ignored = RunningNotifier.start(p)) {
                // the statuses '*' take the running job too
                await().atMost(DEADLINE).until(() -> service.accepted().size() == 2);
                world.waitForPolls(3);
            }
            assertEquals(2, service.requests().size(), "one POST per (job, status): " + service.requests());
            RecordingWebhook.Request failure = service.requests().stream()
                    .filter(r -> r.json().get("job_id").asText().equals("ftjob-bad")).findFirst().orElseThrow();
            assertEquals("POST", failure.method());
            assertEquals("/fine-tuning", failure.path());
            assertEquals("application/json; charset=utf-8", failure.header("Content-Type"));
            assertEquals(example.get("notifier.channel.ml-events.header.X-Api-Key"), failure.header("X-Api-Key"));
            assertTrue(failure.header("User-Agent").startsWith("fine-tuning-notifier/"), failure.header("User-Agent"));
            assertEquals(Files.readString(Documents.path(world.fileDir, "ftjob-bad", "failed")), failure.body(),
                    "the very document the file channel wrote");
            JsonNode doc = failure.json();
            assertEquals("invalid_n_examples", doc.get("error").get("code").asText());
            assertEquals("ftjob-bad", doc.get("job").get("id").asText());
        }
    }

    @Test
    void example3OnlyProductionJobsPageByEmail() throws Exception {
        Map<String, String> example = ReadmeExamples.properties("email-prod-only");
        assertEquals(Map.of("notifier.email.filter.metadata.env", "prod"), example);
        putJob("ftjob-prod", "failed", Map.of("env", "prod", "team", "ranking"));
        putJob("ftjob-dev", "failed", Map.of("env", "dev"));
        putJob("ftjob-none", "failed", null);
        GreenMail smtp = LocalSmtp.start();
        try {
            Map<String, String> p = properties("ftjob-prod", "ftjob-dev", "ftjob-none");
            p.put("notifier.email.to", "oncall@example.test");
            p.put("notifier.email.smtp-host", "127.0.0.1");
            p.put("notifier.email.smtp-port", String.valueOf(smtp.getSmtp().getPort()));
            p.putAll(example);
            try (RunningNotifier ignored = RunningNotifier.start(p)) {
                await().atMost(DEADLINE).until(() -> smtp.getReceivedMessages().length == 1 && world.slack.posts().size() == 3
                        && Files.exists(Documents.path(world.fileDir, "ftjob-none", "failed")));
                world.waitForPolls(2);
                long devFetches = world.api.requestCount("/v1/fine_tuning/jobs/ftjob-dev");
                world.waitForPolls(3);
                assertEquals(devFetches, world.api.requestCount("/v1/fine_tuning/jobs/ftjob-dev"),
                        "the dev job went everywhere it goes, so it is finished and no longer fetched");
            }
            assertEquals(1, smtp.getReceivedMessages().length, "only the production job was mailed");
            assertTrue(smtp.getReceivedMessages()[0].getSubject().contains("ftjob-prod"));
            for (String job : List.of("ftjob-prod", "ftjob-dev", "ftjob-none")) {
                assertEquals(1, postsFor(world.slack, job), "Slack still gets " + job);
                assertTrue(Files.exists(Documents.path(world.fileDir, job, "failed")), "the file channel still gets " + job);
            }
        } finally {
            smtp.stop();
        }
    }
}
