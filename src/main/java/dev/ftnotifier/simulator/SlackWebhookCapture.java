package dev.ftnotifier.simulator;

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
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A stand-in for a Slack incoming webhook on 127.0.0.1: keeps every JSON payload posted to
 * it and answers {@code 200 ok}, or, when told to, fails the next posts as Slack does
 * ({@code 500 server_error}, {@code 400 invalid_payload}). The demo shows what it receives;
 * the tests assert on it.
 */
public final class SlackWebhookCapture implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // As in FineTuningApiSimulator: with Nagle on, the JDK server's answer took about 40 ms
        // (headers and body written apart, the client's delayed ACK). Read once, by the first
        // HttpServer of the JVM; an explicit -Dsun.net.httpserver.nodelay wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final List<JsonNode> posts = new ArrayList<>();
    private final Deque<Integer> failures = new ArrayDeque<>();
    private final java.util.concurrent.atomic.AtomicInteger hangs = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    private int attempts;
    private int answersToDrop; // guarded by this
    private int hangsAfterStoring; // guarded by this
    private double failProbability; // guarded by this
    private Random failRandom; // guarded by this; null when random failures are off
    private final Map<String, Long> injected = new TreeMap<>(); // guarded by this
    private volatile Consumer<JsonNode> listener = post -> { };
    private volatile int hungAnswer; // 0: a released hang loses its connection

    private SlackWebhookCapture(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    public static SlackWebhookCapture start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "slack-capture");
                t.setDaemon(true);
                return t;
            });
            SlackWebhookCapture capture = new SlackWebhookCapture(server, threads);
            server.createContext("/", capture::handle);
            server.setExecutor(threads);
            server.start();
            return capture;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the Slack capture to 127.0.0.1", e);
        }
    }

    /** The webhook URL to configure; shaped like Slack's, with an obviously fake secret. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T0000TEST/B0000TEST/not-a-real-secret";
    }

    /** The next {@code count} posts are answered with {@code status} and not kept. */
    public synchronized void failNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            failures.add(status);
        }
    }

    /** Forgets the failures still queued: Slack is healthy again. */
    public synchronized void recover() {
        failures.clear();
    }

    /**
     * From now on each post that no {@link #failNext} failure is queued for fails with this
     * probability: answered {@code 500 server_error} or {@code 503 server_error} (even odds) and
     * not kept, as a Slack having a bad day. The choices come from {@code new Random(seed)} in
     * the order posts arrive, so the same posts made one after another fail the same way on
     * every run. {@code failRandomly(0, anySeed)} turns it off; {@link #recover()} does not.
     *
     * @throws IllegalArgumentException if the probability is outside [0, 1]
     */
    public synchronized void failRandomly(double probability, long seed) {
        if (!(probability >= 0 && probability <= 1)) { // also refuses NaN
            throw new IllegalArgumentException("probability must be within [0, 1], not " + probability);
        }
        failProbability = probability;
        failRandom = probability > 0 ? new Random(seed) : null;
    }

    /**
     * How many posts were failed on purpose so far, scripted ({@link #failNext}) and random
     * ({@link #failRandomly}) alike, per kind ({@code http_500}, {@code http_503}, ...), sorted
     * by kind; a snapshot. Hung posts ({@link #hangNext}) are not counted here.
     */
    public synchronized Map<String, Long> faultsInjected() {
        return Collections.unmodifiableMap(new TreeMap<>(injected));
    }

    /**
     * The next {@code count} posts get no answer until {@link #releaseHangs()} (or close), and
     * then lose their connection: a Slack that hangs mid-delivery. They are not kept.
     */
    public void hangNext(int count) {
        hangs.addAndGet(count);
    }

    /**
     * The next {@code count} posts are kept, as Slack would post them, and then lose their
     * connection without an answer: Slack took the message and the answer was lost, so the
     * sender cannot know it arrived. Kept in {@link #posts()}; not counted in {@link #faultsInjected()}.
     */
    public synchronized void dropAnswerAfterStoring(int count) {
        answersToDrop += count;
    }

    /**
     * The next {@code count} posts are kept, as Slack would post them, and then get no answer
     * until {@link #releaseHangs()} (or close): Slack took the message and hangs before
     * answering, so a sender killed meanwhile cannot know it arrived. Kept in {@link #posts()};
     * counted in {@link #attempts()}, not in {@link #faultsInjected()}.
     */
    public synchronized void hangNextAfterStoring(int count) {
        hangsAfterStoring += count;
    }

    public void releaseHangs() {
        release.countDown();
    }

    /**
     * Posts hung by {@link #hangNext} are answered {@code status} ({@code server_error}) when released, instead of
     * losing their connection: a Slack that is slow to fail. (A lost connection is sent again
     * by Slack's HTTP client itself, so the sender sees a success.)
     */
    public void answerHungWith(int status) {
        hungAnswer = status;
    }

    /** Called with each payload that was accepted. */
    public void onPost(Consumer<JsonNode> listener) {
        this.listener = listener;
    }

    /** Payloads accepted (answered 200), in order. */
    public synchronized List<JsonNode> posts() {
        return List.copyOf(posts);
    }

    /** Every post received, failed ones included. */
    public synchronized int attempts() {
        return attempts;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (hangs.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            synchronized (this) {
                attempts++;
            }
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int status = hungAnswer;
            if (status > 0) {
                byte[] answer = "server_error".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
            return;
        }
        Integer failure;
        JsonNode payload = null;
        boolean dropAnswer = false;
        boolean hang = false;
        synchronized (this) {
            attempts++;
            failure = failures.poll();
            if (failure == null && failRandom != null && failRandom.nextDouble() < failProbability) {
                failure = failRandom.nextBoolean() ? 500 : 503;
            }
            if (failure != null) {
                injected.merge("http_" + failure, 1L, Long::sum);
            }
            if (failure == null) {
                try {
                    payload = JSON.readTree(body);
                } catch (IOException e) {
                    failure = 400;
                }
            }
            if (failure == null) {
                posts.add(payload);
                // decided with the post kept, so the post whose answer is lost is posts()'s next one
                dropAnswer = answersToDrop > 0;
                answersToDrop -= dropAnswer ? 1 : 0;
                hang = !dropAnswer && hangsAfterStoring > 0;
                hangsAfterStoring -= hang ? 1 : 0;
            }
        }
        if (failure == null) {
            listener.accept(payload);
            if (hang) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (dropAnswer || hang) {
                exchange.close(); // no status line: the connection ends before any answer
                return;
            }
        }
        int status = failure == null ? 200 : failure;
        byte[] answer = (failure == null ? "ok" : failure >= 500 ? "server_error" : "invalid_payload")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
