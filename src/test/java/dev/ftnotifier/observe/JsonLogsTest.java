package dev.ftnotifier.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.NotifierProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** notifier.log.format=json: every line the process writes is one JSON object, with route, job and channel when known. */
class JsonLogsTest {

    @RegisterExtension
    LocalWorld world = new LocalWorld();

    @TempDir
    Path work;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyLineIsOneJsonObjectNamingRouteJobAndChannel() throws Exception {
        world.putJob("ftjob-json", "succeeded");
        Path log = work.resolve("notifier.log");
        Process process = NotifierProcess.fromClasses()
                .env("NOTIFIER_LOG_FORMAT", "json")
                .env("OPENAI_API_KEY", "test-key-not-a-secret")
                .env("OPENAI_BASE_URL", world.api.baseUrl())
                .env("NOTIFIER_JOBS", "ftjob-json")
                .env("NOTIFIER_POLL_INTERVAL", "300")
                .env("NOTIFIER_STATE_DIR", world.stateDir.toString())
                .env("NOTIFIER_FILE_DIR", world.fileDir.toString())
                .env("NOTIFIER_SLACK_WEBHOOK_URL", world.slack.url())
                .start(log);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> NotifierProcess.read(log).contains("delivered to slack"));
        } finally {
            NotifierProcess.stop(process);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : NotifierProcess.read(log).lines().toList()) {
            try {
                JsonNode node = JSON.readTree(line);
                assertTrue(node.isObject(), line);
                lines.add(node);
            } catch (Exception e) {
                fail("not one JSON object: " + line);
            }
        }
        for (JsonNode line : lines) {
            for (String field : new String[] {"ts", "level", "logger", "message"}) {
                assertTrue(line.hasNonNull(field), field + " missing in " + line);
            }
            assertFalse(line.toString().contains("test-key-not-a-secret"), "the key in " + line);
            assertFalse(line.toString().contains(world.slack.url()), "the Slack URL in " + line);
        }
        JsonNode delivered = lines.stream().filter(l -> l.path("message").asText().startsWith("delivered to slack")).findFirst()
                .orElseThrow();
        assertEquals("channel-slack", delivered.path("route").asText(), delivered.toString());
        assertEquals("slack", delivered.path("channel").asText(), delivered.toString());
        assertEquals("ftjob-json", delivered.path("job_id").asText(), delivered.toString());
        assertTrue(lines.stream().anyMatch(l -> l.path("message").asText().contains("started: polling")), "the start line");
    }
}
