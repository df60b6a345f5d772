package dev.ftnotifier.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /fine_tuning/jobs}: newest first, {@code limit} and {@code after} paging, {@code has_more}. */
class ListEndpointTest {

    private static final long T0 = 1_700_000_000L;

    @Test
    void pagesThrough250JobsWithoutDuplicates() {
        try (var sim = FineTuningApiSimulator.start()) {
            for (int i = 0; i < 250; i++) {
                // every tenth job shares a created_at, so the id tie-break matters
                sim.putJob(SimulatedJob.queued(String.format("ftjob-%03d", i), "gpt-4o-mini")
                        .withCreatedAt(T0 + i / 10));
            }
            var http = new SimulatorHttp(sim);

            List<String> seen = new ArrayList<>();
            List<Integer> pageSizes = new ArrayList<>();
            String after = null;
            boolean hasMore = true;
            while (hasMore) {
                JsonNode page = http.getJson("/fine_tuning/jobs?limit=100" + (after == null ? "" : "&after=" + after));
                assertEquals("list", page.get("object").asText());
                pageSizes.add(page.get("data").size());
                page.get("data").forEach(job -> seen.add(job.get("id").asText()));
                hasMore = page.get("has_more").asBoolean();
                after = seen.get(seen.size() - 1);
                assertTrue(pageSizes.size() <= 3, "paging must end");
            }

            assertEquals(List.of(100, 100, 50), pageSizes);
            assertEquals(250, seen.size());
            assertEquals(250, new HashSet<>(seen).size(), "no duplicates");
            assertEquals("ftjob-249", seen.get(0), "newest first");
            assertEquals("ftjob-000", seen.get(249));
            List<String> expected = new ArrayList<>(seen);
            expected.sort((a, b) -> b.compareTo(a)); // created_at rises with the id here
            assertEquals(expected, seen);
        }
    }

    @Test
    void limitDefaultsTo20AndIsCappedAt100() {
        try (var sim = FineTuningApiSimulator.start()) {
            for (int i = 0; i < 150; i++) {
                sim.putJob(SimulatedJob.queued("ftjob-" + i, "gpt-4o-mini").withCreatedAt(T0 + i));
            }
            var http = new SimulatorHttp(sim);

            JsonNode firstPage = http.getJson("/fine_tuning/jobs");
            assertEquals(20, firstPage.get("data").size());
            assertTrue(firstPage.get("has_more").asBoolean());

            JsonNode capped = http.getJson("/fine_tuning/jobs?limit=1000");
            assertEquals(100, capped.get("data").size());
            assertTrue(capped.get("has_more").asBoolean());
        }
    }

    @Test
    void lastPageSaysNoMoreAndUnknownAfterIsEmpty() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued("ftjob-a", "gpt-4o-mini").withCreatedAt(T0));
            sim.putJob(SimulatedJob.queued("ftjob-b", "gpt-4o-mini").withCreatedAt(T0 + 1));
            var http = new SimulatorHttp(sim);

            JsonNode all = http.getJson("/fine_tuning/jobs?limit=2");
            assertEquals(2, all.get("data").size());
            assertFalse(all.get("has_more").asBoolean());
            assertEquals("ftjob-b", all.at("/data/0/id").asText());

            JsonNode afterB = http.getJson("/fine_tuning/jobs?after=ftjob-b");
            assertEquals(1, afterB.get("data").size());
            assertEquals("ftjob-a", afterB.at("/data/0/id").asText());

            JsonNode unknown = http.getJson("/fine_tuning/jobs?after=ftjob-gone");
            assertEquals(0, unknown.get("data").size());
            assertFalse(unknown.get("has_more").asBoolean());
        }
    }

    @Test
    void listedJobsHaveTheFullJobShape() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued("ftjob-a", "gpt-4o-mini"));
            sim.setStatus("ftjob-a", "succeeded");
            var http = new SimulatorHttp(sim);

            JsonNode listed = http.getJson("/fine_tuning/jobs").at("/data/0");
            assertEquals(http.getJson("/fine_tuning/jobs/ftjob-a"), listed);
        }
    }

    @Test
    void rawJobsAreListedOnlyWhenTheyAreJsonObjects() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob("ftjob-raw", "{\"object\":\"fine_tuning.job\",\"id\":\"ftjob-raw\",\"created_at\":"
                    + (T0 + 5) + ",\"status\":\"queued\",\"surprise\":true}");
            sim.putJob("ftjob-broken", "{not json");
            sim.putJob("ftjob-array", "[1,2]");
            sim.putJob(SimulatedJob.queued("ftjob-typed", "gpt-4o-mini").withCreatedAt(T0));
            var http = new SimulatorHttp(sim);

            JsonNode data = http.getJson("/fine_tuning/jobs").get("data");
            Set<String> ids = new HashSet<>();
            data.forEach(job -> ids.add(job.get("id").asText()));
            assertEquals(Set.of("ftjob-raw", "ftjob-typed"), ids);
            assertEquals("ftjob-raw", data.get(0).get("id").asText(), "newer created_at first");
            assertTrue(data.get(0).get("surprise").asBoolean(), "raw fields are kept");
        }
    }
}
