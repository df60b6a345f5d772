package dev.ftnotifier.fuzz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ftnotifier.status.StatusMeaning;
import dev.ftnotifier.testing.ShippedRouter;
import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.notify.EmailMessages;
import dev.ftnotifier.notify.FileDocuments;
import dev.ftnotifier.notify.Notification;
import dev.ftnotifier.notify.NotificationFactory;
import dev.ftnotifier.notify.SlackMessages;
import dev.ftnotifier.notify.Templates;
import dev.ftnotifier.openai.InvalidJobException;
import dev.ftnotifier.openai.JobCheck;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link JobFuzzTest} found, one case each, so a regression names itself. */
class FuzzFindingsTest {

    private static final ObjectMapper CAMEL_JACKSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final String ID = "ftjob-found";

    private final NotificationFactory notifications = new NotificationFactory(Clock.fixed(NOW, ZoneOffset.UTC));
    private final FileDocuments documents = new FileDocuments();
    private final Templates templates = new Templates(Path.of("templates"));

    private static String job(String status, String more) {
        return "{\"object\":\"fine_tuning.job\",\"id\":\"" + ID + "\",\"model\":\"gpt-4o-mini\",\"status\":\"" + status
                + "\",\"created_at\":1714550000" + more + "}";
    }

    private Notification notification(String body, String event) throws Exception {
        FineTuningJob job = new JobCheck().verify(CAMEL_JACKSON.readValue(body, FineTuningJob.class), ID);
        StatusMeaning meaning = ShippedRouter.meaning(job.jobStatus().value());
        return notifications.create(job, body, event, meaning.terminal(), meaning.known());
    }

    /** Everything a notification turns into; each must work. */
    private String renderAll(Notification n) throws Exception {
        new SlackMessages(templates).build(n);
        new EmailMessages(templates).build(n);
        return documents.render(n);
    }

    @Test
    void aTimeBeyondYear9999IsUnknownRatherThanACrash() throws Exception {
        // Instant.ofEpochSecond threw DateTimeException: no notification could ever be made for these jobs
        Notification done = notification(job("succeeded", ",\"finished_at\":9223372036854775807"), "completion");
        assertNull(done.job().finishedAt());
        assertEquals(NOW, done.changedAt(), "finished_at unknown: the change is dated when it was seen");
        JsonNode doc = CAMEL_JACKSON.readTree(renderAll(done));
        assertTrue(doc.get("duration_seconds").isNull());
        assertEquals("9223372036854775807", doc.at("/job/finished_at").asText(), "the raw job keeps what was sent");

        Notification running = notification(job("running", ",\"estimated_finish\":1000000000000000000"), "progress");
        assertNull(CAMEL_JACKSON.readTree(renderAll(running)).get("estimated_finish").textValue());
        assertFalse(running.summary().contains("estimated"));

        // the range an ISO-8601 date can say stays as it is
        FineTuningJob edges = CAMEL_JACKSON.readValue(
                job("running", ",\"finished_at\":-62167219200,\"estimated_finish\":253402300799"), FineTuningJob.class);
        assertEquals(-62167219200L, edges.finishedAt());
        assertEquals(253402300799L, edges.estimatedFinish());
        assertNull(CAMEL_JACKSON.readValue(job("running", ",\"estimated_finish\":253402300800"), FineTuningJob.class)
                .estimatedFinish());
    }

    @Test
    void aJobAsDeepAsJacksonReadsIsStillWritten() throws Exception {
        // 999 levels under the job object: the job is 1000 deep, which Jackson reads; the document
        // holding it is 1001 deep, which StreamWriteConstraints refused on every delivery attempt
        String body = job("failed", ",\"method\":" + "[".repeat(999) + "]".repeat(999));
        String rendered = renderAll(notification(body, "failure"));
        ObjectMapper deepReader = JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1001).build()).build()).build();
        assertEquals(ID, deepReader.readTree(rendered).get("job_id").asText());
    }

    @Test
    void aLoneSurrogateBecomesAReplacementCharacter() throws Exception {
        // camel-file writes the document with Files.writeString, which refused it: "Cannot store file", forever
        String body = job("succeeded", ",\"fine_tuned_model\":\"ft:\\ud800:x\",\"error\":{\"message\":\"\\udfff\"},"
                + "\"user_provided_suffix\":\"\\ud83d\\ude00\"");
        String rendered = renderAll(notification(body, "completion"));
        assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(rendered));
        JsonNode doc = CAMEL_JACKSON.readTree(rendered);
        assertEquals("ft:\uFFFD:x", doc.get("fine_tuned_model").asText());
        assertEquals("\uFFFD", doc.at("/job/error/message").asText());
        assertEquals("\ud83d\ude00", doc.at("/job/user_provided_suffix").asText(), "a valid pair is kept");
    }

    @Test
    void aStatusOfControlCharactersAloneIsNoStatus() throws Exception {
        // JobStatus trims them away, which left "" to name the file ("<id>..json") and the delivery
        assertThrows(InvalidJobException.class, () -> notification(job("\\u0000", ""), "progress"));
        assertThrows(InvalidJobException.class, () -> notification(job("\\u0007\\u001b", ""), "progress"));
        assertEquals("failed", notification(job("failed\\u0000", ""), "failure").status());
    }
}
