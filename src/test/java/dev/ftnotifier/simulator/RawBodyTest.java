package dev.ftnotifier.simulator;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code putJob(id, body)} serves that exact text, which is how tests feed the notifier bad input. */
class RawBodyTest {

    @Test
    void servesTheBodyVerbatimEvenWhenItIsNotJson() {
        String[] bodies = {
                "{not json at all",
                "<html><body>502 Bad Gateway</body></html>",
                "{\"id\":\"ftjob-raw\",\"status\":\"brand_new_status\",\"error\":{},\"message\":\"caf\u00e9 \u2713\"}",
                "   {\"id\" : \"spaced\"}\n",
        };
        try (var sim = FineTuningApiSimulator.start()) {
            var http = new SimulatorHttp(sim);
            for (String body : bodies) {
                sim.putJob("ftjob-raw", body);
                HttpResponse<String> response = http.get("/fine_tuning/jobs/ftjob-raw");
                assertEquals(200, response.statusCode());
                assertEquals(body, response.body());
                assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
            }
        }
    }

    @Test
    void emptyBodyIsServedAsEmpty() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob("ftjob-empty", "");
            HttpResponse<String> response = new SimulatorHttp(sim).get("/fine_tuning/jobs/ftjob-empty");
            assertEquals(200, response.statusCode());
            assertEquals("", response.body());
        }
    }

    @Test
    void rawJobsHaveNoTypedState() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob("ftjob-raw", "{}");
            assertThrows(IllegalStateException.class, () -> sim.job("ftjob-raw"));
            assertThrows(IllegalStateException.class, () -> sim.setStatus("ftjob-raw", "failed"));
        }
    }

    @Test
    void aTypedJobCanReplaceARawOne() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob("ftjob-x", "garbage");
            sim.putJob(SimulatedJob.queued("ftjob-x", "gpt-4o-mini"));
            assertEquals("queued", sim.job("ftjob-x").status());
        }
    }
}
