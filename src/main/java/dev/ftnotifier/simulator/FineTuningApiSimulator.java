package dev.ftnotifier.simulator;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible fine-tuning API on 127.0.0.1, serving jobs that a test or the
 * demo scenario controls. It powers demo mode and the tests, so the notifier can be
 * run end to end with no key and no network.
 *
 * <pre>{@code
 * try (var sim = FineTuningApiSimulator.start()) {
 *     sim.putJob(SimulatedJob.queued("ftjob-1", "gpt-4o-mini-2024-07-18"));
 *     sim.setStatus("ftjob-1", "succeeded");
 *     // point the notifier at sim.baseUrl()
 * }
 * }</pre>
 */
public final class FineTuningApiSimulator implements AutoCloseable {

    private static final int HTTP_THREADS = 8;

    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final JobStore jobs;
    private final RequestLog requestLog = new RequestLog();
    private final ApiHandler handler;
    private ScheduledExecutorService scheduler; // created on first use; guarded by this

    private FineTuningApiSimulator(HttpServer server, ExecutorService httpThreads, Clock clock) {
        this.server = server;
        this.httpThreads = httpThreads;
        this.jobs = new JobStore(clock);
        this.handler = new ApiHandler(jobs, requestLog, clock);
    }

    /** Starts on a free port of 127.0.0.1. */
    public static FineTuningApiSimulator start() {
        return start(0);
    }

    /** Starts on the given port of 127.0.0.1 (0 = any free port); never on other interfaces. */
    public static FineTuningApiSimulator start(int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(loopback(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the simulator to 127.0.0.1:" + port, e);
        }
        ExecutorService httpThreads = Executors.newFixedThreadPool(HTTP_THREADS, daemonThreads("ft-simulator-http"));
        FineTuningApiSimulator simulator = new FineTuningApiSimulator(server, httpThreads, Clock.systemUTC());
        server.createContext("/", simulator.handler);
        server.setExecutor(httpThreads);
        server.start();
        return simulator;
    }

    /** Like {@code https://api.openai.com/v1}: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** When non-null, requests must carry {@code Authorization: Bearer <key>} or get a 401. */
    public void requireApiKey(String key) {
        handler.requireApiKey(key);
    }

    /**
     * From now on {@code GET /fine_tuning/jobs} answers {@code status} with {@code rawBody}
     * verbatim (an error envelope, a body that is not JSON), after the key check; single-job
     * requests are not affected.
     */
    public void answerListWith(int status, String rawBody) {
        handler.answerList(status, Objects.requireNonNull(rawBody, "rawBody"));
    }

    /** Undoes {@link #answerListWith}: the list pages through the jobs again. */
    public void answerListNormally() {
        handler.answerList(200, null);
    }

    /** Serves {@code rawBody} verbatim (even if it is not JSON) for this id. */
    public void putJob(String jobId, String rawBody) {
        jobs.putRaw(jobId, rawBody);
    }

    /** Adds or replaces a typed job. */
    public void putJob(SimulatedJob job) {
        jobs.put(job);
    }

    /**
     * @throws java.util.NoSuchElementException if no job has this id
     * @throws IllegalStateException             if the job was put as a raw body
     */
    public SimulatedJob job(String jobId) {
        return jobs.job(jobId);
    }

    /** Moves a typed job to {@code status}, filling what the real API fills (see {@link StatusTransitions}). */
    public void setStatus(String jobId, String status) {
        jobs.setStatus(jobId, status);
    }

    /** Fails a typed job with this error; {@code param} may be null. */
    public void fail(String jobId, String code, String message, String param) {
        jobs.fail(jobId, new SimulatedJob.JobError(code, message, param));
    }

    public void removeJob(String jobId) {
        jobs.remove(jobId);
    }

    /** Every request received so far, in order. */
    public List<RecordedRequest> requests() {
        return requestLog.snapshot();
    }

    /** How many requests hit exactly this raw path, e.g. {@code /v1/fine_tuning/jobs/ftjob-1}. */
    public long requestCount(String path) {
        return requestLog.count(path);
    }

    /** The scheduler that moves jobs over time; owned here so that close() stops it. */
    synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("ft-simulator-scenario"));
        }
        return scheduler;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
        server.stop(0);
        httpThreads.shutdownNow();
    }

    /**
     * Runs the simulator with the demo scenario until Ctrl-C:
     * {@code java -cp target/fine-tuning-notifier.jar dev.ftnotifier.simulator.FineTuningApiSimulator [port]}.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        FineTuningApiSimulator simulator = start(port);
        DemoScenario.install(simulator, Duration.ofSeconds(3));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "ft-simulator-shutdown"));
        System.out.println("Fine-tuning API simulator listening at " + simulator.baseUrl());
        System.out.println("Demo jobs: " + String.join(", ", DemoScenario.jobIds()));
        System.out.flush();
        stopped.await();
    }

    private static InetAddress loopback() {
        try {
            // explicit IPv4 loopback: getLoopbackAddress() may give ::1, and baseUrl() promises 127.0.0.1
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a literal address cannot be unknown", e);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true); // never keeps a JVM (or a test run) alive
            return thread;
        };
    }
}
