package dev.ftnotifier.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A generic webhook receiver on 127.0.0.1 (a Teams, Discord or in-house service stand-in):
 * keeps every request with its method, path, query and headers, answers 204, or fails the
 * next requests with a status it is told; told to, it takes a while for each answer (several
 * requests are answered at once, each on its own thread).
 */
public final class RecordingWebhook implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received; header names lower-cased. */
    public record Request(String method, String path, String query, Map<String, String> headers, String body, int answered) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Integer> failures = new ArrayDeque<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private volatile long answerAfterMillis;

    private RecordingWebhook(HttpServer server) {
        this.server = server;
        server.setExecutor(threads);
    }

    public static RecordingWebhook start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            RecordingWebhook webhook = new RecordingWebhook(server);
            server.createContext("/", webhook::handle);
            server.start();
            return webhook;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL: http://127.0.0.1:port */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized void failNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            failures.add(status);
        }
    }

    /** Fails no more requests: the ones {@link #failNext} was told of and not yet met are forgotten. */
    public synchronized void stopFailing() {
        failures.clear();
    }

    /** Each answer from now on comes this long after its request arrived (a slow service). */
    public void answerAfter(long millis) {
        answerAfterMillis = millis;
    }

    /** Every request, failed ones included. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests answered 2xx. */
    public synchronized List<Request> accepted() {
        return requests.stream().filter(r -> r.answered() / 100 == 2).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
        int status;
        synchronized (this) {
            Integer failure = failures.poll();
            status = failure == null ? 204 : failure;
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body, status));
        }
        long delay = answerAfterMillis;
        if (delay > 0) {
            try {
                Thread.sleep(delay); // the service's own slowness, not a wait of the test's
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (status == 204) {
            exchange.sendResponseHeaders(204, -1);
        } else {
            byte[] answer = "{\"error\":\"try later\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
