package dev.ftnotifier.openai;

import dev.ftnotifier.notify.FailureReason;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the API's failures mean for the notifier, and saying so without flooding the log:
 * a rejected key or an exhausted quota is one line per poll, a missing job one warning
 * until it is found again, and a 429 that is a rate limit closes the {@link RateLimitGate}.
 * It also keeps the kinds of trouble seen, for the digests ({@link #problemsSince}).
 */
public class ApiProblems {

    private static final Logger LOG = LoggerFactory.getLogger("api");
    /** The {@code apiResource} of route list-jobs (routes/fetch-job.camel.yaml): discovery's page of the job list. */
    public static final String JOB_LIST = "job list";
    private final String baseUrl;
    private final Clock clock;
    private final AtomicLong poll = new AtomicLong();
    private final Map<String, Long> toldInPoll = new ConcurrentHashMap<>();
    private final Set<String> missing = ConcurrentHashMap.newKeySet();
    private final Map<String, Problem> problems = new ConcurrentHashMap<>();

    /** A kind of trouble with the API, how often and when last: what a digest says about the notifier's health. */
    public record Problem(String what, long count, Instant last) {
    }
    private final RateLimitGate gate;

    public ApiProblems(String baseUrl, Clock clock, RateLimitGate gate) {
        this.baseUrl = baseUrl;
        this.clock = clock;
        this.gate = gate;
    }

    /** Called at the start of each poll: per-poll messages may be said again. */
    public void newPoll() {
        poll.incrementAndGet();
    }

    public void answered(String jobId) {
        gate.answered();
        if (jobId != null && missing.remove(jobId)) {
            LOG.info("job {} is found again", jobId);
        }
    }

    public void keyRejected(HttpOperationFailedException e) {
        note("API key rejected");
        if (firstThisPoll("key")) {
            LOG.error("API key rejected by {}: HTTP {}; nothing is notified until it is accepted, polling goes on",
                    baseUrl, e.getStatusCode());
        }
    }

    /**
     * A 404. {@code resource} null: the job itself, said once until it is found again; {@value #JOB_LIST}:
     * discovery's page, skipped this poll; else what was asked about the job (its result file,
     * checkpoints or events), said each time: the notification goes out without it.
     */
    public void notFound(String jobId, String requestId, String resource) {
        if (JOB_LIST.equals(resource)) {
            LOG.warn("the job list not found (HTTP 404{}); discovery skipped this poll",
                    requestId == null || requestId.isBlank() ? "" : ", request " + requestId);
            return;
        }
        if (resource != null && !resource.isBlank()) {
            LOG.warn("job {}: its {} not found (HTTP 404{}); the notification goes out without it", jobId, resource,
                    requestId == null || requestId.isBlank() ? "" : ", request " + requestId);
            return;
        }
        if (missing.add(jobId)) {
            LOG.warn("job {} not found (HTTP 404{}); nothing notified, other jobs go on; said once until it is found",
                    jobId, requestId == null || requestId.isBlank() ? "" : ", request " + requestId);
        }
    }

    public void tooManyRequests(HttpOperationFailedException e) {
        rateLimited(e.getResponseHeaders(), e.getResponseBody());
    }

    private void rateLimited(Map<String, String> headers, String body) {
        ApiError error = ApiError.parse(body);
        if (error.isQuotaExhausted()) {
            note("quota exhausted");
            if (firstThisPoll("quota")) {
                LOG.error("quota exhausted at {} (HTTP 429 {}): waiting will not help; add credit. Polling goes on at the"
                        + " normal rate", baseUrl, error.code() != null ? error.code() : error.type());
            }
            return;
        }
        note("rate limited");
        gate.rateLimited(headers, error.code());
    }

    /**
     * {@code resource} null: the job itself, fetched again next poll; {@value #JOB_LIST}: discovery's
     * page, skipped this poll; else the job's result file, checkpoints or events.
     */
    public void failed(String jobId, Throwable error, String resource) {
        note("no useful answer (5xx, timeout, reset, not a job)");
        if (JOB_LIST.equals(resource)) {
            LOG.warn("the API did not give the job list ({}); discovery skipped this poll", FailureReason.of(error));
            return;
        }
        if (resource != null && !resource.isBlank()) {
            LOG.warn("job {}: the API did not give its {} ({}); the notification goes out without it", jobId, resource,
                    FailureReason.of(error));
            return;
        }
        LOG.warn("job {}: the API did not answer usefully ({}); tried again next poll", jobId, FailureReason.of(error));
    }

    /** The kinds of trouble last seen after {@code since}, in name order. */
    public java.util.List<Problem> problemsSince(Instant since) {
        return problems.values().stream().filter(p -> p.last().isAfter(since))
                .sorted(java.util.Comparator.comparing(Problem::what)).toList();
    }

    private void note(String what) {
        Instant now = clock.instant();
        problems.merge(what, new Problem(what, 1, now), (a, b) -> new Problem(what, a.count() + 1, now));
    }

    private boolean firstThisPoll(String kind) {
        long current = poll.get();
        return !Objects.equals(toldInPoll.put(kind, current), current);
    }
}
