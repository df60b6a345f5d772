package dev.ftnotifier.enrich;

import dev.ftnotifier.notify.FailureReason;
import dev.ftnotifier.notify.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Adds a {@link JobContext} to a notification, step by step, as routes/enrich.camel.yaml asks:
 * first the dashboard link (and, for a succeeded job, "metrics unavailable" until they are read),
 * then what the API answered. Every step is a new notification; nothing here calls the API.
 */
public class JobContexts {

    /** The value of notifier.dashboard-url that means: OpenAI's dashboard when the API is OpenAI's. */
    public static final String AUTO = "auto";
    static final String OPENAI_DASHBOARD = "https://platform.openai.com/finetune/{id}";
    private static final Logger LOG = LoggerFactory.getLogger("enrich");

    private final String dashboardUrl;

    /**
     * @param dashboardUrl notifier.dashboard-url: a URL with {@code {id}} for the job id, "" for no link,
     *                     or {@link #AUTO}
     * @param baseUrl      openai.base-url, which decides what {@link #AUTO} means
     */
    public JobContexts(String dashboardUrl, String baseUrl) {
        this.dashboardUrl = resolve(dashboardUrl, baseUrl);
    }

    static String resolve(String dashboardUrl, String baseUrl) {
        String value = dashboardUrl == null ? AUTO : dashboardUrl.trim();
        if (!AUTO.equalsIgnoreCase(value)) {
            return value;
        }
        try {
            String host = URI.create(baseUrl.trim()).getHost();
            return host != null && host.toLowerCase(Locale.ROOT).equals("api.openai.com") ? OPENAI_DASHBOARD : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The link for a job, or "" when there is none. */
    public String dashboardUrl(String jobId) {
        if (dashboardUrl.isEmpty() || jobId == null) {
            return "";
        }
        return dashboardUrl.replace("{id}", URLEncoder.encode(jobId, StandardCharsets.UTF_8));
    }

    /** The first step: the link; a succeeded job's metrics count as unavailable until {@link #completed} adds them. */
    public Notification prepare(Notification n) {
        boolean succeeded = Notification.COMPLETION.equals(n.event());
        return n.withContext(new JobContext(dashboardUrl(n.jobId()), null, succeeded, List.of()));
    }

    /** The id of the result file to read: the first of result_files, or null when there is none. */
    public String resultFileId(Notification n) {
        List<String> files = n.job().resultFiles();
        return files == null || files.isEmpty() ? null : files.get(0);
    }

    /**
     * A succeeded job's metrics: the result file's last values and the checkpoints; either null
     * (the API failed, see the log) leaves the metrics unavailable.
     */
    public Notification completed(Notification n, CompletionMetrics fromFile, List<Checkpoint> checkpoints) {
        if (fromFile == null || checkpoints == null) {
            return unavailable(n, fromFile == null ? "the result file was not read" : "the checkpoints were not read");
        }
        return n.withContext(n.context().withMetrics(fromFile.withCheckpoints(checkpoints)));
    }

    /** A failed job's last errors and warnings; null (the API failed) leaves the notification as it was. */
    public Notification failed(Notification n, List<String> events) {
        return events == null ? n : n.withContext(n.context().withFailureEvents(events));
    }

    /** Said once per notification, when the enrichment failed or ran out of time: it goes out without. */
    public Notification unavailable(Notification n, Object why) {
        // a time limiter's fallback sees no exception
        String reason = why instanceof Throwable t ? FailureReason.of(t)
                : why == null ? "no answer within notifier.enrich.timeout" : why.toString();
        LOG.warn("job {} ({}): {}; notified without {}", n.jobId(), n.status(), reason,
                n.isFailure() ? "its last error events" : "metrics (\"metrics unavailable\")");
        return n;
    }
}
