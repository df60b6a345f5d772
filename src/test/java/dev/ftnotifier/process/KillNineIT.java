package dev.ftnotifier.process;

import com.icegreen.greenmail.util.GreenMail;
import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.simulator.SlackWebhookCapture;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalSmtp;
import dev.ftnotifier.testing.NotifierProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jar, run as an operator runs it, killed with SIGKILL between polls and in the
 * middle of a delivery, then started again with the same state folder.
 */
class KillNineIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final List<String> JOBS = List.of("ftjob-a", "ftjob-b", "ftjob-c");
    /** A job that runs for ever: its fetches count the polls (as LocalWorld's clock does). */
    private static final String CLOCK = "ftjob-clock";
    private static final List<String> CHANNELS = List.of("file", "slack", "email");

    @TempDir
    Path work;

    private FineTuningApiSimulator api;
    private SlackWebhookCapture slack;
    private GreenMail smtp;

    @BeforeEach
    void start() {
        api = FineTuningApiSimulator.start();
        slack = SlackWebhookCapture.start();
        smtp = LocalSmtp.start();
        JOBS.forEach(id -> api.putJob(SimulatedJob.queued(id, "gpt-4o-mini")));
        api.putJob(SimulatedJob.queued(CLOCK, "gpt-4o-mini"));
        api.setStatus(CLOCK, "running");
    }

    @AfterEach
    void stop() {
        api.close();
        slack.close();
        smtp.stop();
    }

    private Process launch(String logName) {
        assertTrue(Files.exists(Path.of("target", "fine-tuning-notifier.jar")), "run after mvn package");
        return NotifierProcess.fromJar()
                .env("OPENAI_API_KEY", "test-key-not-a-secret")
                .env("OPENAI_BASE_URL", api.baseUrl())
                .env("NOTIFIER_JOBS", String.join(",", JOBS) + "," + CLOCK)
                .env("NOTIFIER_POLL_INTERVAL", "200")
                .env("NOTIFIER_RETRY_INITIAL_BACKOFF", "100")
                .env("NOTIFIER_RETRY_MAX_BACKOFF", "400")
                .env("NOTIFIER_STATE_DIR", work.resolve("data").toString())
                .env("NOTIFIER_FILE_DIR", work.resolve("notifications").toString())
                .env("NOTIFIER_SLACK_WEBHOOK_URL", slack.url())
                .env("NOTIFIER_SLACK_STATUSES", "*")
                .env("NOTIFIER_EMAIL_TO", "team@example.test")
                .env("NOTIFIER_EMAIL_STATUSES", "*")
                .env("NOTIFIER_EMAIL_SMTP_HOST", "127.0.0.1")
                .env("NOTIFIER_EMAIL_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()))
                .start(work.resolve(logName));
    }

    private static void killNine(Process process) throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        assertEquals(137, process.exitValue(), "killed by SIGKILL");
    }

    private long slackPosts(String jobId, String status) {
        return slack.posts().stream().map(p -> p.get("text").asText())
                .filter(t -> t.contains(jobId + " ") && t.contains(status)).count();
    }

    private long mails(String jobId, String status) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains(jobId + " ") && m.getSubject().contains(status);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).count();
    }

    private long fetches(String jobId) {
        return api.requestCount("/v1/fine_tuning/jobs/" + jobId);
    }

    /** Waits until {@code polls} more polls fetched the clock job. */
    private void waitForPolls(int polls) {
        long seen = fetches(CLOCK);
        await().atMost(DEADLINE).until(() -> fetches(CLOCK) >= seen + polls);
    }

    /**
     * Waits until the journal says {@code sent} for this status on every channel. Slack's
     * capture keeps a post before it answers and the notifier journals {@code sent} after the
     * answer: a kill between the two leaves it {@code sending}, sent again after the restart.
     */
    private void waitForSent(String jobId, String status) {
        Path journal = work.resolve("data").resolve("deliveries.log");
        await().atMost(DEADLINE).until(() -> Files.exists(journal) && Files.readAllLines(journal)
                .containsAll(CHANNELS.stream().map(c -> "sent " + jobId + "|" + status + "|" + c).toList()));
    }

    private boolean delivered(String jobId, String status) {
        return slackPosts(jobId, status) >= 1 && mails(jobId, status) >= 1
                && Files.exists(Documents.path(work.resolve("notifications"), jobId, status));
    }

    @Test
    void killedBetweenPollsAndMidDeliveryEachStatusArrivesOnceOnEachChannel() throws Exception {
        JOBS.forEach(id -> api.setStatus(id, "running"));
        Process first = launch("first.log");
        try {
            await().atMost(DEADLINE).until(() -> JOBS.stream().allMatch(id -> delivered(id, "running")));
            JOBS.forEach(id -> waitForSent(id, "running"));
            waitForSent(CLOCK, "running");
        } finally {
            killNine(first);
        }

        // between two polls: the jobs move on while nothing runs
        api.setStatus("ftjob-a", "succeeded");
        api.fail("ftjob-b", "invalid_n_examples", "too few examples", "training_file");
        Process second = launch("second.log");
        try {
            await().atMost(DEADLINE).until(() -> delivered("ftjob-a", "succeeded") && delivered("ftjob-b", "failed"));
            waitForSent("ftjob-a", "succeeded");
            waitForSent("ftjob-b", "failed");
            // in the middle of a delivery: Slack takes the post and never answers
            slack.hangNext(1);
            api.setStatus("ftjob-c", "cancelled");
            int before = slack.attempts();
            await().atMost(DEADLINE).until(() -> slack.attempts() > before);
        } finally {
            killNine(second);
        }

        Process third = launch("third.log");
        try {
            await().atMost(DEADLINE).until(() -> delivered("ftjob-c", "cancelled"));
            waitForSent("ftjob-c", "cancelled");
            // every job is terminal and delivered: polls go on (the clock) without fetching them
            waitForPolls(1);
            List<Long> fetched = JOBS.stream().map(this::fetches).toList();
            waitForPolls(3);
            assertEquals(fetched, JOBS.stream().map(this::fetches).toList(), "finished jobs are no longer fetched");
        } finally {
            third.destroy();
            if (!third.waitFor(30, TimeUnit.SECONDS)) {
                third.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("SIGTERM did not stop the notifier within 30 s");
            }
        }

        for (String[] delivery : List.of(new String[] {"ftjob-a", "running"}, new String[] {"ftjob-b", "running"},
                new String[] {"ftjob-c", "running"}, new String[] {"ftjob-a", "succeeded"}, new String[] {"ftjob-b", "failed"},
                new String[] {"ftjob-c", "cancelled"}, new String[] {CLOCK, "running"})) {
            assertEquals(1, slackPosts(delivery[0], delivery[1]), "Slack " + String.join(" ", delivery));
            assertEquals(1, mails(delivery[0], delivery[1]), "email " + String.join(" ", delivery));
        }
        assertEquals(7, slack.posts().size());
        assertEquals(7, smtp.getReceivedMessages().length);
        assertEquals(7, Documents.names(work.resolve("notifications")).size());
        assertTrue(Files.readString(work.resolve("third.log")).contains("was in flight when the notifier stopped"),
                "the restart says which delivery it sends again");
    }
}
