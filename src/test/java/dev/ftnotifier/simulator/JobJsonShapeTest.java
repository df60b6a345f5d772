package dev.ftnotifier.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job JSON has the API's names, and nulls exactly where the API has them, per status. */
class JobJsonShapeTest {

    private static final String ID = "ftjob-shape";
    private static final String MODEL = "gpt-4o-mini-2024-07-18";
    private static final String PATH = "/fine_tuning/jobs/" + ID;

    @Test
    void queuedJobHasNothingFinished() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued(ID, MODEL));
            JsonNode job = new SimulatorHttp(sim).getJson(PATH);

            assertEquals("fine_tuning.job", job.get("object").asText());
            assertEquals(ID, job.get("id").asText());
            assertEquals(MODEL, job.get("model").asText());
            assertEquals("queued", job.get("status").asText());
            assertTrue(job.get("created_at").isIntegralNumber());
            assertTrue(job.get("training_file").asText().startsWith("file-"));
            assertTrue(job.get("organization_id").asText().startsWith("org-"));
            assertTrue(job.get("seed").isIntegralNumber());
            for (String field : List.of("finished_at", "fine_tuned_model", "trained_tokens", "error",
                    "estimated_finish", "validation_file", "integrations", "metadata")) {
                assertTrue(job.has(field), field + " must be present");
                assertTrue(job.get(field).isNull(), field + " must be null on a queued job");
            }
            assertTrue(job.get("result_files").isArray());
            assertEquals(0, job.get("result_files").size());
        }
    }

    @Test
    void hyperparametersMixAutoAndNumbersAndAreRepeatedUnderMethod() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued(ID, MODEL));
            JsonNode job = new SimulatorHttp(sim).getJson(PATH);

            JsonNode hp = job.get("hyperparameters");
            assertEquals("auto", hp.get("batch_size").asText());
            assertTrue(hp.get("n_epochs").isIntegralNumber());
            assertEquals(3, hp.get("n_epochs").asInt());
            assertEquals(1.8, hp.get("learning_rate_multiplier").asDouble());
            assertEquals("supervised", job.at("/method/type").asText());
            assertEquals(hp, job.at("/method/supervised/hyperparameters"));
        }
    }

    @Test
    void runningJobHasEstimatedFinishTenMinutesAhead() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued(ID, MODEL));
            long before = Instant.now().getEpochSecond();
            sim.setStatus(ID, "running");
            long after = Instant.now().getEpochSecond();
            JsonNode job = new SimulatorHttp(sim).getJson(PATH);

            assertEquals("running", job.get("status").asText());
            long estimated = job.get("estimated_finish").asLong();
            assertTrue(estimated >= before + 600 && estimated <= after + 600, "estimated_finish " + estimated);
            assertTrue(job.get("finished_at").isNull());
            assertTrue(job.get("fine_tuned_model").isNull());
        }
    }

    @Test
    void succeededJobHasModelFilesTokensAndNoEstimate() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued(ID, MODEL).withCreatedAt(1_700_000_000L));
            sim.setStatus(ID, "running");
            sim.setStatus(ID, "succeeded");
            JsonNode job = new SimulatorHttp(sim).getJson(PATH);

            assertEquals("succeeded", job.get("status").asText());
            assertTrue(job.get("finished_at").asLong() > 1_700_000_000L);
            assertTrue(job.get("fine_tuned_model").asText().matches(
                    "ft:gpt-4o-mini-2024-07-18:simulated::[0-9a-f]{8}"), job.get("fine_tuned_model").asText());
            assertEquals(1, job.get("result_files").size());
            assertTrue(job.get("result_files").get(0).asText().startsWith("file-"));
            assertTrue(job.get("trained_tokens").asLong() > 0);
            assertTrue(job.get("estimated_finish").isNull());
            assertTrue(job.get("error").isNull());
        }
    }

    @Test
    void succeededKeepsValuesATestPreset() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued(ID, MODEL).withFineTunedModel("ft:custom").withTrainedTokens(42L));
            sim.setStatus(ID, "succeeded");
            assertEquals("ft:custom", sim.job(ID).fineTunedModel());
            assertEquals(42L, sim.job(ID).trainedTokens());
        }
    }

    @Test
    void failedJobGetsTheDefaultErrorUnlessItHasOne() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued(ID, MODEL));
            sim.setStatus(ID, "failed");
            JsonNode job = new SimulatorHttp(sim).getJson(PATH);

            assertEquals("failed", job.get("status").asText());
            assertTrue(job.get("finished_at").isIntegralNumber());
            assertEquals("invalid_n_examples", job.at("/error/code").asText());
            assertEquals("Training file has 5 example(s), but must have at least 10 examples",
                    job.at("/error/message").asText());
            assertEquals("training_file", job.at("/error/param").asText());
            assertTrue(job.get("fine_tuned_model").isNull());
            assertEquals(0, job.get("result_files").size());
        }
    }

    @Test
    void failWithNullParamServesAnExplicitNull() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued(ID, MODEL));
            sim.fail(ID, "moderation_failed", "Training data failed moderation", null);
            JsonNode job = new SimulatorHttp(sim).getJson(PATH);

            assertEquals("failed", job.get("status").asText());
            assertEquals("moderation_failed", job.at("/error/code").asText());
            assertTrue(job.get("error").has("param"));
            assertTrue(job.at("/error/param").isNull());
        }
    }

    @Test
    void cancelledJobIsFinishedWithoutErrorOrModel() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued(ID, MODEL));
            sim.setStatus(ID, "running");
            sim.setStatus(ID, "cancelled");
            JsonNode job = new SimulatorHttp(sim).getJson(PATH);

            assertEquals("cancelled", job.get("status").asText());
            assertTrue(job.get("finished_at").isIntegralNumber());
            assertTrue(job.get("error").isNull());
            assertTrue(job.get("fine_tuned_model").isNull());
            assertTrue(job.get("estimated_finish").isNull());
        }
    }

    @Test
    void unknownStatusesOnlyChangeTheStatus() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued(ID, MODEL));
            for (String status : List.of("pausing", "paused", "exploding")) {
                sim.setStatus(ID, status);
                JsonNode job = new SimulatorHttp(sim).getJson(PATH);
                assertEquals(status, job.get("status").asText());
                assertTrue(job.get("finished_at").isNull());
                assertTrue(job.get("error").isNull());
            }
        }
    }

    @Test
    void optionalPartsAreSerialisedWithApiNames() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued(ID, MODEL)
                    .withValidationFile("file-valid")
                    .withHyperparameters(new SimulatedJob.Hyperparameters(8, "auto", "auto"))
                    .withIntegrations(List.of(new SimulatedJob.Wandb("p", "n", "team", List.of("t1", "t2"))))
                    .withMetadata(Map.of("owner", "ml-team")));
            JsonNode job = new SimulatorHttp(sim).getJson(PATH);

            assertEquals("file-valid", job.get("validation_file").asText());
            assertEquals(8, job.at("/hyperparameters/batch_size").asInt());
            assertEquals("auto", job.at("/hyperparameters/n_epochs").asText());
            assertEquals("wandb", job.at("/integrations/0/type").asText());
            assertEquals("p", job.at("/integrations/0/wandb/project").asText());
            assertEquals("n", job.at("/integrations/0/wandb/name").asText());
            assertEquals("team", job.at("/integrations/0/wandb/entity").asText());
            assertEquals("t2", job.at("/integrations/0/wandb/tags/1").asText());
            assertEquals("ml-team", job.at("/metadata/owner").asText());
        }
    }

    @Test
    void nullHyperparametersAreServedAsNull() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued(ID, MODEL).withHyperparameters(null));
            JsonNode job = new SimulatorHttp(sim).getJson(PATH);
            assertTrue(job.get("hyperparameters").isNull());
            assertFalse(job.at("/method/supervised").has("hyperparameters"));
        }
    }
}
