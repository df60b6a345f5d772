package dev.ftnotifier.webhook;

/** One fetch for an event: {@code attempt} 0 at once, then 1, 2, ... after {@link WebhookFollowUp#waitBefore}. */
public record FollowUp(WebhookEvent event, int attempt) {

    public String jobId() {
        return event.jobId();
    }
}
