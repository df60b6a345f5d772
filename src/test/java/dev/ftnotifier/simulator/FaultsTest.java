package dev.ftnotifier.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ftnotifier.simulator.FineTuningApiSimulator.Fault;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scripted and random faults, each checked with a plain JDK client against the real simulator. */
class FaultsTest {

    private static final String JOB = "ftjob-f";
    private static final String JOB_PATH = "/fine_tuning/jobs/" + JOB;

    private static FineTuningApiSimulator simulatorWithJob() {
        FineTuningApiSimulator sim = FineTuningApiSimulator.start();
        sim.putJob(SimulatedJob.queued(JOB, "gpt-4o-mini"));
        return sim;
    }

    private static JsonNode error(HttpResponse<String> response) {
        return SimulatorHttp.parse(response.body()).get("error");
    }

    /** A client of its own: no pooled connection it could quietly retry on. */
    private static HttpClient freshClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest get(FineTuningApiSimulator sim, String pathAfterV1, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAfterV1)).timeout(timeout).GET().build();
    }

    @Test
    void serverErrorsAnswerTheErrorEnvelope() {
        try (var sim = simulatorWithJob()) {
            var http = new SimulatorHttp(sim);
            for (int code : new int[] {500, 502, 503}) {
                sim.failNext(JOB, 1, Fault.status(code));
                HttpResponse<String> response = http.get(JOB_PATH);
                assertEquals(code, response.statusCode());
                assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
                assertTrue(response.headers().firstValue("x-request-id").orElse("").startsWith("req_"));
                JsonNode error = error(response);
                assertEquals("server_error", error.get("type").asText(), response.body());
                assertTrue(error.get("param").isNull() && error.get("code").isNull(), response.body());
                assertTrue(!error.get("message").asText().isBlank());
            }
            assertEquals(200, http.get(JOB_PATH).statusCode(), "each fault was for one request only");
        }
    }

    @Test
    void errorCodesCarryTheirTypes() {
        record Case(int status, String code, String type) {
        }
        List<Case> cases = List.of(
                new Case(429, "rate_limit_exceeded", "requests"),
                new Case(429, "insufficient_quota", "insufficient_quota"),
                new Case(401, "invalid_api_key", "invalid_request_error"),
                new Case(403, "unsupported_country_region_territory", "request_forbidden"));
        try (var sim = simulatorWithJob()) {
            var http = new SimulatorHttp(sim);
            for (Case c : cases) {
                sim.failNext(JOB, 1, Fault.status(c.status(), c.code()));
                HttpResponse<String> response = http.get(JOB_PATH);
                assertEquals(c.status(), response.statusCode(), c.code());
                assertEquals(c.type(), error(response).get("type").asText(), c.code());
                assertEquals(c.code(), error(response).get("code").asText());
                assertTrue(error(response).get("param").isNull());
            }
            sim.failNext(JOB, 1, Fault.status(429));
            assertEquals("rate_limit_exceeded", error(http.get(JOB_PATH)).get("code").asText(),
                    "a bare 429 is a rate limit");
        }
    }

    @Test
    void retryAfterInSeconds() {
        try (var sim = simulatorWithJob()) {
            var http = new SimulatorHttp(sim);
            sim.failNext(JOB, 1, Fault.retryAfterSeconds(429, 7));
            sim.failNext(JOB, 1, Fault.retryAfterSeconds(503, 2));

            HttpResponse<String> limited = http.get(JOB_PATH);
            assertEquals(429, limited.statusCode());
            assertEquals("7", limited.headers().firstValue("Retry-After").orElseThrow());
            assertEquals("rate_limit_exceeded", error(limited).get("code").asText());

            HttpResponse<String> overloaded = http.get(JOB_PATH);
            assertEquals(503, overloaded.statusCode());
            assertEquals("2", overloaded.headers().firstValue("Retry-After").orElseThrow());
            assertEquals("server_error", error(overloaded).get("type").asText());
        }
    }

    @Test
    void retryAfterAsAnHttpDate() {
        try (var sim = simulatorWithJob()) {
            sim.failNext(JOB, 1, Fault.retryAfterDate(429, Duration.ofSeconds(30)));
            Instant before = Instant.now();
            HttpResponse<String> response = new SimulatorHttp(sim).get(JOB_PATH);
            Instant after = Instant.now();

            assertEquals(429, response.statusCode());
            String value = response.headers().firstValue("Retry-After").orElseThrow();
            assertTrue(value.matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"), value);
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            assertTrue(!at.isBefore(before.plusSeconds(29)) && !at.isAfter(after.plusSeconds(31)), value);
        }
    }

    @Test
    void retryAfterInMilliseconds() {
        try (var sim = simulatorWithJob()) {
            sim.failNext(JOB, 1, Fault.retryAfterMs(429, 1500));
            HttpResponse<String> response = new SimulatorHttp(sim).get(JOB_PATH);
            assertEquals(429, response.statusCode());
            assertEquals("1500", response.headers().firstValue("retry-after-ms").orElseThrow());
            assertTrue(response.headers().firstValue("Retry-After").isEmpty());
        }
    }

    @Test
    void aResetIsAnIOExceptionAndNoAnswer() throws Exception {
        try (var sim = simulatorWithJob()) {
            // two in a row: the JDK client, like camel-http's Apache client, sends a GET that got no
            // answer at all once more before it gives up (see the next test)
            sim.failNext(JOB, 2, Fault.reset());
            HttpClient client = freshClient();
            HttpRequest request = get(sim, JOB_PATH, Duration.ofSeconds(5));

            IOException failure = assertThrows(IOException.class,
                    () -> client.send(request, HttpResponse.BodyHandlers.ofString()));
            assertTrue(!(failure instanceof HttpTimeoutException), "closed at once, not left hanging: " + failure);
            assertEquals(2, sim.requestCount("/v1" + JOB_PATH));

            assertEquals(200, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode(),
                    "only the scripted requests are reset");
            assertEquals(Map.of("reset", 2L), sim.faultsInjected());
        }
    }

    @Test
    void aSingleResetIsRetriedAwayByTheClientButACutOffIsNot() throws Exception {
        try (var sim = simulatorWithJob()) {
            HttpClient client = freshClient();
            HttpRequest request = get(sim, JOB_PATH, Duration.ofSeconds(5));

            sim.failNext(JOB, 1, Fault.reset());
            assertEquals(200, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(2, sim.requestCount("/v1" + JOB_PATH), "the client's own silent retry got the answer");

            sim.failNext(JOB, 1, Fault.cutOff());
            IOException failure = assertThrows(IOException.class,
                    () -> client.send(request, HttpResponse.BodyHandlers.ofString()));
            assertTrue(!(failure instanceof HttpTimeoutException), failure.toString());
            assertEquals(3, sim.requestCount("/v1" + JOB_PATH), "an answer had begun: no retry");

            sim.failNext(FineTuningApiSimulator.LIST, 1, Fault.cutOff());
            assertThrows(IOException.class, () -> client.send(get(sim, "/fine_tuning/jobs", Duration.ofSeconds(5)),
                    HttpResponse.BodyHandlers.ofString()));
            assertEquals(200, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(Map.of("cut_off", 2L, "reset", 1L), sim.faultsInjected());
        }
    }

    @Test
    void aDelayMakesAShorterTimeoutTimeOutAndTakesNoHttpThread() throws Exception {
        try (var sim = simulatorWithJob()) {
            // more delayed requests than the simulator has HTTP threads
            sim.failNext(JOB, 12, Fault.delay(Duration.ofSeconds(3)));
            HttpClient client = freshClient();
            List<CompletableFuture<HttpResponse<String>>> delayed = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                delayed.add(client.sendAsync(get(sim, JOB_PATH, Duration.ofMillis(400)), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> call : delayed) {
                Exception failure = assertThrows(Exception.class, () -> call.get(10, TimeUnit.SECONDS));
                assertTrue(failure.getCause() instanceof HttpTimeoutException, String.valueOf(failure.getCause()));
            }

            long start = System.nanoTime();
            assertEquals(200, new SimulatorHttp(sim).get("/fine_tuning/jobs").statusCode());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "other requests are answered meanwhile");

            sim.failNext(JOB, 1, Fault.delay(Duration.ofMillis(700)));
            start = System.nanoTime();
            HttpResponse<String> late = client.send(get(sim, JOB_PATH, Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofString());
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(700));
            assertEquals(200, late.statusCode());
            assertEquals(JOB, SimulatorHttp.parse(late.body()).get("id").asText(), "the normal answer, only late");
            assertEquals(Map.of("delay", 13L), sim.faultsInjected());
        }
    }

    @Test
    void garbageIsServedVerbatimAsJson() {
        String twoMegabytes = "x".repeat(2 * 1024 * 1024);
        try (var sim = simulatorWithJob()) {
            var http = new SimulatorHttp(sim);
            for (String body : new String[] {"<html>", "[1,2]", "{", "", twoMegabytes}) {
                sim.failNext(JOB, 1, Fault.garbage(body));
                HttpResponse<String> response = http.get(JOB_PATH);
                assertEquals(200, response.statusCode());
                assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
                assertEquals(body, response.body());
            }
            assertEquals(Map.of("garbage", 5L), sim.faultsInjected());
            assertTrue(Fault.garbage(twoMegabytes).toString().length() < 100, "toString stays short");
        }
    }

    @Test
    void failNextCountsQueuesAndTargets() {
        try (var sim = simulatorWithJob()) {
            sim.putJob(SimulatedJob.queued("ftjob-other", "gpt-4o-mini"));
            var http = new SimulatorHttp(sim);
            sim.failNext(JOB, 2, Fault.status(503));
            sim.failNext("/v1/fine_tuning/jobs/" + JOB, 1, Fault.status(500)); // a path names the same job
            sim.failNext(FineTuningApiSimulator.LIST, 1, Fault.status(502));

            assertEquals(200, http.get("/fine_tuning/jobs/ftjob-other").statusCode(), "another job is not affected");
            assertEquals(404, http.get("/models").statusCode(), "other paths are never faulted");
            assertEquals(List.of(503, 503, 500, 200), List.of(http.get(JOB_PATH).statusCode(),
                    http.get(JOB_PATH).statusCode(), http.get(JOB_PATH).statusCode(), http.get(JOB_PATH).statusCode()));
            assertEquals(502, http.get("/fine_tuning/jobs?limit=5").statusCode());
            assertEquals(200, http.get("/fine_tuning/jobs").statusCode());

            sim.failNext("ftjob-nobody", 1, Fault.status(500));
            assertEquals(500, http.get("/fine_tuning/jobs/ftjob-nobody").statusCode(), "a fault comes before the lookup");
            sim.requireApiKey("sk-test");
            sim.failNext(JOB, 1, Fault.status(503));
            assertEquals(503, http.get(JOB_PATH).statusCode(), "and before the key check, like a proxy's");
            assertEquals(401, http.get(JOB_PATH).statusCode());

            assertEquals(Map.of("http_500", 2L, "http_502", 1L, "http_503", 3L), sim.faultsInjected());
            assertEquals(List.of("http_500", "http_502", "http_503"), List.copyOf(sim.faultsInjected().keySet()),
                    "sorted by kind, for a summary table");
        }
    }

    @Test
    void clearFaultsDropsTheScriptButKeepsTheCounts() {
        try (var sim = simulatorWithJob()) {
            var http = new SimulatorHttp(sim);
            sim.failNext(JOB, 1, Fault.status(500));
            sim.failNext(JOB, 5, Fault.status(503));
            sim.failRandomly(1, 1, List.of(Fault.status(502)));
            assertEquals(500, http.get(JOB_PATH).statusCode());
            sim.clearFaults();
            assertEquals(200, http.get(JOB_PATH).statusCode());
            assertEquals(Map.of("http_500", 1L), sim.faultsInjected());
        }
    }

    @Test
    void badScriptsAreRefused() {
        try (var sim = FineTuningApiSimulator.start()) {
            assertThrows(IllegalArgumentException.class, () -> sim.failNext(JOB, -1, Fault.reset()));
            assertThrows(IllegalArgumentException.class, () -> sim.failNext("/v1/models", 1, Fault.reset()));
            assertThrows(IllegalArgumentException.class, () -> sim.failNext("", 1, Fault.reset()));
            assertThrows(NullPointerException.class, () -> sim.failNext(JOB, 1, null));
            assertThrows(IllegalArgumentException.class, () -> sim.failRandomly(1.5, 1, List.of(Fault.reset())));
            assertThrows(IllegalArgumentException.class, () -> sim.failRandomly(Double.NaN, 1, List.of(Fault.reset())));
            assertThrows(IllegalArgumentException.class, () -> sim.failRandomly(0.5, 1, List.of()));
        }
        assertThrows(IllegalArgumentException.class, () -> Fault.status(200));
        assertThrows(IllegalArgumentException.class, () -> Fault.status(600));
        assertThrows(IllegalArgumentException.class, () -> Fault.status(429, " "));
        assertThrows(IllegalArgumentException.class, () -> Fault.retryAfterSeconds(429, -1));
        assertThrows(IllegalArgumentException.class, () -> Fault.retryAfterMs(429, -1));
        assertThrows(IllegalArgumentException.class, () -> Fault.retryAfterDate(429, Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> Fault.delay(Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> Fault.garbage(null));
    }

    /** The status codes of {@code n} requests made one after another, alternating a job and the list. */
    private static List<Integer> statuses(FineTuningApiSimulator sim, int n) {
        var http = new SimulatorHttp(sim);
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            codes.add(http.get(i % 2 == 0 ? JOB_PATH : "/fine_tuning/jobs").statusCode());
        }
        return codes;
    }

    @Test
    void randomFaultsAreReproducibleWithTheSeed() {
        List<Fault> kinds = List.of(Fault.status(500), Fault.status(502), Fault.status(503),
                Fault.retryAfterSeconds(429, 1), Fault.garbage("<html>"));
        List<Integer> first;
        List<Integer> again;
        List<Integer> otherSeed;
        Map<String, Long> firstCounts;
        try (var sim = simulatorWithJob()) {
            sim.failRandomly(0.3, 42, kinds);
            first = statuses(sim, 200);
            firstCounts = sim.faultsInjected();
        }
        try (var sim = simulatorWithJob()) {
            sim.failRandomly(0.3, 42, kinds);
            again = statuses(sim, 200);
            assertEquals(firstCounts, sim.faultsInjected());
        }
        try (var sim = simulatorWithJob()) {
            sim.failRandomly(0.3, 7, kinds);
            otherSeed = statuses(sim, 200);
        }
        assertEquals(first, again, "same seed, same requests: same faults");
        assertNotEquals(first, otherSeed, "another seed, other faults");

        // garbage answers 200 too, so count faults from the counts rather than the statuses
        long injected = firstCounts.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(injected > 30 && injected < 90, "about 30% of 200: " + injected);
        assertEquals(5, firstCounts.size(), "every kind is chosen: " + firstCounts);
        long notOk = first.stream().filter(code -> code != 200).count();
        assertEquals(injected - firstCounts.get("garbage"), notOk);
    }

    @Test
    void randomFaultsTurnOffAndGiveWayToScriptedOnes() {
        try (var sim = simulatorWithJob()) {
            var http = new SimulatorHttp(sim);
            sim.failRandomly(1, 3, List.of(Fault.status(502)));
            sim.failNext(JOB, 1, Fault.status(429, "insufficient_quota"));
            assertEquals(429, http.get(JOB_PATH).statusCode(), "the scripted fault first");
            assertEquals(502, http.get(JOB_PATH).statusCode());
            assertEquals(502, http.get("/fine_tuning/jobs").statusCode());
            assertEquals(404, http.get("/models").statusCode(), "other paths are never faulted");

            sim.failRandomly(0, 3, List.of());
            assertEquals(List.of(200, 200, 200, 200), statuses(sim, 4));
            assertEquals(Map.of("http_429_insufficient_quota", 1L, "http_502", 2L), sim.faultsInjected());
        }
    }

    @Test
    void eachScriptedFaultGoesToExactlyOneOfManyConcurrentRequests() throws Exception {
        try (var sim = simulatorWithJob()) {
            sim.failNext(JOB, 60, Fault.status(503));
            ExecutorService callers = Executors.newFixedThreadPool(8);
            ConcurrentLinkedQueue<Integer> codes = new ConcurrentLinkedQueue<>();
            try {
                var http = new SimulatorHttp(sim);
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    calls.add(callers.submit(() -> codes.add(http.get(JOB_PATH).statusCode())));
                }
                for (Future<?> call : calls) {
                    call.get(30, TimeUnit.SECONDS);
                }
            } finally {
                callers.shutdownNow();
            }
            assertEquals(60, codes.stream().filter(code -> code == 503).count());
            assertEquals(140, codes.stream().filter(code -> code == 200).count());
            assertEquals(Map.of("http_503", 60L), sim.faultsInjected());
        }
    }
}
