package dev.ftnotifier.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the benchmark relies on: a latency that holds no thread, cheap arrival times, many generated jobs. */
class LatencyAndArrivalsTest {

    @Test
    void everyAnswerComesAfterTheLatencyAndTheWaitHoldsNoHttpThread() {
        try (var sim = FineTuningApiSimulator.start()) {
            GeneratedJobs.install(sim, 40, 0);
            sim.latency(Duration.ofSeconds(2));
            var http = new SimulatorHttp(sim);
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(http.client().sendAsync(http.request("/fine_tuning/jobs/" + GeneratedJobs.id(i)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // 40 requests on 8 HTTP threads: all of them are in before the first answer goes out
            await().atMost(Duration.ofSeconds(10)).until(() -> sim.arrivals().size() == 40);
            assertTrue(answers.stream().noneMatch(CompletableFuture::isDone), "an answer came before the latency");

            answers.forEach(answer -> assertEquals(200, answer.join().statusCode()));
            assertTrue(System.nanoTime() - start >= Duration.ofSeconds(2).toNanos());
        }
    }

    @Test
    void arrivalsNameEachTargetSoASecondPassCanBeToldApart() {
        try (var sim = FineTuningApiSimulator.start()) {
            GeneratedJobs.install(sim, 3, 0);
            var http = new SimulatorHttp(sim);
            http.get("/fine_tuning/jobs/" + GeneratedJobs.id(0));
            http.get("/fine_tuning/jobs/" + GeneratedJobs.id(1));
            http.get("/fine_tuning/jobs/" + GeneratedJobs.id(0));
            http.get("/fine_tuning/jobs?limit=1");
            http.get("/fine_tuning/jobs?limit=1&after=" + GeneratedJobs.id(2));

            ArrivalLog.Arrivals all = sim.arrivals().since(0);
            assertEquals(5, all.size());
            assertEquals(all.target()[0], all.target()[2]);
            assertNotEquals(all.target()[0], all.target()[1]);
            assertNotEquals(all.target()[3], all.target()[4], "list pages differ by their cursor");
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.nanos()[i] >= all.nanos()[i - 1]);
            }
            assertEquals(2, sim.arrivals().since(3).size());
        }
    }

    @Test
    void withoutDetailsRequestsAreOnlyCountedAsArrivals() {
        try (var sim = FineTuningApiSimulator.start()) {
            GeneratedJobs.install(sim, 1, 0);
            sim.keepRequestDetails(false);
            new SimulatorHttp(sim).get("/fine_tuning/jobs/" + GeneratedJobs.id(0));
            assertTrue(sim.requests().isEmpty());
            assertEquals(1, sim.arrivals().size());
        }
    }

    @Test
    void generatedJobsAreListedNewestFirstAHundredAPageWithTheOldestFinished() {
        try (var sim = FineTuningApiSimulator.start()) {
            List<String> ids = GeneratedJobs.install(sim, 250, 0.2);
            var http = new SimulatorHttp(sim);

            List<JsonNode> listed = new ArrayList<>();
            String after = null;
            int pages = 0;
            while (true) {
                JsonNode page = http.getJson("/fine_tuning/jobs?limit=100" + (after == null ? "" : "&after=" + after));
                pages++;
                page.path("data").forEach(listed::add);
                after = listed.get(listed.size() - 1).path("id").asText();
                if (!page.path("has_more").asBoolean()) {
                    break;
                }
            }
            assertEquals(3, pages);
            assertEquals(250, listed.size());
            assertEquals(ids.get(249), listed.get(0).path("id").asText());
            assertEquals(50, listed.stream().filter(job -> job.path("status").asText().equals("succeeded")).count());
            assertEquals(200, listed.stream().filter(job -> job.path("status").asText().equals("running")).count());
            assertEquals("succeeded", sim.job(ids.get(0)).status());
            assertFalse(sim.job(ids.get(249)).status().equals("succeeded"));
        }
    }
}
