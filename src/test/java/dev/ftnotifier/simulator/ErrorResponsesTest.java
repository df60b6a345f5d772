package dev.ftnotifier.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unknown jobs, unknown paths and other methods get the API's error envelope. */
class ErrorResponsesTest {

    @Test
    void unknownJobIs404WithTheErrorEnvelope() {
        try (var sim = FineTuningApiSimulator.start()) {
            HttpResponse<String> response = new SimulatorHttp(sim).get("/fine_tuning/jobs/ftjob-nope");

            assertEquals(404, response.statusCode());
            JsonNode error = SimulatorHttp.parse(response.body()).get("error");
            assertEquals("Could not find fine tune: ftjob-nope", error.get("message").asText());
            assertEquals("invalid_request_error", error.get("type").asText());
            assertEquals("fine_tune_id", error.get("param").asText());
            assertTrue(error.has("code") && error.get("code").isNull());
        }
    }

    @Test
    void everyResponseIsJsonWithARequestId() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
            var http = new SimulatorHttp(sim);
            for (HttpResponse<String> response : new HttpResponse[] {
                    http.get("/fine_tuning/jobs/ftjob-1"), http.get("/fine_tuning/jobs/ftjob-2"),
                    http.get("/fine_tuning/jobs"), http.get("/models")}) {
                assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
                assertTrue(response.headers().firstValue("x-request-id").orElse("").matches("req_[0-9a-f]{32}"));
            }
            String first = http.get("/fine_tuning/jobs/ftjob-1").headers().firstValue("x-request-id").orElseThrow();
            String second = http.get("/fine_tuning/jobs/ftjob-1").headers().firstValue("x-request-id").orElseThrow();
            assertTrue(!first.equals(second), "request ids must differ");
        }
    }

    @Test
    void removedJobIs404Afterwards() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
            var http = new SimulatorHttp(sim);
            assertEquals(200, http.get("/fine_tuning/jobs/ftjob-1").statusCode());

            sim.removeJob("ftjob-1");

            assertEquals(404, http.get("/fine_tuning/jobs/ftjob-1").statusCode());
            assertThrows(NoSuchElementException.class, () -> sim.job("ftjob-1"));
            assertThrows(NoSuchElementException.class, () -> sim.setStatus("ftjob-1", "running"));
        }
    }

    @Test
    void unknownPathIs404WithTheErrorEnvelope() {
        try (var sim = FineTuningApiSimulator.start()) {
            var http = new SimulatorHttp(sim);
            for (String path : new String[] {"/models", "/fine_tuning/jobs/ftjob-1/events", "/fine_tuning/jobs/"}) {
                HttpResponse<String> response = http.get(path);
                assertEquals(404, response.statusCode(), path);
                JsonNode error = SimulatorHttp.parse(response.body()).get("error");
                assertEquals("invalid_request_error", error.get("type").asText());
                assertTrue(error.get("message").asText().contains(path) || error.get("message").asText().contains("ftjob-1"),
                        error.get("message").asText());
            }
        }
    }

    @Test
    void otherMethodsAre405() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
            var http = new SimulatorHttp(sim);
            for (String method : new String[] {"POST", "DELETE", "PUT"}) {
                HttpResponse<String> response = http.send(method, "/fine_tuning/jobs/ftjob-1");
                assertEquals(405, response.statusCode(), method);
                assertEquals("GET", response.headers().firstValue("Allow").orElse(""));
                assertEquals("invalid_request_error",
                        SimulatorHttp.parse(response.body()).at("/error/type").asText());
            }
            assertEquals(405, http.send("HEAD", "/fine_tuning/jobs/ftjob-1").statusCode());
        }
    }

    @Test
    void invalidLimitIs400() {
        try (var sim = FineTuningApiSimulator.start()) {
            var http = new SimulatorHttp(sim);
            for (String limit : new String[] {"0", "-1", "ten"}) {
                HttpResponse<String> response = http.get("/fine_tuning/jobs?limit=" + limit);
                assertEquals(400, response.statusCode(), limit);
                assertEquals("limit", SimulatorHttp.parse(response.body()).at("/error/param").asText());
            }
        }
    }
}
