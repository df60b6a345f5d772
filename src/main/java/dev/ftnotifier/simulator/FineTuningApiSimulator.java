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
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>It can also misbehave on cue, the way the real API and the network between do:
 * {@link #failNext} scripts the next answers for one job (or for the {@link #LIST} endpoint),
 * {@link #failRandomly} fails a seeded share of all job and list requests, and
 * {@link #faultsInjected} counts what was injected. See {@link Fault} for the kinds.
 */
public final class FineTuningApiSimulator implements AutoCloseable {

    /** The fault target for {@code GET /fine_tuning/jobs}, the list endpoint; any other target is a job id. */
    public static final String LIST = ApiHandler.JOBS_PATH;

    private static final int HTTP_THREADS = 8;
    /** Connections waiting to be accepted: the JDK's default of 50 drops some of a 64-connection burst. */
    private static final int BACKLOG = 1024;

    static {
        // The JDK server writes headers and body apart; with Nagle on, the client's delayed ACK made
        // every answer take about 40 ms. Read once, when the first HttpServer of the JVM is made;
        // an explicit -Dsun.net.httpserver.nodelay wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // The JDK server closes keep-alive connections beyond 200 idle ones: a benchmark with more
        // connections than that would reconnect all the time.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
        }
    }

    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final JobStore jobs;
    private final RequestLog requestLog = new RequestLog();
    private final FaultScript faults = new FaultScript();
    private final ApiHandler handler;
    private final ArrivalLog arrivals = new ArrivalLog();
    private final JobArtifacts artifacts;
    private final LatencyHandler latency;
    private ScheduledExecutorService scheduler; // created on first use; guarded by this
    private ScheduledExecutorService delayTimer; // created on first delay fault; guarded by this
    private volatile WebhookSender webhooks; // null: no webhook events sent

    private FineTuningApiSimulator(HttpServer server, ExecutorService httpThreads, Clock clock) {
        this.server = server;
        this.httpThreads = httpThreads;
        this.jobs = new JobStore(clock);
        this.handler = new ApiHandler(jobs, requestLog, clock, faults, this::answerLater);
        this.artifacts = new JobArtifacts(handler, jobs, requestLog);
        // the latency applies to every path, the result files, checkpoints and events too
        this.latency = new LatencyHandler(artifacts, this::answerLater);
    }

    /** Starts on a free port of 127.0.0.1. */
    public static FineTuningApiSimulator start() {
        return start(0);
    }

    /** Starts on the given port of 127.0.0.1 (0 = any free port); never on other interfaces. */
    public static FineTuningApiSimulator start(int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(loopback(), port), BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the simulator to 127.0.0.1:" + port, e);
        }
        ExecutorService httpThreads = Executors.newFixedThreadPool(HTTP_THREADS, daemonThreads("ft-simulator-http"));
        FineTuningApiSimulator simulator = new FineTuningApiSimulator(server, httpThreads, Clock.systemUTC());
        server.createContext("/", simulator.latency).getFilters().add(new ArrivalFilter(simulator.arrivals));
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
        artifacts.requireApiKey(key);
    }

    /** Result files, checkpoints and events, and their faults. */
    public JobArtifacts artifacts() {
        return artifacts;
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
        WebhookSender sender = webhooks;
        if (sender != null) {
            sender.jobReached(jobId, status);
        }
    }

    /** Fails a typed job with this error; {@code param} may be null. */
    public void fail(String jobId, String code, String message, String param) {
        jobs.fail(jobId, new SimulatedJob.JobError(code, message, param));
        WebhookSender sender = webhooks;
        if (sender != null) {
            sender.jobReached(jobId, "failed");
        }
    }

    /**
     * From now on, when a job ends ({@code succeeded}, {@code failed}, {@code cancelled}) the
     * simulator POSTs the OpenAI webhook event for it to {@code url}, signed with {@code secret}
     * ({@code whsec_<base64>}, or any other text as raw key bytes), after the API shows the status.
     * Off by default; {@code null} turns it off again.
     */
    public void sendWebhooksTo(String url, String secret) {
        webhooks = url == null ? null : new WebhookSender(url, secret, scheduler());
    }

    /** How many webhook events got each answer (HTTP status; -1 for no answer), since {@link #sendWebhooksTo}. */
    public Map<Integer, Long> webhookAnswers() {
        WebhookSender sender = webhooks;
        return sender == null ? Map.of() : sender.answers();
    }

    public void removeJob(String jobId) {
        jobs.remove(jobId);
    }

    /** Every request received so far, in order (none while {@link #keepRequestDetails} is off). */
    public List<RecordedRequest> requests() {
        return requestLog.snapshot();
    }

    /**
     * Whether {@link #requests()} keeps each request with its headers (on by default). The
     * benchmark turns it off: at 100,000 requests the records cost about 100 MB, and
     * {@link #arrivals()} keeps what it needs in about 1 MB. Off, requests are not recorded (and
     * {@link #requestCount} does not count them).
     */
    public void keepRequestDetails(boolean keep) {
        requestLog.keep(keep);
    }

    /** When each request arrived and for what, cheaply; always on. */
    public ArrivalLog arrivals() {
        return arrivals;
    }

    /**
     * Every request is answered this long after it arrives, as if the network and the API took
     * that long ({@code Duration.ZERO}, the default, answers at once). The wait holds no HTTP
     * thread, so the simulator serves well over 10,000 requests a second at 20 ms; faults
     * (including {@link Fault#delay}) come on top of it.
     */
    public void latency(Duration perRequest) {
        latency.latency(Objects.requireNonNull(perRequest, "perRequest"));
    }

    /** How many requests hit exactly this raw path, e.g. {@code /v1/fine_tuning/jobs/ftjob-1}. */
    public long requestCount(String path) {
        return requestLog.count(path);
    }

    /**
     * The next {@code count} requests for this target get {@code fault}, then it answers normally
     * again. The target is a job id, a job's raw path ({@code /v1/fine_tuning/jobs/ftjob-1}) or
     * {@link #LIST}. Calls add up in order: {@code failNext(id, 2, status(503))} then
     * {@code failNext(id, 1, reset())} answers 503, 503, then resets. A scripted fault goes before
     * {@link #failRandomly} and draws nothing from its random sequence. Faults come before the API
     * key check, as a proxy's would; only job and list requests are ever faulted.
     *
     * @throws IllegalArgumentException if {@code count} is negative or the target is a path that
     *                                  names neither a job nor the list
     */
    public void failNext(String pathOrJobId, int count, Fault fault) {
        faults.failNext(pathOrJobId, count, fault);
    }

    /**
     * From now on each job or list request without a scripted fault fails with this probability,
     * with a kind chosen uniformly from {@code kinds}. The choices come from {@code new Random(seed)}
     * in the order requests arrive, so the same requests made one after another fail the same way
     * on every run. {@code failRandomly(0, anySeed, List.of())} turns it off.
     *
     * @throws IllegalArgumentException if the probability is outside [0, 1], or above 0 with no kinds
     */
    public void failRandomly(double probability, long seed, List<Fault> kinds) {
        faults.failRandomly(probability, seed, kinds);
    }

    /** Drops every scripted fault and turns random faults off; the counts are kept. */
    public void clearFaults() {
        faults.clear();
    }

    /** How many faults were injected so far, per {@link Fault#kind()}, sorted by kind; a snapshot. */
    public Map<String, Long> faultsInjected() {
        return faults.injected();
    }

    /**
     * What a fault does to one request. Build them with the static factories; {@link #kind()} names
     * the kind for {@link #faultsInjected()}. Error statuses answer the API's error envelope
     * {@code {"error":{"message","type","param","code"}}} and an {@code x-request-id}.
     */
    public sealed interface Fault {

        /** A stable name for counting, e.g. {@code http_503}, {@code http_429_insufficient_quota}, {@code reset}. */
        String kind();

        /** An error status (400-599) with the envelope the API sends for it: {@code server_error} for 5xx. */
        static Fault status(int code) {
            return new Status(code, null);
        }

        /**
         * An error status with this {@code error.code}, e.g. 429 {@code rate_limit_exceeded} (type
         * {@code requests}) or {@code insufficient_quota} (type {@code insufficient_quota}), 401
         * {@code invalid_api_key}, 403 {@code unsupported_country_region_territory}.
         */
        static Fault status(int code, String errorCode) {
            if (errorCode == null || errorCode.isBlank()) {
                throw new IllegalArgumentException("errorCode must not be blank; use status(code) for none");
            }
            return new Status(code, errorCode);
        }

        /** An error status (429, 503) with {@code Retry-After: <seconds>}. */
        static Fault retryAfterSeconds(int code, long seconds) {
            return new RetryAfterSeconds(code, seconds);
        }

        /**
         * An error status with {@code Retry-After: <HTTP date>}, {@code fromNow} after the answer is
         * sent, rounded up to the whole second an HTTP date can say.
         */
        static Fault retryAfterDate(int code, Duration fromNow) {
            return new RetryAfterDate(code, fromNow);
        }

        /** An error status with {@code retry-after-ms: <millis>}, the OpenAI SDKs' finer header. */
        static Fault retryAfterMs(int code, long millis) {
            return new RetryAfterMs(code, millis);
        }

        /**
         * The connection is closed without a byte of answer, as by a proxy or a server that died:
         * an HTTP client sees an {@link IOException} ({@code NoHttpResponseException}, "header parser
         * received no bytes"), never a status. Beware: both the JDK {@code HttpClient} and Apache
         * HttpClient 5 (camel-http's default) send an idempotent GET once more, at once, after such a
         * failure; script two resets in a row for the client itself to see one, or use {@link #cutOff()}.
         */
        static Fault reset() {
            return new Reset();
        }

        /**
         * The normal answer's status and headers, with the full {@code Content-Length}, then half the
         * body and the connection closed: an {@link IOException} while reading the body, which no
         * client retries, because an answer had begun.
         */
        static Fault cutOff() {
            return new CutOff();
        }

        /**
         * The normal answer, only after {@code duration}, for read timeouts. The wait takes no HTTP
         * thread, so other requests are answered meanwhile.
         */
        static Fault delay(Duration duration) {
            return new Delay(duration);
        }

        /** 200 with this body verbatim and {@code Content-Type: application/json}. */
        static Fault garbage(String body) {
            return new Garbage(body);
        }

        record Status(int code, String errorCode) implements Fault {
            public Status {
                requireErrorStatus(code);
            }

            @Override
            public String kind() {
                return "http_" + code + (errorCode == null ? "" : "_" + errorCode);
            }
        }

        record RetryAfterSeconds(int code, long seconds) implements Fault {
            public RetryAfterSeconds {
                requireErrorStatus(code);
                if (seconds < 0) {
                    throw new IllegalArgumentException("seconds must not be negative: " + seconds);
                }
            }

            @Override
            public String kind() {
                return "http_" + code + "_retry_after_seconds";
            }
        }

        record RetryAfterDate(int code, Duration fromNow) implements Fault {
            public RetryAfterDate {
                requireErrorStatus(code);
                requireNotNegative(fromNow, "fromNow");
            }

            @Override
            public String kind() {
                return "http_" + code + "_retry_after_date";
            }
        }

        record RetryAfterMs(int code, long millis) implements Fault {
            public RetryAfterMs {
                requireErrorStatus(code);
                if (millis < 0) {
                    throw new IllegalArgumentException("millis must not be negative: " + millis);
                }
            }

            @Override
            public String kind() {
                return "http_" + code + "_retry_after_ms";
            }
        }

        record Reset() implements Fault {
            @Override
            public String kind() {
                return "reset";
            }
        }

        record CutOff() implements Fault {
            @Override
            public String kind() {
                return "cut_off";
            }
        }

        record Delay(Duration duration) implements Fault {
            public Delay {
                requireNotNegative(duration, "duration");
            }

            @Override
            public String kind() {
                return "delay";
            }
        }

        record Garbage(String body) implements Fault {
            public Garbage {
                Objects.requireNonNull(body, "body");
            }

            @Override
            public String kind() {
                return "garbage";
            }

            @Override
            public String toString() {
                // a 2 MB body must not flood a test report
                return "Garbage[" + body.length() + " chars: "
                        + (body.length() > 40 ? body.substring(0, 40) + "..." : body) + "]";
            }
        }

        private static void requireErrorStatus(int code) {
            if (code < 400 || code > 599) {
                throw new IllegalArgumentException("a fault status must be an error status (400-599), not " + code);
            }
        }

        private static void requireNotNegative(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative: " + duration);
            }
        }
    }

    /** Runs {@code answer} on an HTTP thread after {@code delay}, without holding one meanwhile. */
    private void answerLater(Duration delay, Runnable answer) {
        ScheduledExecutorService timer;
        synchronized (this) {
            if (delayTimer == null) {
                delayTimer = Executors.newSingleThreadScheduledExecutor(daemonThreads("ft-simulator-delay"));
            }
            timer = delayTimer;
        }
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE; // about 292 years: never, as far as any client can tell
        }
        try {
            timer.schedule(() -> {
                try {
                    httpThreads.execute(answer);
                } catch (RejectedExecutionException closing) {
                    // the simulator is closing: server.stop drops the connection anyway
                }
            }, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // same
        }
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
            if (delayTimer != null) {
                delayTimer.shutdownNow();
            }
        }
        server.stop(0);
        httpThreads.shutdownNow();
    }

    /**
     * Runs the simulator with the demo scenario until Ctrl-C:
     * {@code java -cp target/fine-tuning-notifier.jar dev.ftnotifier.simulator.FineTuningApiSimulator [port]};
     * or with {@code --jobs N [--finished-fraction F] [--latency-ms L]} with N generated jobs
     * ({@link GeneratedJobs}) instead, answering after L ms.
     */
    public static void main(String[] args) throws InterruptedException {
        SimulatorOptions options = SimulatorOptions.parse(args);
        FineTuningApiSimulator simulator = start(options.port());
        simulator.latency(options.latency());
        if (options.jobs() < 0) {
            DemoScenario.install(simulator, Duration.ofSeconds(3));
        } else {
            simulator.keepRequestDetails(false);
            GeneratedJobs.install(simulator, options.jobs(), options.finishedFraction());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "ft-simulator-shutdown"));
        System.out.println("Fine-tuning API simulator listening at " + simulator.baseUrl());
        System.out.println(options.jobs() < 0
                ? "Demo jobs: " + String.join(", ", DemoScenario.jobIds())
                : options.jobs() + " generated jobs: " + GeneratedJobs.id(0) + " .. "
                        + GeneratedJobs.id(Math.max(0, options.jobs() - 1)) + ", latency " + options.latency().toMillis() + " ms");
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
