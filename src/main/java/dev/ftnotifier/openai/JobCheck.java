package dev.ftnotifier.openai;

import dev.ftnotifier.config.JobIds;
import dev.ftnotifier.model.FineTuningJob;

/** Decides whether a parsed body really is the job that was asked for, before anything is notified. */
public class JobCheck {

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
