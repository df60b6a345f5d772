package dev.ftnotifier.pipeline;

import com.icegreen.greenmail.util.GreenMail;
import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.simulator.SlackWebhookCapture;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalSmtp;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each (job, status, channel) is delivered once: across failures, polls and restarts. */
class ExactlyOnceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path stateDir;
    @TempDir
    Path fileDir;

    private FineTuningApiSimulator api;
    private SlackWebhookCapture slack;
    private GreenMail smtp;

    @BeforeEach
    void start() {
        api = FineTuningApiSimulator.start();
        slack = SlackWebhookCapture.start();
        smtp = LocalSmtp.start();
    }

    @AfterEach
    void stop() {
        api.close();
        slack.close();
        smtp.stop();
    }

    private Map<String, String> properties(String... jobs) {
        Map<String, String> p = RunningNotifier.baseProperties(api.baseUrl(), stateDir, fileDir);
        p.put("notifier.jobs", String.join(",", jobs));
        p.put("notifier.slack.webhook-url", slack.url());
        p.put("notifier.email.to", "team@example.test");
        p.put("notifier.email.smtp-host", "127.0.0.1");
        p.put("notifier.email.smtp-port", String.valueOf(smtp.getSmtp().getPort()));
        return p;
    }

    private long mails(String jobId) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains(jobId);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).count();
    }

    private long slackPosts(String jobId) {
        return slack.posts().stream().filter(p -> p.get("text").asText().contains(jobId)).count();
    }

    @Test
    void slackFailingThreeTimesThenSucceedingGivesOnePostOneMailOneFile() throws Exception {
        api.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
        api.setStatus("ftjob-1", "succeeded");
        slack.failNext(3, 500);
        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-1"))) {
            await().atMost(DEADLINE).until(() -> slackPosts("ftjob-1") == 1);
            // the job is finished now: let polls pass and see nothing more arrive
            long fetches = api.requestCount("/v1/fine_tuning/jobs/ftjob-1");
            await().atMost(DEADLINE).until(() -> Files.exists(stateDir.resolve("status.json"))
                    && Files.readString(stateDir.resolve("status.json")).contains("\"pending\" : [ ]"));
            assertTrue(api.requestCount("/v1/fine_tuning/jobs/ftjob-1") <= fetches + 1, "finished: no longer fetched");
        }
        assertEquals(4, slack.attempts(), "three rejected posts (tried again within the poll), then one accepted");
        assertEquals(1, slackPosts("ftjob-1"));
        assertEquals(1, mails("ftjob-1"));
        assertEquals(List.of("ftjob-1.succeeded.json"), Documents.names(fileDir));
    }

    @Test
    void aJobMovingThroughStatusesAcrossRestartsIsToldEachStatusOnce() {
        api.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
        Map<String, String> props = properties("ftjob-1");
        props.put("notifier.slack.statuses", "*");
        props.put("notifier.email.statuses", "*");
        for (String status : List.of("queued", "running", "paused", "running", "failed")) {
            api.setStatus("ftjob-1", status);
            try (RunningNotifier ignored = RunningNotifier.start(props)) {
                await().atMost(DEADLINE).until(() -> slack.posts().stream()
                        .anyMatch(p -> p.get("text").asText().contains(status)));
                long seen = api.requestCount("/v1/fine_tuning/jobs/ftjob-1");
                if (!status.equals("failed")) {
                    await().atMost(DEADLINE).until(() -> api.requestCount("/v1/fine_tuning/jobs/ftjob-1") >= seen + 2);
                }
            }
        }
        // running came back after paused: it is the same (job, status), told once
        assertEquals(4, slack.posts().size(), "queued, running, paused, failed");
        assertEquals(4, smtp.getReceivedMessages().length);
        assertEquals(List.of("ftjob-1.failed.json", "ftjob-1.paused.json", "ftjob-1.queued.json", "ftjob-1.running.json"),
                Documents.names(fileDir));
    }

    @Test
    void aDeliveryCutOffByAStopIsMadeOnceAfterTheRestart() {
        api.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
        api.setStatus("ftjob-1", "failed");
        slack.hangNext(1);
        RunningNotifier first = RunningNotifier.start(properties("ftjob-1"));
        CompletableFuture<Void> stopping;
        try {
            await().atMost(DEADLINE).until(() -> slack.attempts() == 1);
            // stop while the Slack post hangs; the hang then ends with a dropped connection,
            // and the stop lets the delivery finish or leaves it pending
            stopping = CompletableFuture.runAsync(first::close);
            slack.releaseHangs();
            stopping.join();
        } finally {
            first.close();
        }
        assertTrue(slackPosts("ftjob-1") <= 1);
        assertEquals(1, mails("ftjob-1"), "email was delivered before the stop");

        try (RunningNotifier ignored = RunningNotifier.start(properties("ftjob-1"))) {
            await().atMost(DEADLINE).until(() -> slackPosts("ftjob-1") == 1);
            long seen = api.requestCount("/v1/fine_tuning/jobs/ftjob-1");
            await().atMost(DEADLINE).until(() -> Files.readString(stateDir.resolve("status.json")).contains("\"pending\" : [ ]"));
            assertTrue(api.requestCount("/v1/fine_tuning/jobs/ftjob-1") <= seen + 1);
        }
        assertEquals(1, slackPosts("ftjob-1"));
        assertEquals(1, mails("ftjob-1"), "email was not sent again");
    }
}
