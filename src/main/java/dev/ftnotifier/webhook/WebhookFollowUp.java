package dev.ftnotifier.webhook;

import dev.ftnotifier.config.JobIds;
import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.model.JobStatus;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What routes/webhooks.camel.yaml asks while it follows an event: does the job as fetched show
 * what the event announced, and if not, when to fetch it again (1 s, 2 s, 4 s, ..., a minute in
 * all; then polling follows the job). A later fetch waits on a timer, not in a route, so no
 * exchange is held meanwhile and a stop never waits for one: the job is in the watch list
 * anyway, and polled after the restart.
 */
public class WebhookFollowUp {

    private static final Logger LOG = LoggerFactory.getLogger("webhooks");
    /** The waits before the second, third, ... fetch: 60 s in all. */
    private static final long[] WAITS_MS = {1_000, 2_000, 4_000, 8_000, 16_000, 29_000};
    static final String QUEUE = "seda:webhook-job?size=100000&waitForTaskToComplete=Never";

    private final Set<String> typesSeen = ConcurrentHashMap.newKeySet();
    private final CamelContext context;
    private final Predicate<JobStatus> terminal;
    private ScheduledExecutorService timer; // guarded by this
    private ProducerTemplate producer; // guarded by this

    /** @param terminal whether a status ends a job: the status router's decision ({@code StatusMeanings::terminal}) */
    public WebhookFollowUp(CamelContext context, Predicate<JobStatus> terminal) {
        this.context = context;
        this.terminal = terminal;
    }

    /** The first fetch of a new event, at once. */
    public FollowUp first(WebhookEvent event) {
        return new FollowUp(event, 0);
    }

    /** True when the fetched job has the event's status, or has ended otherwise (it is routed as it is). */
    public boolean shows(Object job, WebhookEvent event) {
        return job instanceof FineTuningJob j && (j.jobStatus().value().equals(event.status()) || terminal.test(j.jobStatus()));
    }

    /** Milliseconds to wait before fetch number {@code attempt} (0 = the first, at once), or -1: no more. */
    public long waitBefore(int attempt) {
        if (attempt <= 0) {
            return 0;
        }
        return attempt <= WAITS_MS.length ? WAITS_MS[attempt - 1] : -1;
    }

    /** True when fetch number {@code attempt} was the last one a minute allows. */
    public boolean lastAttempt(int attempt) {
        return waitBefore(attempt + 1) < 0;
    }

    /** Queues the next fetch for this event after its wait. */
    public void fetchLater(FollowUp done) {
        FollowUp next = new FollowUp(done.event(), done.attempt() + 1);
        try {
            timer().schedule(() -> send(next), waitBefore(next.attempt()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the notifier is stopping; the job is in the watch list
        }
    }

    private void send(FollowUp next) {
        try {
            producer().sendBody(QUEUE, next);
        } catch (RuntimeException stopping) {
            LOG.debug("follow-up of job {} not queued ({}); polling follows it", next.jobId(), stopping.getMessage());
        }
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "webhook-follow-up");
        }
        return timer;
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = context.createProducerTemplate();
        }
        return producer;
    }

    /** An event of a type the notifier does not act on: answered, and said once per type. */
    public void ignored(WebhookEvent event) {
        String type = JobIds.printable(event.type());
        if (typesSeen.add(type)) {
            LOG.info("webhook events of type '{}' are answered and ignored (said once per type)", type);
        }
    }
}
