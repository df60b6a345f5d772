package dev.ftnotifier.notify;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The file channel's document carries the job exactly as the API returned it, fields this version does
 * not know included: the notification keeps the answer's text, and only the document parses it.
 */
class FileDocumentsTest {

    private final FileDocuments documents = new FileDocuments();

    @Test
    void theDocumentsJobIsTheAnswerAsReturnedWithFieldsTheModelDoesNotKnow() throws Exception {
        String answer = "\uFEFF{\"id\": \"ftjob-raw\", \"object\": \"fine_tuning.job\", \"status\": \"running\","
                + " \"model\": \"gpt-4o-mini\", \"a_field_from_next_year\": {\"depth\": [1, 2]}}";
        Notification n = Fixtures.of("progress", Fixtures.CHANGED, Fixtures.NOTIFIED,
                Fixtures.job(answer.substring(1)), answer);

        JsonNode job = Fixtures.JSON.readTree(documents.render(n)).get("job");

        assertEquals("ftjob-raw", job.get("id").asText());
        assertEquals(2, job.at("/a_field_from_next_year/depth/1").asInt(),
                "a field the typed model does not have is in the document: " + job);
    }

    @Test
    void withoutTheAnswersTextTheTypedJobStandsIn() throws Exception {
        Notification n = Fixtures.of("progress", Fixtures.CHANGED, Fixtures.NOTIFIED,
                Fixtures.job("{\"id\": \"ftjob-typed\", \"status\": \"running\"}"), null);

        JsonNode job = Fixtures.JSON.readTree(documents.render(n)).get("job");

        assertEquals("ftjob-typed", job.get("id").asText());
        assertEquals("running", job.get("status").asText());
    }
}
