package dev.ftnotifier.threads;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftnotifier.simulator.SlackWebApiCapture;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With a bot token, each job is one Slack thread: started, replied in, the end broadcast; across a restart. */
class SlackThreadsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String TOKEN = "test-slack-bot-token-not-a-secret";

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    private List<JsonNode> about(SlackWebApiCapture slack, String jobId) {
        return slack.posts().stream().filter(p -> p.get("text").asText().contains(jobId + " ")).toList();
    }

    @Test
    void oneThreadPerJobKeptAcrossARestartTheEndBroadcast() {
        world.putJob("ftjob-threaded", "running");
        world.putJob("ftjob-other", "running");
        try (SlackWebApiCapture slack = SlackWebApiCapture.start(TOKEN)) {
            Map<String, String> p = world.properties("ftjob-threaded", "ftjob-other");
            p.put("notifier.slack.token", TOKEN);
            p.put("notifier.slack.channel", "C0FINETUNE");
            p.put("notifier.slack.server-url", slack.serverUrl());
            p.put("notifier.slack.statuses", "*");
            try (RunningNotifier ignored = RunningNotifier.start(p)) {
                await().atMost(DEADLINE).until(() -> about(slack, "ftjob-threaded").size() == 1
                        && about(slack, "ftjob-other").size() == 1);
            }
            JsonNode first = about(slack, "ftjob-threaded").get(0);
            assertEquals("C0FINETUNE", first.get("channel").asText());
            assertFalse(first.has("thread_ts"), "the first message starts the thread: " + first);
            assertTrue(first.get("blocks").isArray() && first.get("blocks").size() > 0, first.toString());

            // a restart: the thread is read back from the state folder
            world.api.setStatus("ftjob-threaded", "succeeded");
            try (RunningNotifier ignored = RunningNotifier.start(p)) {
                await().atMost(DEADLINE).until(() -> about(slack, "ftjob-threaded").size() == 2);
            }
            JsonNode last = about(slack, "ftjob-threaded").get(1);
            assertEquals(first.get("ts").asText(), last.path("thread_ts").asText(), "a reply in the job's thread: " + last);
            assertTrue(last.path("reply_broadcast").asBoolean(), "the terminal reply is broadcast: " + last);
            assertTrue(last.get("text").asText().contains("succeeded"), last.toString());
            assertEquals(1, about(slack, "ftjob-other").size(), "one message for the job that did not change");
            assertEquals(0, slack.rejected());
        }
    }
}
