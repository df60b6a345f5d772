package dev.ftnotifier.process;

import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.simulator.SlackWebhookCapture;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.NotifierProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGTERM while a Slack post is under way: the post finishes, state is saved, the exit code is 0. */
class GracefulShutdownTest {

    @TempDir
    Path work;

    /** Only its clock: the job that never ends counts the polls of the second start. */
    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    private Process launch(FineTuningApiSimulator api, SlackWebhookCapture slack, String log) {
        return NotifierProcess.fromClasses()
                .env("OPENAI_API_KEY", "test-key-not-a-secret")
                .env("OPENAI_BASE_URL", api.baseUrl())
                .env("OPENAI_ORG_ID", "org-from-env")
                .env("OPENAI_PROJECT_ID", "proj_from_env")
                .env("NOTIFIER_JOBS", "ftjob-1," + LocalWorld.CLOCK)
                .env("NOTIFIER_POLL_INTERVAL", "200")
                .env("NOTIFIER_STATE_DIR", work.resolve("data").toString())
                .env("NOTIFIER_FILE_DIR", work.resolve("notifications").toString())
                .env("NOTIFIER_SLACK_WEBHOOK_URL", slack.url())
                .start(work.resolve(log));
    }

    @Test
    void sigtermLetsTheDeliveryUnderWayFinishAndExitsZero() throws Exception {
        FineTuningApiSimulator api = world.api;
        SlackWebhookCapture slack = world.slack;
        world.startClock();
        api.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
        api.setStatus("ftjob-1", "failed");
        slack.hangNext(1);
        Process process = launch(api, slack, "notifier.log");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> slack.attempts() == 1);
            process.destroy(); // SIGTERM
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(work.resolve("notifier.log")).contains("SIGTERM: stopping"));
            slack.releaseHangs(); // the hung post fails; the retry within the poll is made during the stop
            assertTrue(process.waitFor(40, TimeUnit.SECONDS), "stopped within the shutdown timeout");
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals(0, process.exitValue(), Files.readString(work.resolve("notifier.log")));
        assertEquals(1, slack.posts().size(), "the delivery under way was finished");
        // the SDKs' environment variables reach the request, as the README says
        assertEquals("org-from-env", api.requests().get(0).header("OpenAI-Organization"));
        assertEquals("proj_from_env", api.requests().get(0).header("OpenAI-Project"));
        assertTrue(Files.readString(work.resolve("data").resolve("deliveries.log")).contains("sent ftjob-1|failed|slack"),
                "and recorded");

        Process again = launch(api, slack, "again.log");
        try {
            long seen = api.requestCount("/v1/fine_tuning/jobs/ftjob-1");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(work.resolve("again.log")).contains(" started: polling "));
            world.waitForPolls(3); // polls of the second start, each of which would have fetched it
            assertEquals(seen, api.requestCount("/v1/fine_tuning/jobs/ftjob-1"), "finished before the stop: not fetched again");
        } finally {
            NotifierProcess.stop(again);
        }
        assertEquals(1, slack.posts().size());
    }
}
