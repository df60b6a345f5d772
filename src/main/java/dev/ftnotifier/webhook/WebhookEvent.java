package dev.ftnotifier.webhook;

import java.time.Instant;

/**
 * A verified OpenAI webhook event: its Standard Webhooks id (stable across OpenAI's retries),
 * its type, and for {@code fine_tuning.job.*} events the job it names (else null).
 */
public record WebhookEvent(String webhookId, String type, String jobId, Instant sentAt) {

    private static final String JOB_EVENT = "fine_tuning.job.";

    /** The status the event announces ({@code succeeded}, {@code failed}, {@code cancelled}), or null for another type. */
    public String status() {
        if (type == null || !type.startsWith(JOB_EVENT)) {
            return null;
        }
        String status = type.substring(JOB_EVENT.length());
        return switch (status) {
            case "succeeded", "failed", "cancelled" -> status;
            default -> null;
        };
    }

    /** True for the three fine-tuning job events the notifier acts on. */
    public boolean jobEvent() {
        return status() != null && jobId != null;
    }
}
