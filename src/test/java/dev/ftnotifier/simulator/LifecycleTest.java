package dev.ftnotifier.simulator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Binding, closing and concurrent use. */
class LifecycleTest {

    @Test
    void bindsTheLoopbackOnAFreePort() {
        try (var sim = FineTuningApiSimulator.start()) {
            assertTrue(sim.port() > 0);
            assertEquals("http://127.0.0.1:" + sim.port() + "/v1", sim.baseUrl());
        }
    }

    @Test
    void startsOnAGivenPort() throws IOException {
        int port = dev.ftnotifier.testing.FreePorts.pick();
        try (var sim = FineTuningApiSimulator.start(port)) {
            assertEquals("http://127.0.0.1:" + port + "/v1", sim.baseUrl());
            assertEquals(200, new SimulatorHttp(sim).get("/fine_tuning/jobs").statusCode());
        }
    }

    @Test
    void aTakenPortFailsClearly() {
        try (var first = FineTuningApiSimulator.start()) {
            UncheckedIOException failure = assertThrows(UncheckedIOException.class,
                    () -> FineTuningApiSimulator.start(first.port()).close());
            assertTrue(failure.getMessage().contains(String.valueOf(first.port())));
        }
    }

    @Test
    void closeStopsServingAndTheScenarioThread() {
        int port;
        try (var sim = FineTuningApiSimulator.start()) {
            DemoScenario.install(sim, Duration.ofHours(1));
            port = sim.port();
        }
        assertThrows(IOException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("ft-simulator-scenario") && t.isAlive()));
    }

    @Test
    void servesConcurrentReadsWhileStatusesChange() {
        try (var sim = FineTuningApiSimulator.start()) {
            sim.putJob(SimulatedJob.queued("ftjob-busy", "gpt-4o-mini"));
            var http = new SimulatorHttp(sim);
            AtomicBoolean done = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                String[] statuses = {"running", "paused", "queued", "succeeded", "failed", "cancelled"};
                for (int i = 0; !done.get(); i++) {
                    sim.setStatus("ftjob-busy", statuses[i % statuses.length]);
                }
            });
            writer.start();
            try {
                List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    calls.add(http.client().sendAsync(http.request("/fine_tuning/jobs/ftjob-busy").build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                for (CompletableFuture<HttpResponse<String>> call : calls) {
                    HttpResponse<String> response = call.join();
                    assertEquals(200, response.statusCode());
                    assertEquals("ftjob-busy", SimulatorHttp.parse(response.body()).get("id").asText());
                }
            } finally {
                done.set(true);
            }
            assertEquals(200, sim.requestCount("/v1/fine_tuning/jobs/ftjob-busy"));
        }
    }
}
