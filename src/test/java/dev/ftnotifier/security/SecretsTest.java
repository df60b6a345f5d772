package dev.ftnotifier.security;

import com.icegreen.greenmail.util.GreenMail;
import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.simulator.SlackWebApiCapture;
import dev.ftnotifier.simulator.SlackWebhookCapture;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalSmtp;
import dev.ftnotifier.testing.NotifierProcess;
import dev.ftnotifier.testing.RecordingWebhook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the real entry point in its own JVM at DEBUG level through deliveries, a rejected
 * Slack post, a rejected webhook POST, a 401, a refused SMTP login (wrong password) and an
 * unreachable Slack and webhook, then searches everything it wrote for the secrets.
 */
class SecretsTest {

    private static final String API_KEY = "test-api-key-4f1d2c";
    private static final String SMTP_PASSWORD = "test-smtp-password-9a8b";
    /** Refused by the SMTP server, and still a secret: an operator's typo is one letter from the real one. */
    private static final String WRONG_SMTP_PASSWORD = "wrong-smtp-password-7c6d";
    /** A generic webhook's URL (path, query, user:password) and header value are secrets too. */
    private static final List<String> WEBHOOK_SECRETS =
            List.of("hook-path-secret-1c", "hook-query-secret-2d", "hook-userinfo-secret-3e", "hook-header-secret-4f");
    /** A Slack bot token (a second Slack instance posting in threads through the Web API). */
    private static final String SLACK_TOKEN = "test-slack-bot-token-5e6f-not-a-secret";
    private String slackServerUrl;

    /** The OpenAI webhook signing secret: its key text, its base64 and the whole whsec_ form are all secrets. */
    private static final String WEBHOOK_KEY = "test-webhook-secret-6h5g";
    private static final String WEBHOOK_SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString(WEBHOOK_KEY.getBytes(StandardCharsets.UTF_8));
    private final int webhookPort = dev.ftnotifier.webhook.Events.freePort();

    @TempDir
    Path work;

