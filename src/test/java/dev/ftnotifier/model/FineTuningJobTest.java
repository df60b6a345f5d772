package dev.ftnotifier.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FineTuningJobTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static FineTuningJob fixture(String name) throws IOException {
        try (InputStream in = FineTuningJobTest.class.getResourceAsStream("/jobs/" + name)) {
            return JSON.readValue(in, FineTuningJob.class);
        }
    }

    @Test
    void everySeedFieldSurvivesUnmarshalling() throws IOException {
        FineTuningJob job = fixture("full.json");
        assertEquals("ftjob-full", job.id());
        assertEquals("fine_tuning.job", job.object());
        assertEquals(1721764800L, job.createdAt());
        assertEquals(1721768400L, job.finishedAt());
        assertEquals("ft:gpt-4o-mini-2024-07-18:example-org::A1b2C3d4", job.fineTunedModel());
        assertEquals("gpt-4o-mini-2024-07-18", job.model());
        assertEquals("org-example", job.organizationId());
        assertEquals(List.of("file-result-1", "file-result-2"), job.resultFiles());
        assertEquals("succeeded", job.status());
        assertEquals(5768L, job.trainedTokens());
        assertEquals("file-train-1", job.trainingFile());
        assertEquals("file-valid-1", job.validationFile());
        assertEquals(42L, job.seed());
        assertEquals(0L, job.estimatedFinish());
        assertEquals("auto", job.hyperparameters().batchSize().value());
        assertTrue(job.hyperparameters().batchSize().isAuto());
        assertEquals("1.8", job.hyperparameters().learningRateMultiplier().value());
        assertEquals("3", job.hyperparameters().nEpochs().value());
        Integration integration = job.integrations().get(0);
        assertEquals("wandb", integration.type());
        assertEquals(new WandbIntegration("my-project", "run-7", "team", List.of("a", "b")), integration.wandb());
        assertEquals("supervised", job.method().get("type").asText());
        assertEquals(Map.of("env", "prod"), job.metadata());
        assertEquals(3600L, job.durationSeconds());
        // an all-null error block on a job that did not fail says nothing
        assertNull(job.errorDetails());
        // that "succeeded" is terminal is the router's decision: StatusMeaningTest
    }

    @Test
    void nullsWhereTheApiAllowsThemAreAccepted() throws IOException {
        FineTuningJob job = fixture("nulls.json");
        assertEquals("queued", job.status());
        assertNull(job.hyperparameters());
        assertNull(job.error());
        assertEquals(List.of(), job.resultFiles());
        assertEquals(List.of(), job.integrations());
        assertNull(job.wandb());
        assertNull(job.durationSeconds());
    }

    @Test
    void unknownStatusIsKeptAndNeverTerminal() throws IOException {
        FineTuningJob job = fixture("unknown-status.json");
        assertEquals("Compressing Weights", job.status());
        JobStatus status = job.jobStatus();
        // kept as its text; unknown and never terminal by the router's decision (StatusMeaningTest)
        assertEquals("compressing_weights", status.value());
        // a method of another shape and a hyperparameter object are accepted as they come
        assertEquals("a string where an object was", job.method().asText());
        assertEquals("{\"min\":1}", job.hyperparameters().nEpochs().value());
    }

    @Test
    void aStatusIsMadeSafeWhateverItHolds() {
        // each is a status the API's own could never be confused with: kept in file names, keys and log lines
        assertEquals("succeeded", JobStatus.of(" Succeeded\n").value());
        assertEquals("job_status_x", JobStatus.of("job|status/x").value(), "no key separator, no path");
        assertEquals("a_b", JobStatus.of("a|b").value(), "a key separator alone");
        assertEquals("a_b", JobStatus.of("a.b").value());
        assertEquals("caf_", JobStatus.of("caf\u00e9").value(), "a letter beyond a-z");
        assertEquals("i_", JobStatus.of("\u0130").value(), "lower-casing that makes two characters");
        assertEquals("_", JobStatus.of("\ud83d\ude80").value(), "a character outside the basic plane: one");
        assertEquals("a_b", JobStatus.of("a\u0000b").value());
        assertEquals("", JobStatus.of(null).value());
        assertEquals("x".repeat(64), JobStatus.of("X".repeat(70)).value(), "at most 64 characters");
        assertEquals("in_progress-2", JobStatus.of("in_progress-2").value(), "safe already: as it came");
    }

    @Test
    void failedJobWithEmptyErrorHasNoDetails() throws IOException {
        FineTuningJob job = fixture("failed-no-details.json");
        assertNotNull(job.error());
        assertTrue(job.error().isEmpty());
        assertNull(job.errorDetails());
        assertEquals("failed", job.jobStatus().value());
    }

    @Test
    void dpoMethodAndAutoValuesAreAccepted() throws IOException {
        FineTuningJob job = fixture("dpo.json");
        assertEquals("dpo", job.method().get("type").asText());
        assertEquals("auto", job.method().at("/dpo/hyperparameters/beta").asText());
        assertEquals(1721770000L, job.estimatedFinish());
    }

    @Test
    void statusTextCannotSteerAPathOrALogLine() {
        assertEquals("______etc_passwd", JobStatus.of("../../etc/passwd").value());
        assertEquals("running__fake_log_line", JobStatus.of("running\r\nFAKE LOG LINE").value());
        assertEquals(64, JobStatus.of("x".repeat(1000)).value().length());
    }

    @Test
    void aFailedJobWhoseErrorHasAnotherShapeIsStillAFailure() throws IOException {
        FineTuningJob text = JSON.readValue("{\"id\":\"ftjob-1\",\"status\":\"failed\",\"error\":\"quota\"}", FineTuningJob.class);
        assertEquals("quota", text.errorDetails().message());
        FineTuningJob array = JSON.readValue("{\"id\":\"ftjob-1\",\"status\":\"failed\",\"error\":[1]}", FineTuningJob.class);
        assertNull(array.errorDetails());
        FineTuningJob nested = JSON.readValue(
                "{\"id\":\"ftjob-1\",\"status\":\"failed\",\"error\":{\"code\":{\"x\":1},\"message\":5}}", FineTuningJob.class);
        assertEquals("{\"x\":1}", nested.errorDetails().code());
        assertEquals("5", nested.errorDetails().message());
    }

    /** The one rule the notifications, file documents, digests and stuck check share: running, and a positive time set. */
    @Test
    void anEstimatedFinishCountsOnlyWhileRunningAndWhenSet() throws IOException {
        FineTuningJob job = JSON.readValue("{\"id\":\"ftjob-1\",\"status\":\"running\",\"estimated_finish\":1721770000}",
                FineTuningJob.class);
        assertEquals(java.time.Instant.ofEpochSecond(1721770000L), job.estimatedFinishWhile("running"));
        assertNull(job.estimatedFinishWhile("queued"), "another status, though the job copy still has the field");
        assertNull(job.estimatedFinishWhile("succeeded"));
        for (String unset : List.of("0", "-5", "null")) {
            FineTuningJob none = JSON.readValue("{\"id\":\"ftjob-1\",\"status\":\"running\",\"estimated_finish\":" + unset + "}",
                    FineTuningJob.class);
            assertNull(none.estimatedFinishWhile("running"), unset);
        }
    }
}
