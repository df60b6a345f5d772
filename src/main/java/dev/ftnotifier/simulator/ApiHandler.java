package dev.ftnotifier.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.ftnotifier.simulator.FineTuningApiSimulator.Fault;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * Answers HTTP requests the way the fine-tuning API does: records the request, injects the
 * scripted fault if there is one, checks the key, then routes {@code GET /v1/fine_tuning/jobs[/{id}]}.
 */
final class ApiHandler implements HttpHandler {

    static final String JOBS_PATH = "/v1/fine_tuning/jobs";

    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());

    /** IMF-fixdate (RFC 9110): always two-digit days, always GMT, English names. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final JobStore jobs;
    private final RequestLog requestLog;
    private final Clock clock;
    private final FaultScript faults;
    /** Runs an answer after a delay without holding an HTTP thread meanwhile. */
    private final BiConsumer<Duration, Runnable> later;
    /** Null means any request is accepted. Volatile: tests change it while HTTP threads read it. */
    private volatile String requiredApiKey;
    /** When set, what the list endpoint answers instead of a page. Volatile for the same reason. */
    private volatile Response listAnswer;

    ApiHandler(JobStore jobs, RequestLog requestLog, Clock clock, FaultScript faults,
               BiConsumer<Duration, Runnable> later) {
        this.jobs = jobs;
        this.requestLog = requestLog;
        this.clock = clock;
        this.faults = faults;
        this.later = later;
    }

    void requireApiKey(String key) {
        this.requiredApiKey = key;
    }

    /** A null body restores normal paging. */
    void answerList(int status, String body) {
        this.listAnswer = body == null ? null : Response.json(status, body);
    }

    private record Response(int status, String body, Map<String, String> extraHeaders) {
        static Response json(int status, String body) {
            return new Response(status, body, Map.of());
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        boolean answeredLater = false;
        try {
            requestLog.add(record(exchange));
            Fault fault = faults.next(faultTarget(exchange.getRequestURI().getRawPath()));
            boolean head = "HEAD".equals(exchange.getRequestMethod()); // a HEAD answer has no body to cut
            if (fault instanceof Fault.Reset || (fault instanceof Fault.CutOff && head)) {
                // closing an exchange before any header went out closes the connection itself:
                // the client gets not one byte of answer
                return;
            }
            if (fault instanceof Fault.CutOff) {
                sendHalf(exchange, answer(exchange));
                return;
            }
            if (fault instanceof Fault.Delay delay) {
                later.accept(delay.duration(), () -> answerAndClose(exchange));
                answeredLater = true;
                return;
            }
            send(exchange, fault != null ? faultResponse(fault) : answer(exchange));
        } finally {
            if (!answeredLater) {
                exchange.close();
            }
        }
    }

    /** A delayed answer: the client may have given up meanwhile, which is the point of the fault. */
    private void answerAndClose(HttpExchange exchange) {
        try {
            send(exchange, answer(exchange));
        } catch (IOException clientGone) {
            // nothing to tell: the client timed out and closed the connection
        } finally {
            exchange.close();
        }
    }

    private Response answer(HttpExchange exchange) {
        try {
            return respond(exchange);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "simulator failed to answer " + exchange.getRequestURI(), e);
            return Response.json(500, ApiErrors.envelope(
                    "The simulator had an internal error.", "server_error", null, null));
        }
    }

    /**
     * What a fault is scripted for: {@link FineTuningApiSimulator#LIST} for the list, the decoded
     * id for a job, null for any other path (those are never faulted).
     */
    static String faultTarget(String rawPath) {
        if (JOBS_PATH.equals(rawPath)) {
            return FineTuningApiSimulator.LIST;
        }
        String prefix = JOBS_PATH + "/";
        if (rawPath.startsWith(prefix) && rawPath.length() > prefix.length()
                && rawPath.indexOf('/', prefix.length()) < 0) {
            return decode(rawPath.substring(prefix.length()));
        }
        return null;
    }

    private Response faultResponse(Fault fault) {
        if (fault instanceof Fault.Status status) {
            return Response.json(status.code(), ApiErrors.forStatus(status.code(), status.errorCode()));
        }
        if (fault instanceof Fault.RetryAfterSeconds retry) {
            return new Response(retry.code(), ApiErrors.forStatus(retry.code(), null),
                    Map.of("Retry-After", Long.toString(retry.seconds())));
        }
        if (fault instanceof Fault.RetryAfterDate retry) {
            Instant at = clock.instant().plus(retry.fromNow());
            // an HTTP date has whole seconds: round up, so the client never waits less than asked
            Instant whole = at.truncatedTo(ChronoUnit.SECONDS);
            if (whole.isBefore(at)) {
                whole = whole.plusSeconds(1);
            }
            return new Response(retry.code(), ApiErrors.forStatus(retry.code(), null),
                    Map.of("Retry-After", HTTP_DATE.format(whole)));
        }
        if (fault instanceof Fault.RetryAfterMs retry) {
            return new Response(retry.code(), ApiErrors.forStatus(retry.code(), null),
                    Map.of("retry-after-ms", Long.toString(retry.millis())));
        }
        if (fault instanceof Fault.Garbage garbage) {
            return Response.json(200, garbage.body());
        }
        throw new IllegalStateException("no answer for fault " + fault); // Reset and Delay never get here
    }

    private Response respond(HttpExchange exchange) {
        Optional<Response> authFailure = checkApiKey(exchange.getRequestHeaders().getFirst("Authorization"));
        if (authFailure.isPresent()) {
            return authFailure.get();
        }
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        if (!"GET".equals(method)) {
            return new Response(405, ApiErrors.invalidRequest(
                    "Method " + method + " is not allowed on " + path + " by the simulator.", null, null),
                    Map.of("Allow", "GET"));
        }
        if (JOBS_PATH.equals(path)) {
            Response fixed = listAnswer;
            return fixed != null ? fixed : listJobs(exchange.getRequestURI().getRawQuery());
        }
        String prefix = JOBS_PATH + "/";
        if (path.startsWith(prefix) && path.length() > prefix.length()
                && path.indexOf('/', prefix.length()) < 0) {
            return getJob(path.substring(prefix.length()));
        }
        return Response.json(404, ApiErrors.invalidRequest("Invalid URL (" + method + " " + path + ")", null, null));
    }

    private Optional<Response> checkApiKey(String authorization) {
        String expected = requiredApiKey;
        if (expected == null) {
            return Optional.empty();
        }
        String scheme = "Bearer ";
        boolean bearer = authorization != null && authorization.length() > scheme.length()
                && authorization.regionMatches(true, 0, scheme, 0, scheme.length());
        if (!bearer) {
            return Optional.of(Response.json(401, ApiErrors.invalidApiKey(true)));
        }
        byte[] presented = authorization.substring(scheme.length()).trim().getBytes(StandardCharsets.UTF_8);
        // constant-time, as a real key check should be; it also keeps the simulator a fair model
        if (!MessageDigest.isEqual(presented, expected.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(Response.json(401, ApiErrors.invalidApiKey(false)));
        }
        return Optional.empty();
    }

    private Response getJob(String rawId) {
        String jobId = decode(rawId);
        return jobs.body(jobId)
                .map(body -> Response.json(200, body))
                .orElseGet(() -> Response.json(404, ApiErrors.jobNotFound(jobId)));
    }

    private Response listJobs(String rawQuery) {
        Map<String, String> query = parseQuery(rawQuery);
        int limit = JobListing.DEFAULT_LIMIT;
        String limitText = query.get("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = 0;
            }
            if (limit < 1) {
                return Response.json(400, ApiErrors.invalidRequest(
                        "Invalid 'limit': expected an integer of at least 1, got '" + limitText + "'.",
                        "limit", "invalid_value"));
            }
        }
        return Response.json(200, JobListing.page(jobs.listable(), query.get("after"), limit).toString());
    }

    private RecordedRequest record(HttpExchange exchange) {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.merge(name.toLowerCase(Locale.ROOT), String.join(", ", values), (a, b) -> a + ", " + b));
        return new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, clock.instant());
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("x-request-id", "req_" + randomHex());
        response.extraHeaders().forEach(headers::set);
        // a HEAD answer must not carry a body; HttpServer refuses to write one
        byte[] body = "HEAD".equals(exchange.getRequestMethod())
                ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
        // -1 tells HttpServer "no body"; 0 would mean chunked
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Promises the whole body, sends half of it, and leaves the connection to be closed: the
     * exchange's close() sees the missing bytes and drops the connection.
     */
    private static void sendHalf(HttpExchange exchange, Response response) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("x-request-id", "req_" + randomHex());
        response.extraHeaders().forEach(headers::set);
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(response.status(), Math.max(body.length, 1));
        OutputStream out = exchange.getResponseBody();
        out.write(body, 0, body.length / 2);
        out.flush();
    }

    private static String randomHex() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
            query.putIfAbsent(name, value);
        }
        return query;
    }

    /** Percent-decodes a path segment; '+' is literal in paths, unlike in forms. */
    private static String decode(String rawSegment) {
        try {
            return URLDecoder.decode(rawSegment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return rawSegment;
        }
    }

    private static String decodeQuery(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return raw;
        }
    }
}