    @Test
    void noSecretReachesTheLogOrANotification() throws Exception {
        try (FineTuningApiSimulator api = FineTuningApiSimulator.start();
             SlackWebhookCapture slack = SlackWebhookCapture.start();
             RecordingWebhook hook = RecordingWebhook.start();
             SlackWebApiCapture threads = SlackWebApiCapture.start(SLACK_TOKEN)) {
            slackServerUrl = threads.serverUrl();
            GreenMail smtp = LocalSmtp.start();
            try {
                smtp.setUser("notifier@example.test", "notifier", SMTP_PASSWORD);
                api.requireApiKey(API_KEY);
                api.putJob(SimulatedJob.queued("ftjob-bad", "gpt-4o-mini"));
                api.fail("ftjob-bad", "invalid_n_examples", "too few examples", "training_file");
                api.putJob(SimulatedJob.queued("ftjob-ok", "gpt-4o-mini"));
                api.setStatus("ftjob-ok", "succeeded");
                slack.failNext(1, 500);
                hook.failNext(1, 500);
                String webhookSecret = slack.url().substring(slack.url().indexOf("/services/"));

                Path log = work.resolve("notifier.log");
                Process process = start(api, slack, smtp, hook, log, "ftjob-bad,ftjob-ok");
                try {
                    await().atMost(Duration.ofSeconds(60)).until(() -> slack.posts().size() == 2
                            && smtp.getReceivedMessages().length == 2 && hook.accepted().size() == 2
                            && threads.posts().size() == 2);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    NotifierProcess.stop(process);
                    throw new AssertionError("deliveries did not arrive; the notifier said:\n"
                            + tail(Files.readString(log)), e);
                }
                try {
                    // a signed webhook event and a forged one reach the receiver (on with the secret)
                    api.putJob(SimulatedJob.queued("ftjob-pushed", "gpt-4o-mini"));
                    api.setStatus("ftjob-pushed", "cancelled");
                    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                            dev.ftnotifier.webhook.Events.send(webhookPort, WEBHOOK_SECRET, "ftjob-pushed", "cancelled") == 200);
                    assertEquals(400, dev.ftnotifier.webhook.Events.send(webhookPort, "whsec_" + java.util.Base64.getEncoder().encodeToString(
                            "a-forger-key-not-the-secret".getBytes(StandardCharsets.UTF_8)),
                            "ftjob-pushed", "cancelled"));
                    await().atMost(Duration.ofSeconds(60)).until(() -> slack.posts().size() == 3
                            && Files.readString(log).contains("webhook refused"));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("the webhook events were not taken; the notifier said:\n"
                            + tail(Files.readString(log)), e);
                } finally {
                    NotifierProcess.stop(process);
                }
                // and a rejected key, on a job not finished yet
                api.requireApiKey("another-key");
                api.putJob(SimulatedJob.queued("ftjob-later", "gpt-4o-mini"));
                Process rejected = start(api, slack, smtp, hook, work.resolve("rejected.log"), "ftjob-later");
                try {
                    await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(work.resolve("rejected.log"))
                            .contains("API key rejected"));
                } finally {
                    NotifierProcess.stop(rejected);
                }
                // and every channel refusing or unreachable: a wrong SMTP password, nothing
                // listening where Slack and the webhook should be (their URLs keep their secrets)
                api.requireApiKey(API_KEY);
                api.putJob(SimulatedJob.queued("ftjob-refused", "gpt-4o-mini"));
                api.fail("ftjob-refused", "invalid_n_examples", "too few examples", "training_file");
                int closed = LocalSmtp.closedPort();
                String nowhere = "http://127.0.0.1:" + closed;
                String slackNowhere = slack.url().replaceFirst("^http://127\\.0\\.0\\.1:\\d+", nowhere);
                assertTrue(slackNowhere.startsWith(nowhere + "/services/"), slackNowhere);
                Path refusedLog = work.resolve("refused.log");
                Process refused = start(api, slackNowhere, smtp, WRONG_SMTP_PASSWORD, nowhere, refusedLog, "ftjob-refused");
                try {
                    await().atMost(Duration.ofSeconds(60)).until(() -> {
                        String said = Files.readString(refusedLog, StandardCharsets.ISO_8859_1);
                        return Stream.of("slack", "email", "hook")
                                .allMatch(c -> said.contains("channel-" + c + ": delivery failed for job ftjob-refused"));
                    });
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("the refused deliveries were not logged; the notifier said:\n"
                            + tail(Files.readString(refusedLog)), e);
                } finally {
                    NotifierProcess.stop(refused);
                }
                String refusedText = Files.readString(refusedLog, StandardCharsets.ISO_8859_1);
                assertTrue(refusedText.lines().anyMatch(l -> l.contains("channel-email: delivery failed")
                                && l.contains("uthentication")),
                        "the SMTP login was refused: " + refusedText.lines().filter(l -> l.contains("channel-email: delivery failed")).toList());
                assertEquals(0, java.util.Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
                    try {
                        return m.getSubject().contains("ftjob-refused");
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }).count(), "nothing mailed with the wrong password");

