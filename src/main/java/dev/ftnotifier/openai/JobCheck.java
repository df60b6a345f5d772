package dev.ftnotifier.openai;

import dev.ftnotifier.config.JobIds;
import dev.ftnotifier.model.FineTuningJob;

/** Decides whether a parsed body really is the job that was asked for, before anything is notified. */
public class JobCheck {

    /** A job is a few KiB; a body over this is not a job, and is not parsed. */
    public static final int MAX_BODY_CHARS = 1 << 20;

    /** The body as it came, unless it is too large to be a job. */
    public String withinSizeLimit(String body) {
        if (body != null && body.length() > MAX_BODY_CHARS) {
            throw new InvalidJobException("the body is " + body.length() + " characters, over the 1 MiB limit for a job");
        }
        return body;
    }

    public FineTuningJob verify(Object body, String requestedId) {
        if (!(body instanceof FineTuningJob job)) {
            throw new InvalidJobException("the body is not a fine_tuning.job object");
        }
        if (job.object() != null && !"fine_tuning.job".equals(job.object())) {
            throw new InvalidJobException("the body is a '" + JobIds.printable(job.object()) + "' object, not a fine_tuning.job");
        }
        // NUL or other control characters alone are no status either: isBlank() keeps them, but JobStatus
        // trims them away, which left "" to name the file (<id>..json) and the delivery
        if (job.status() == null || job.status().isBlank() || job.jobStatus().value().isEmpty()) {
            throw new InvalidJobException("the job has no status");
        }
        if (!requestedId.equals(job.id())) {
            throw new InvalidJobException("the body is job '" + JobIds.printable(String.valueOf(job.id()))
                    + "', not the job that was asked for");
        }
        return job;
    }
}
