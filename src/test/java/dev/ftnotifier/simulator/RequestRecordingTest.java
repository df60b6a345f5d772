package dev.ftnotifier.simulator;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tests check what the notifier sent through {@code requests()} and {@code requestCount()}. */
class RequestRecordingTest {

    @Test
    void recordsMethodPathQueryHeadersAndTimeInOrder() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
            var http = new SimulatorHttp(sim);
            Instant before = Instant.now();

            http.get("/fine_tuning/jobs/ftjob-1", "Authorization", "Bearer sk-abc",
                    "OpenAI-Organization", "org-xyz", "X-Custom", "one");
            http.get("/fine_tuning/jobs?limit=5&after=ftjob-0");
            http.send("POST", "/fine_tuning/jobs/ftjob-1/cancel");

            List<RecordedRequest> requests = sim.requests();
            assertEquals(3, requests.size());

            RecordedRequest first = requests.get(0);
            assertEquals("GET", first.method());
            assertEquals("/v1/fine_tuning/jobs/ftjob-1", first.path());
            assertNull(first.query());
            assertEquals("Bearer sk-abc", first.headers().get("authorization"));
            assertEquals("org-xyz", first.headers().get("openai-organization"));
            assertEquals("one", first.header("X-Custom"));
            assertTrue(first.headers().keySet().stream().allMatch(name -> name.equals(name.toLowerCase())));
            assertFalse(first.at().isBefore(before.minusSeconds(1)));

            assertEquals("/v1/fine_tuning/jobs", requests.get(1).path());
            assertEquals("limit=5&after=ftjob-0", requests.get(1).query());
            assertEquals("POST", requests.get(2).method());
        }
    }

    @Test
    void countsRequestsPerExactPath() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini"));
            var http = new SimulatorHttp(sim);

            http.get("/fine_tuning/jobs/ftjob-1");
            http.get("/fine_tuning/jobs/ftjob-1");
            http.get("/fine_tuning/jobs/ftjob-10");
            http.get("/fine_tuning/jobs?limit=1");

            assertEquals(2, sim.requestCount("/v1/fine_tuning/jobs/ftjob-1"));
            assertEquals(1, sim.requestCount("/v1/fine_tuning/jobs/ftjob-10"));
            assertEquals(1, sim.requestCount("/v1/fine_tuning/jobs"));
            assertEquals(0, sim.requestCount("/v1/fine_tuning/jobs/ftjob-2"));
        }
    }

    @Test
    void recordsRejectedRequestsToo() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.requireApiKey("sk-right");
            new SimulatorHttp(sim).get("/fine_tuning/jobs/ftjob-1", "Authorization", "Bearer sk-wrong");
            assertEquals(1, sim.requestCount("/v1/fine_tuning/jobs/ftjob-1"));
        }
    }

    @Test
    void returnedListIsACopy() {
        try (var sim = FineTuningApiSimulator.start()) {
            List<RecordedRequest> before = sim.requests();
            new SimulatorHttp(sim).get("/fine_tuning/jobs");
            assertEquals(0, before.size());
            assertThrows(UnsupportedOperationException.class, () -> sim.requests().clear());
        }
    }
}