                List<Path> written = new ArrayList<>(List.of(log, work.resolve("rejected.log"), refusedLog));
                try (Stream<Path> files = Files.walk(work)) {
                    files.filter(Files::isRegularFile).forEach(written::add);
                }
                StringBuilder everything = new StringBuilder();
                for (Path p : written) {
                    everything.append(Files.readString(p, StandardCharsets.ISO_8859_1));
                }
                slack.posts().forEach(p -> everything.append(p.toString()));
                threads.posts().forEach(p -> everything.append(p.toString()));
                hook.requests().forEach(r -> everything.append(r.body()));
                for (var m : smtp.getReceivedMessages()) {
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    m.writeTo(raw);
                    everything.append(raw.toString(StandardCharsets.ISO_8859_1));
                }
                String text = everything.toString();
                assertTrue(text.contains("delivered to slack"), "the log was captured");
                assertTrue(text.contains("webhook hook answered HTTP 500"), "the rejected webhook POST was logged");
                // the webhook's secrets came from the environment and reached the webhook, and only it
                RecordingWebhook.Request post = hook.accepted().get(0);
                assertTrue(post.path().contains("hook-path-secret-1c") && post.query().contains("hook-query-secret-2d"));
                assertEquals("hook-header-secret-4f", post.header("X-Api-Key"));
                assertTrue(post.header("Authorization").startsWith("Basic "));
                assertTrue(text.contains("DEBUG"), "at debug level");
                assertTrue(Documents.names(work.resolve("notifications")).size() >= 2);
                assertTrue(text.contains("webhook refused (HTTP 400)"), "the forged event was logged");
                List<String> secrets = new ArrayList<>(List.of(API_KEY, SMTP_PASSWORD, WRONG_SMTP_PASSWORD, webhookSecret, "not-a-real-secret",
                        SLACK_TOKEN, WEBHOOK_KEY, WEBHOOK_SECRET, WEBHOOK_SECRET.substring("whsec_".length())));
                secrets.addAll(WEBHOOK_SECRETS);
                for (String secret : secrets) {
                    assertFalse(text.contains(secret), "a secret leaked: " + secret + " in: "
                            + text.lines().filter(l -> l.contains(secret)).limit(3).toList());
                }
            } finally {
                smtp.stop();
            }
        }
    }

    private static String tail(String text) {
        return text.lines().filter(l -> !l.startsWith("\tat ")).skip(Math.max(0, text.lines().count() - 400))
                .reduce("", (a, b) -> a + b + "\n");
    }

    private Process start(FineTuningApiSimulator api, SlackWebhookCapture slack, GreenMail smtp, RecordingWebhook hook,
                          Path log, String jobs) {
        return start(api, slack.url(), smtp, SMTP_PASSWORD, hook.baseUrl(), log, jobs);
    }

    private Process start(FineTuningApiSimulator api, String slackUrl, GreenMail smtp, String smtpPassword, String hookBaseUrl,
                          Path log, String jobs) {
        // a generic webhook, declared with -D; its secrets come from the environment, as the README says
        return NotifierProcess.fromClasses("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                        "-Dnotifier.channel.hook.type=webhook", "-Dnotifier.channel.hook.url=",
                        "-Dnotifier.channel.hook.header.X-Api-Key=",
                        "-Dnotifier.channel.threads.type=slack", "-Dnotifier.channel.threads.channel=C0THREADS",
                        "-Dnotifier.channel.threads.server-url=" + slackServerUrl, "-Dnotifier.channel.threads.token=")
                .env("OPENAI_API_KEY", API_KEY)
                .env("OPENAI_BASE_URL", api.baseUrl())
                .env("NOTIFIER_JOBS", jobs)
                .env("NOTIFIER_POLL_INTERVAL", "300")
                .env("NOTIFIER_STATE_DIR", work.resolve("data").toString())
                .env("NOTIFIER_FILE_DIR", work.resolve("notifications").toString())
                .env("NOTIFIER_SLACK_WEBHOOK_URL", slackUrl)
                .env("NOTIFIER_EMAIL_TO", "team@example.test")
                .env("NOTIFIER_EMAIL_SMTP_HOST", "127.0.0.1")
                .env("NOTIFIER_EMAIL_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()))
                .env("NOTIFIER_EMAIL_USERNAME", "notifier")
                .env("NOTIFIER_EMAIL_PASSWORD", smtpPassword)
                .env("NOTIFIER_CHANNEL_HOOK_URL", hookBaseUrl.replace("http://", "http://bot:hook-userinfo-secret-3e@")
                        + "/in/hook-path-secret-1c?sig=hook-query-secret-2d")
                .env("NOTIFIER_CHANNEL_HOOK_HEADER_X_API_KEY", "hook-header-secret-4f")
                .env("NOTIFIER_CHANNEL_THREADS_TOKEN", SLACK_TOKEN)
                // the webhook receiver, on a free port of 127.0.0.1, with its secret from the environment as the SDKs read it
                .env("OPENAI_WEBHOOK_SECRET", WEBHOOK_SECRET)
                .env("NOTIFIER_WEBHOOK_HOST", "127.0.0.1")
                .env("NOTIFIER_WEBHOOK_PORT", String.valueOf(webhookPort))
                .start(log);
    }
}
