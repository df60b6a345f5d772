package dev.ftnotifier.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** One instance's management server as a probe and a scraper see it, on a free port of 127.0.0.1. */
final class Probe {

    record Answer(int status, String body) {
        JsonNode check(String name) {
            try {
                for (JsonNode c : new ObjectMapper().readTree(body).path("checks")) {
                    if (name.equals(c.path("name").asText())) {
                        return c;
                    }
                }
                return MissingNode.getInstance();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Probe() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** The settings that turn the management server on, on this port. */
    Map<String, String> on(Map<String, String> properties) {
        properties.put("notifier.management.port", String.valueOf(port));
        properties.put("notifier.management.host", "127.0.0.1");
        return properties;
    }

    Answer get(String path) {
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

    /** A metric's value as Prometheus reads it, or -1 when it is not there. */
    double metric(String series) {
        return get("/observe/metrics").body().lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).findFirst().orElse(-1);
    }
}
