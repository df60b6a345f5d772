package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.state.WebhookEvents;
import dev.ftnotifier.state.WebhookIds;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook event ids in PostgreSQL (table {@code notifier_webhook_event}), shared by every
 * instance: an event is new for exactly one of them ({@code INSERT ... ON CONFLICT DO NOTHING}),
 * whichever receives it and however often OpenAI sends it again. Ids older than
 * {@link WebhookEvents#KEPT} are deleted hourly. While the database is unreachable,
 * {@link #record} throws: the event is answered 500 and OpenAI sends it again later.
 */
public class JdbcWebhookIds implements WebhookIds {

    private static final long COMPACT_EVERY_MS = 3_600_000;

    private final JdbcState state;
    private final AtomicLong lastCompaction = new AtomicLong();

    JdbcWebhookIds(JdbcState state) {
        this.state = state;
        compact();
    }

    @Override
    public boolean record(String webhookId, String jobId) {
        long now = System.currentTimeMillis();
        long last = lastCompaction.get();
        if (now - last > COMPACT_EVERY_MS && lastCompaction.compareAndSet(last, now)) {
            compact();
        }
        try {
            return state.whileReachable(c -> {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO notifier_webhook_event (webhook_id, job_id) VALUES (?, ?) ON CONFLICT (webhook_id) DO NOTHING")) {
                    insert.setString(1, webhookId);
                    insert.setString(2, jobId);
                    return insert.executeUpdate() == 1;
                }
            });
        } catch (SQLException e) {
            state.failed(e);
            throw new IllegalStateException("state store unreachable: webhook " + webhookId + " not recorded, answered 500 for OpenAI to send it again", e);
        }
    }

    @Override
    public Set<String> jobIds() {
        try {
            return state.whileReachable(c -> {
                Set<String> ids = new LinkedHashSet<>();
                try (PreparedStatement read = c.prepareStatement(
                        "SELECT job_id FROM notifier_webhook_event WHERE job_id IS NOT NULL GROUP BY job_id ORDER BY min(received_at)");
                     ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            });
        } catch (SQLException e) {
            state.failed(e);
            return Set.of();
        }
    }

    @Override
    public int size() {
        try {
            return state.whileReachable(c -> {
                try (PreparedStatement read = c.prepareStatement("SELECT count(*) FROM notifier_webhook_event");
                     ResultSet rs = read.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
        } catch (SQLException e) {
            state.failed(e);
            return 0;
        }
    }

    /** Deletes the ids received longer than {@link WebhookEvents#KEPT} ago. */
    int compact() {
        lastCompaction.set(System.currentTimeMillis());
        try {
            return state.whileReachable(c -> {
                try (PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM notifier_webhook_event WHERE received_at < now() - make_interval(secs => ?)")) {
                    delete.setDouble(1, WebhookEvents.KEPT.toSeconds());
                    return delete.executeUpdate();
                }
            });
        } catch (SQLException e) {
            state.failed(e);
            return 0;
        }
    }
}
