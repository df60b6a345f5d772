package dev.ftnotifier.notify;

import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.model.JobError;
import dev.ftnotifier.model.WandbIntegration;

import java.time.Duration;
import java.time.Instant;

/**
 * The facts of a notification as one plain line, for the log and the file channel's
 * {@code summary}. Plain text: each channel escapes it for its own target.
 */
public final class Summaries {

    private Summaries() {
    }

    public static String oneLine(Notification n) {
        FineTuningJob job = n.job();
        StringBuilder line = new StringBuilder("Fine-tuning job ").append(n.jobId())
                .append(" (").append(nullToUnknown(job.model())).append(") ");
        if (n.isStuck()) {
            return line.append(stuck(n)).toString();
        }
        // by the status router's event; the words name the status, so a status the router was edited to
        // treat as one of these reads as itself ("failed", "succeeded", "was cancelled at" for the API's own)
        String event = n.event() == null ? "" : n.event();
        switch (event) {
            case Notification.FAILURE -> {
                line.append(n.status());
                JobError error = n.error();
                if (error == null) {
                    line.append(": no error details were given");
                } else {
                    line.append(": ").append(nullToUnknown(error.code())).append(": ").append(nullToUnknown(error.message()));
                    if (error.param() != null) {
                        line.append(" (param: ").append(error.param()).append(")");
                    }
                }
            }
            case Notification.COMPLETION -> {
                line.append(n.status()).append(": model ").append(nullToUnknown(job.fineTunedModel()));
                line.append(", result files ").append(job.resultFiles().isEmpty() ? "none" : String.join(", ", job.resultFiles()));
                line.append(", trained tokens ").append(job.trainedTokens() == null ? "unknown" : job.trainedTokens());
                if (job.durationSeconds() != null) {
                    line.append(", run time ").append(humanDuration(job.durationSeconds()));
                }
            }
            case Notification.CANCELLATION -> line.append("was ").append(n.status()).append(" at ").append(n.changedAt());
            default -> {
                line.append("is ").append(n.status());
                Instant estimate = job.estimatedFinishWhile(n.status());
                if (estimate != null) {
                    line.append(", estimated to finish at ").append(estimate);
                }
            }
        }
        WandbIntegration wandb = job.wandb();
        if (wandb != null && wandb.project() != null) {
            line.append("; W&B project ").append(wandb.project());
            if (wandb.name() != null) {
                line.append(", run ").append(wandb.name());
            }
        }
        return line.toString();
    }

    /** {@code looks stuck: running for 3h 02m 00s (since ...), 2h 10m 00s past its estimated finish ...}. */
    public static String stuck(Notification n) {
        if (n.changedAt() == null) {
            return "looks stuck: " + n.status();
        }
        StringBuilder line = new StringBuilder("looks stuck: ").append(n.status()).append(" for ").append(stuckFor(n))
                .append(" (since ").append(n.changedAt()).append(")");
        Instant estimate = n.job().estimatedFinishWhile(n.status());
        if (estimate != null && n.notifiedAt() != null && n.notifiedAt().isAfter(estimate)) {
            line.append(", ").append(humanDuration(n.notifiedAt().getEpochSecond() - estimate.getEpochSecond()))
                    .append(" past its estimated finish ").append(estimate);
        }
        return line.toString();
    }

    /** How long a stuck job has been in its status, as an operator reads it. */
    public static String stuckFor(Notification n) {
        Instant now = n.notifiedAt() == null ? Instant.now() : n.notifiedAt();
        return humanDuration(Duration.between(n.changedAt(), now).toSeconds());
    }

    /** Run time as an operator reads it: {@code 1h 02m 03s}. */
    public static String humanDuration(long seconds) {
        Duration d = Duration.ofSeconds(Math.max(0, seconds));
        if (d.toHours() > 0) {
            return String.format("%dh %02dm %02ds", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
        }
        if (d.toMinutes() > 0) {
            return String.format("%dm %02ds", d.toMinutes(), d.toSecondsPart());
        }
        return d.toSeconds() + "s";
    }

    private static String nullToUnknown(Object value) {
        return value == null ? "unknown" : value.toString();
    }
}
