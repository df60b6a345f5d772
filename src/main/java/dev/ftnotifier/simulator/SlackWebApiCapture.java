package dev.ftnotifier.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for Slack's Web API on 127.0.0.1: {@code POST /api/chat.postMessage} with
 * {@code Authorization: Bearer <token>} and a form or JSON body (channel, text, blocks,
 * thread_ts, reply_broadcast). Keeps each accepted post (blocks parsed, {@code ts} added) and
 * answers {@code {"ok":true,"ts":...}}, or {@code {"ok":false,"error":"invalid_auth"}} for
 * another token, as Slack does (HTTP 200 both).
 */
public final class SlackWebApiCapture implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads;
    private final String token;
    private final List<JsonNode> posts = new ArrayList<>();
    private final AtomicLong next = new AtomicLong(1_700_000_000_000_100L);
    private int rejected; // guarded by this

    private SlackWebApiCapture(HttpServer server, ExecutorService threads, String token) {
        this.server = server;
        this.threads = threads;
        this.token = token;
    }

    /** Accepts posts that carry this bot token. */
    public static SlackWebApiCapture start(String token) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
            ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "slack-web-api-capture");
                t.setDaemon(true);
                return t;
            });
            SlackWebApiCapture capture = new SlackWebApiCapture(server, threads, token);
            server.createContext("/api/chat.postMessage", capture::handle);
            server.setExecutor(threads);
            server.start();
            return capture;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What notifier.slack.server-url is set to. */
    public String serverUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized List<JsonNode> posts() {
        return List.copyOf(posts);
    }

    /** Posts refused for a wrong or missing token. */
    public synchronized int rejected() {
        return rejected;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            ObjectNode answer = JSON.createObjectNode();
            if (!Objects.equals(auth, "Bearer " + token)) {
                synchronized (this) {
                    rejected++;
                }
                answer.put("ok", false).put("error", "invalid_auth");
            } else {
                ObjectNode post = parse(exchange.getRequestHeaders().getFirst("Content-Type"),
                        new String(raw, StandardCharsets.UTF_8));
                String ts = tsOf(next.getAndIncrement());
                post.put("ts", ts);
                synchronized (this) {
                    posts.add(post);
                }
                answer.put("ok", true).put("channel", post.path("channel").asText()).put("ts", ts);
            }
            byte[] body = answer.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static String tsOf(long micros) {
        return micros / 1_000_000 + "." + String.format("%06d", micros % 1_000_000);
    }

    private static ObjectNode parse(String contentType, String body) throws IOException {
        ObjectNode post = JSON.createObjectNode();
        if (contentType != null && contentType.startsWith("application/json")) {
            JsonNode json = JSON.readTree(body);
            json.fields().forEachRemaining(e -> post.set(e.getKey(), e.getValue()));
        } else {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (name) {
                    case "blocks" -> post.set("blocks", JSON.readTree(value));
                    // the SDK writes booleans as 1 and 0
                    case "reply_broadcast" -> post.put("reply_broadcast", "1".equals(value) || Boolean.parseBoolean(value));
                    default -> post.put(name, value);
                }
            }
        }
        return post;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
