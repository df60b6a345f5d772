package dev.ftnotifier.webhook;

import dev.ftnotifier.model.FineTuningJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What routes/webhooks.camel.yaml asks while it follows an event: does the job as fetched show
 * what the event announced, and how long to wait before fetching it again (1 s, 2 s, 4 s, ...,
 * a minute in all; then polling follows the job).
 */
public class WebhookFollowUp {

    private static final Logger LOG = LoggerFactory.getLogger("webhooks");
    /** The waits before the second, third, ... fetch: 60 s in all. */
    private static final long[] WAITS_MS = {1_000, 2_000, 4_000, 8_000, 16_000, 29_000};

    private final Set<String> typesSeen = ConcurrentHashMap.newKeySet();

    /** True when the fetched job has the event's status, or has ended otherwise (it is routed as it is). */
    public boolean shows(FineTuningJob job, WebhookEvent event) {
        return job != null && (job.jobStatus().value().equals(event.status()) || job.jobStatus().isTerminal());
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

    /** An event of a type the notifier does not act on: answered, and said once per type. */
    public void ignored(WebhookEvent event) {
        String type = dev.ftnotifier.config.JobIds.printable(event.type());
        if (typesSeen.add(type)) {
            LOG.info("webhook events of type '{}' are answered and ignored (said once per type)", type);
        }
    }
}
