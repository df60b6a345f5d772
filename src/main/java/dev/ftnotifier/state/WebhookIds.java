package dev.ftnotifier.state;

import java.util.Set;

/**
 * The webhook events received, by {@code webhook-id}, so an event OpenAI sends again (at least
 * once, for up to 72 hours) is acted on once: {@link WebhookEvents} (a journal file) or
 * {@code dev.ftnotifier.state.jdbc.JdbcWebhookIds} (PostgreSQL, shared by every instance).
 */
public interface WebhookIds {

    /** Records an event durably: true when its id is new, false when it was seen before. Returns once it is recorded. */
    boolean record(String webhookId, String jobId);

    /** The jobs named by the events kept: followed until delivered, across restarts. */
    Set<String> jobIds();

    /** How many event ids are kept. */
    int size();
}
