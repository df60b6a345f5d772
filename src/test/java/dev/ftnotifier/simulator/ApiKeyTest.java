package dev.ftnotifier.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With a required key, only {@code Authorization: Bearer <key>} gets through. */
class ApiKeyTest {

    private static final String KEY = "sk-test-secret-123";
    private static final String PATH = "/fine_tuning/jobs/ftjob-1";

    @Test
    void missingKeyIs401() {
        try (var sim = startWithKey()) {
            assertInvalidApiKey(new SimulatorHttp(sim).get(PATH));
        }
    }

    @Test
    void wrongKeyOrSchemeIs401AndNeverEchoesTheKey() {
        try (var sim = startWithKey()) {
            var http = new SimulatorHttp(sim);
            HttpResponse<String> wrong = http.get(PATH, "Authorization", "Bearer sk-wrong");
            assertInvalidApiKey(wrong);
            assertFalse(wrong.body().contains("sk-wrong"));
            assertInvalidApiKey(http.get(PATH, "Authorization", "Basic " + KEY));
            assertInvalidApiKey(http.get(PATH, "Authorization", KEY));
            assertInvalidApiKey(http.get("/fine_tuning/jobs", "Authorization", "Bearer " + KEY + "x"));
        }
    }

    @Test
    void rightKeyIs200() {
        try (var sim = startWithKey()) {
            HttpResponse<String> response = new SimulatorHttp(sim).get(PATH, "Authorization", "Bearer " + KEY);
            assertEquals(200, response.statusCode());
            assertEquals("ftjob-1", SimulatorHttp.parse(response.body()).get("id").asText());
        }
    }

    @Test
    void clearingTheKeyLetsEveryoneIn() {
        try (var sim = startWithKey()) {
            var http = new SimulatorHttp(sim);
            assertEquals(401, http.get(PATH).statusCode());
            sim.requireApiKey(null);
            assertEquals(200, http.get(PATH).statusCode());
        }
    }

    @Test
    void authIsCheckedBeforeTheJobIsLookedUp() {
        try (var sim = startWithKey()) {
            assertInvalidApiKey(new SimulatorHttp(sim).get("/fine_tuning/jobs/ftjob-unknown"));
        }
    }

    private static FineTuningApiSimulator startWithKey() {
        FineTuningApiSimulator sim = FineTuningApiSimulator.start();
        sim.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
        sim.requireApiKey(KEY);
        return sim;
    }

    private static void assertInvalidApiKey(HttpResponse<String> response) {
        assertEquals(401, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode error = SimulatorHttp.parse(response.body()).get("error");
        assertEquals("invalid_request_error", error.get("type").asText());
        assertEquals("invalid_api_key", error.get("code").asText());
        assertTrue(error.has("param") && error.get("param").isNull());
        assertFalse(error.get("message").asText().isBlank());
    }
}
