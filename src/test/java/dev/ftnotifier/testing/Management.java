package dev.ftnotifier.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The notifier's management server as a probe or a scraper sees it: real HTTP on a free port of 127.0.0.1. */
public final class Management {

    public record Answer(int status, String body) {
        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The check with this name in a health body, or a missing node. */
        public JsonNode check(String name) {
            for (JsonNode c : json().path("checks")) {
                if (name.equals(c.path("name").asText())) {
                    return c;
                }
            }
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public Management() {
        port = FreePorts.pick();
    }

    /** The settings that turn the management server on, on this free port of 127.0.0.1. */
    public Map<String, String> on(Map<String, String> properties) {
        properties.put("notifier.management.port", String.valueOf(port));
        properties.put("notifier.management.host", "127.0.0.1");
        return properties;
    }

    public int port() {
        return port;
    }

    public Answer get(String path) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of a metric line ({@code name{labels}} exactly as written, labels in Prometheus' order), or -1. */
    public double metric(String series) {
        return get("/observe/metrics").body().lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).findFirst().orElse(-1);
    }
}
