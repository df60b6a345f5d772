package dev.ftnotifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.simulator.SlackWebhookCapture;
import dev.ftnotifier.testing.LocalSmtp;
import dev.ftnotifier.testing.RunningNotifier;
import dev.ftnotifier.notify.ChannelBreakers;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Slack that keeps failing trips its breaker; email goes on; Slack catches up once it recovers. */
class CircuitBreakerTest {

    @TempDir
    Path stateDir;
    @TempDir
    Path fileDir;

    private static int failedAttemptsRecorded(Path stateDir) throws IOException {
        Path status = stateDir.resolve("status.json");
        if (!Files.exists(status)) {
            return 0;
        }
        JsonNode pending = new ObjectMapper().readTree(status.toFile()).get("pending");
        int sum = 0;
        for (JsonNode p : pending) {
            sum += p.get("attempts").asInt();
        }
        return sum;
    }

    @Test
    void aFailingSlackIsShortCircuitedAndRecovers() throws Exception {
        List<String> jobs = IntStream.rangeClosed(1, 6).mapToObj(i -> "ftjob-" + i).toList();
        try (FineTuningApiSimulator api = FineTuningApiSimulator.start();
             SlackWebhookCapture slack = SlackWebhookCapture.start()) {
            GreenMail smtp = LocalSmtp.start();
            try {
                jobs.forEach(id -> {
                    api.putJob(SimulatedJob.queued(id, "gpt-4o-mini"));
                    api.setStatus(id, "failed");
                });
                slack.failNext(100_000, 503);
                Map<String, String> p = RunningNotifier.baseProperties(api.baseUrl(), stateDir, fileDir);
                p.put("notifier.jobs", String.join(",", jobs));
                p.put("notifier.slack.webhook-url", slack.url());
                p.put("notifier.email.to", "team@example.test");
                p.put("notifier.email.smtp-host", "127.0.0.1");
                p.put("notifier.email.smtp-port", String.valueOf(smtp.getSmtp().getPort()));
                p.put("notifier.channel.attempts-per-poll", "0");
                p.put("notifier.channel.open-seconds", "2");
                try (RunningNotifier notifier = RunningNotifier.start(p)) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length == jobs.size());
                    // the breaker refuses deliveries without calling Slack, and a refusal is no failed attempt
                    ResilienceProcessor breaker = notifier.context().getRegistry().lookupByNameAndType("channelBreakers", ChannelBreakers.class).breaker("slack");
                    await().atMost(Duration.ofSeconds(30)).until(() -> breaker.getNumberOfNotPermittedCalls() >= 12);
                    int recorded = failedAttemptsRecorded(stateDir);
                    assertTrue(recorded > 0 && recorded <= slack.attempts(),
                            recorded + " failed attempts recorded, " + slack.attempts() + " posts reached Slack");
                    slack.recover();
                    await().atMost(Duration.ofSeconds(30)).until(() -> slack.posts().size() == jobs.size());
                    await().atMost(Duration.ofSeconds(30)).until(() -> failedAttemptsRecorded(stateDir) == 0);
                }
                for (String id : jobs) {
                    assertEquals(1, slack.posts().stream().filter(post -> post.get("text").asText().contains(id + " ")).count(), id);
                }
                assertEquals(jobs.size(), smtp.getReceivedMessages().length, "email was not held up or repeated");
            } finally {
                smtp.stop();
            }
        }
    }
}
