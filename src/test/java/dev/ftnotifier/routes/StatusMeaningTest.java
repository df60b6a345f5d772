package dev.ftnotifier.routes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.model.JobStatus;
import dev.ftnotifier.status.StatusMeaning;
import dev.ftnotifier.status.StatusMeanings;
import dev.ftnotifier.testing.NotifierRouteTest;
import dev.ftnotifier.testing.ShippedRouter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a status means is the status router's decision (route status-meaning in the real
 * routes/route-by-status), and the Java code outside the router asks it ({@code statusMeanings}).
 */
class StatusMeaningTest extends NotifierRouteTest {

    private static FineTuningJob fixture(String name) throws IOException {
        try (InputStream in = StatusMeaningTest.class.getResourceAsStream("/jobs/" + name)) {
            return new ObjectMapper().readValue(in, FineTuningJob.class);
        }
    }

    private StatusMeaning meaning(String status) {
        return context.getRegistry().lookupByNameAndType("statusMeanings", StatusMeanings.class).of(JobStatus.of(status));
    }

    @Test
    void onlySucceededFailedAndCancelledAreTerminal() {
        for (String s : List.of("succeeded", "failed", "cancelled", "SUCCEEDED")) {
            assertTrue(meaning(s).terminal(), s);
            assertTrue(meaning(s).known(), s);
        }
        for (String s : List.of("validating_files", "queued", "running", "pausing", "paused")) {
            assertFalse(meaning(s).terminal(), s);
            assertTrue(meaning(s).known(), s);
            assertEquals("progress", meaning(s).event(), s);
        }
        for (String s : List.of("exploding", "")) {
            assertFalse(meaning(s).terminal(), s);
            assertFalse(meaning(s).known(), s);
            assertEquals("progress", meaning(s).event(), s);
        }
        assertEquals("failure", meaning("failed").event());
        assertEquals("completion", meaning("succeeded").event());
        assertEquals("cancellation", meaning("cancelled").event());
    }

    @Test
    void theFixtureJobsStatusesMeanWhatTheRouterSays() throws IOException {
        FineTuningJob full = fixture("full.json");
        assertTrue(meaning(full.jobStatus().value()).terminal(), "succeeded");
        assertFalse(meaning(fixture("nulls.json").jobStatus().value()).terminal(), "queued");
        StatusMeaning unknown = meaning(fixture("unknown-status.json").jobStatus().value());
        assertFalse(unknown.known(), "Compressing Weights is unknown to this version");
        assertFalse(unknown.terminal(), "an unknown status is never terminal");
    }

    @Test
    void theUnitTestsCopyOfTheShippedRouterAgreesWithIt() {
        for (String s : List.of("succeeded", "failed", "cancelled", "validating_files", "queued", "running", "pausing",
                "paused", "exploding", "", "Compressing Weights")) {
            assertEquals(meaning(s), ShippedRouter.meaning(s), s);
        }
    }
}
