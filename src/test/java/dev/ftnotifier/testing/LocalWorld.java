package dev.ftnotifier.testing;

import com.icegreen.greenmail.util.GreenMail;
import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.simulator.SlackWebhookCapture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Everything the notifier talks to, on 127.0.0.1: the API simulator, a Slack webhook
 * capture and an SMTP server (GreenMail), plus its state and notifications folders.
 * Closing it stops them all.
 */
public final class LocalWorld implements AutoCloseable, BeforeEachCallback, AfterEachCallback {

    public static final String MODEL = "gpt-4o-mini-2024-07-18";

    public FineTuningApiSimulator api;
    public SlackWebhookCapture slack;
    public GreenMail smtp;
    public Path stateDir;
    public Path fileDir;
    private Path dir;

    /** As a JUnit extension ({@code @RegisterExtension}): a new world for every test, in a fresh folder. */
    public LocalWorld() {
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("notifier-test-");
        open(dir);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        close();
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private LocalWorld(Path dir) {
        open(dir);
    }

    private void open(Path dir) {
        stateDir = dir.resolve("data");
        fileDir = dir.resolve("notifications");
        try {
            Files.createDirectories(stateDir);
            Files.createDirectories(fileDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        api = FineTuningApiSimulator.start();
        slack = SlackWebhookCapture.start();
        smtp = LocalSmtp.start();
    }

    public static LocalWorld start(Path dir) {
        return new LocalWorld(dir);
    }

    /** The notifier's settings for this world, watching {@code jobs}; only the file channel is on. */
    public Map<String, String> properties(String... jobs) {
        Map<String, String> p = RunningNotifier.baseProperties(api.baseUrl(), stateDir, fileDir);
        p.put("notifier.jobs", String.join(",", jobs));
        return p;
    }

    /** The same with Slack (the capture) and email (GreenMail, to team@example.test) on. */
    public Map<String, String> allChannels(String... jobs) {
        Map<String, String> p = properties(jobs);
        p.put("notifier.slack.webhook-url", slack.url());
        p.put("notifier.email.to", "team@example.test");
        p.put("notifier.email.smtp-host", "127.0.0.1");
        p.put("notifier.email.smtp-port", String.valueOf(smtp.getSmtp().getPort()));
        return p;
    }

    /** A job created now and moved to {@code status} the way the API moves it. */
    public void putJob(String id, String status) {
        api.putJob(SimulatedJob.queued(id, MODEL));
        api.setStatus(id, status);
    }

    /** A job that never ends: its fetches count the notifier's polls ({@link #waitForPolls}). */
    public static final String CLOCK = "ftjob-clock";

    /** Puts the {@link #CLOCK} job, running for ever. */
    public void startClock() {
        putJob(CLOCK, "running");
    }

    /** Waits until the notifier has fetched {@code jobId} {@code times} more times: that many polls passed for it. */
    public void waitForFetches(String jobId, int times) {
        long seen = fetches(jobId);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> fetches(jobId) >= seen + times);
    }

    /** Waits until {@code polls} more polls passed, counted on the {@link #CLOCK} job. */
    public void waitForPolls(int polls) {
        waitForFetches(CLOCK, polls);
    }

    /** How many times the notifier fetched this job. */
    public long fetches(String jobId) {
        return api.requestCount("/v1/fine_tuning/jobs/" + jobId);
    }

    /** Slack posts (accepted ones) whose text names the job. */
    public long slackPosts(String jobId) {
        return slack.posts().stream().filter(p -> p.get("text").asText().contains(jobId + " ")).count();
    }

    /** Distinct emails whose subject names the job (GreenMail keeps one copy per recipient). */
    public long mails(String jobId) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains(jobId + " ") || m.getSubject().endsWith(jobId);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).map(m -> {
            try {
                return m.getMessageID();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).distinct().count();
    }

    @Override
    public void close() {
        api.close();
        slack.close();
        smtp.stop();
    }
}
