package dev.ftnotifier.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain JDK HTTP client aimed at one simulator, so tests read as "GET this path". */
final class SimulatorHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance with the JDK server
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final FineTuningApiSimulator simulator;

    SimulatorHttp(FineTuningApiSimulator simulator) {
        this.simulator = simulator;
    }

    /** {@code pathAfterV1} like {@code /fine_tuning/jobs/ftjob-1}. */
    HttpResponse<String> get(String pathAfterV1, String... headerPairs) {
        return send(request(pathAfterV1, headerPairs).GET().build());
    }

    HttpResponse<String> send(String method, String pathAfterV1) {
        return send(request(pathAfterV1).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    JsonNode getJson(String pathAfterV1, String... headerPairs) {
        return parse(get(pathAfterV1, headerPairs).body());
    }

    HttpRequest.Builder request(String pathAfterV1, String... headerPairs) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + pathAfterV1))
                .timeout(Duration.ofSeconds(10));
        if (headerPairs.length > 0) {
            builder.headers(headerPairs);
        }
        return builder;
    }

    HttpClient client() {
        return client;
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
