package dev.ftnotifier.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo jobs walk to their final statuses, carrying what each notification needs. */
class DemoScenarioTest {

    private static final Duration STEP = Duration.ofMillis(50);

    @Test
    void jobsStartInTheirFirstStatus() {
        try (var sim = FineTuningApiSimulator.start()) {
            DemoScenario.install(sim, Duration.ofHours(1)); // no step will fire during this test
            assertEquals(List.of("ftjob-demo-fails", "ftjob-demo-succeeds", "ftjob-demo-cancelled",
                    "ftjob-demo-paused"), DemoScenario.jobIds());
            assertEquals("validating_files", sim.job(DemoScenario.FAILS).status());
            assertEquals("queued", sim.job(DemoScenario.SUCCEEDS).status());
            assertEquals("queued", sim.job(DemoScenario.CANCELLED).status());
            assertEquals("running", sim.job(DemoScenario.PAUSED).status());
            assertTrue(sim.job(DemoScenario.PAUSED).estimatedFinish() != null);
        }
    }

    @Test
    void reachesTheFinalStatusesOverHttp() {
        try (var sim = FineTuningApiSimulator.start()) {
            DemoScenario.install(sim, STEP);
            var http = new SimulatorHttp(sim);

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() ->
                    status(http, DemoScenario.FAILS).equals("failed")
                            && status(http, DemoScenario.SUCCEEDS).equals("succeeded")
                            && status(http, DemoScenario.CANCELLED).equals("cancelled")
                            && status(http, DemoScenario.PAUSED).equals("paused"));

            JsonNode failed = http.getJson("/fine_tuning/jobs/" + DemoScenario.FAILS);
            assertEquals("invalid_n_examples", failed.at("/error/code").asText());
            assertEquals("Training file has 5 example(s), but must have at least 10 examples",
                    failed.at("/error/message").asText());
            assertEquals("training_file", failed.at("/error/param").asText());

            JsonNode succeeded = http.getJson("/fine_tuning/jobs/" + DemoScenario.SUCCEEDS);
            assertTrue(succeeded.get("fine_tuned_model").asText().startsWith("ft:gpt-4o-mini-2024-07-18:"));
            assertEquals(1, succeeded.get("result_files").size());
            assertTrue(succeeded.get("trained_tokens").asLong() > 0);
            assertEquals("demo-project", succeeded.at("/integrations/0/wandb/project").asText());
            assertEquals("demo-run", succeeded.at("/integrations/0/wandb/name").asText());

            JsonNode cancelled = http.getJson("/fine_tuning/jobs/" + DemoScenario.CANCELLED);
            assertTrue(cancelled.get("finished_at").isIntegralNumber());
            assertTrue(cancelled.get("error").isNull());

            JsonNode paused = http.getJson("/fine_tuning/jobs/" + DemoScenario.PAUSED);
            assertTrue(paused.get("finished_at").isNull(), "paused is not finished");

            assertEquals(4, http.getJson("/fine_tuning/jobs").get("data").size());
        }
    }

    @Test
    void aRemovedDemoJobDoesNotStopTheOthers() {
        try (var sim = FineTuningApiSimulator.start()) {
            DemoScenario.install(sim, STEP);
            sim.removeJob(DemoScenario.FAILS);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    sim.job(DemoScenario.SUCCEEDS).status().equals("succeeded"));
        }
    }

    @Test
    void stepMustBePositive() {
        try (var sim = FineTuningApiSimulator.start()) {
            assertThrows(IllegalArgumentException.class, () -> DemoScenario.install(sim, Duration.ZERO));
        }
    }

    private static String status(SimulatorHttp http, String jobId) {
        return http.getJson("/fine_tuning/jobs/" + jobId).get("status").asText();
    }
}
