package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.state.Backoff;
import dev.ftnotifier.state.DeliveryListener;
import dev.ftnotifier.state.DeliveryStore;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link DeliveryStore} in PostgreSQL, shared by every instance (table
 * {@code notifier_delivery}, README "The state store"). Same states as the journal: sending,
 * sent, failed with attempts and a next attempt.
 *
 * <p>The claim ({@link #add}) is one statement, {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE},
 * which PostgreSQL runs atomically on the row: it inserts a new delivery as {@code sending}, or
 * turns a {@code failed} one into {@code sending}, or takes over a {@code sending} one whose
 * instance is dead (no heartbeat within {@code notifier.state.jdbc.instance-timeout}); anything
 * else (sent, or sending by another live instance, or in flight in this process) is not claimed. So two instances,
 * even two leaders for a moment, never both claim one (job, status, channel). A taken-over claim
 * was in flight when its instance died: it is sent again and logged (at most one duplicate).
 *
 * <p>The database unreachable: nothing is claimed ({@link #isDue} and {@link #add} say no), so
 * no delivery is made without being recorded first; an outcome of a delivery already made
 * (sent, failed) is kept in memory and written by the heartbeat once the database answers.
 * Times (backoff, heartbeats) are the database's clock.
 */
public class JdbcDeliveryStore extends ServiceSupport implements DeliveryStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcDeliveryStore.class);

    static final String CLAIM = """
            INSERT INTO notifier_delivery AS d (delivery_key, job_id, channel, state, attempts, claimed_by, claimed_at)
            VALUES (?, ?, ?, 'sending', 0, ?, now())
            ON CONFLICT (delivery_key) DO UPDATE
               SET state = 'sending', claimed_by = EXCLUDED.claimed_by, claimed_at = now(), updated_at = now(),
                   taken_over_from = CASE WHEN d.state = 'sending' AND d.claimed_by <> EXCLUDED.claimed_by THEN d.claimed_by END
             WHERE d.state = 'failed'
                OR (d.state = 'sending' AND d.claimed_by = EXCLUDED.claimed_by)
                OR (d.state = 'sending' AND NOT EXISTS (
                        SELECT 1 FROM notifier_instance i
                         WHERE i.instance_id = d.claimed_by AND i.heartbeat_at > now() - make_interval(secs => ?)))
            RETURNING taken_over_from""";

    private final JdbcState state;
    private final Backoff backoff;
    private final Duration instanceTimeout;
    /**
     * Deliveries claimed by this process and not yet ended. A row {@code sending} with this
     * instance's id but not in here was left by a claim whose answer was lost (the database went
     * away as it committed): nothing was sent for it, so it may be claimed again.
     */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Deliveries in flight here that the channel's open breaker refused (see {@link #notTried}). */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private volatile DeliveryListener listener = DeliveryListener.NONE;
    private volatile List<Pending> lastPending = List.of();

    JdbcDeliveryStore(JdbcState state, Backoff backoff, Duration instanceTimeout) {
        this.state = state;
        this.backoff = backoff;
        this.instanceTimeout = instanceTimeout;
    }

    @Override
    public void listen(DeliveryListener listener) {
        this.listener = listener == null ? DeliveryListener.NONE : listener;
    }

    /** False when the delivery is done, in flight (here or at a live instance), or the database does not answer. */
    @Override
    public boolean add(String key) {
        if (state.isUnrecorded(key)) {
            return false; // made or failed here, its outcome not yet written: not to be tried again meanwhile
        }
        if (!inFlight.add(key)) {
            return false; // in flight here
        }
        boolean claimed = false;
        try {
            String takenOverFrom = state.whileReachable(c -> {
                try (PreparedStatement claim = c.prepareStatement(CLAIM)) {
                    claim.setString(1, key);
                    claim.setString(2, DeliveryStore.jobOf(key));
                    claim.setString(3, DeliveryStore.channelOf(key));
                    claim.setString(4, state.instanceId());
                    claim.setDouble(5, instanceTimeout.toMillis() / 1000.0);
                    try (ResultSet rs = claim.executeQuery()) {
                        if (!rs.next()) {
                            return null;
                        }
                        String from = rs.getString(1);
                        return from == null ? "" : from;
                    }
                }
            });
            if (takenOverFrom == null) {
                return false;
            }
            if (!takenOverFrom.isEmpty()) {
                LOG.warn("delivery {} was in flight at instance {} when it stopped; it will be sent again (at most one duplicate)",
                        key, takenOverFrom);
            }
            claimed = true;
            return true;
        } catch (SQLException | RuntimeException e) {
            state.failed(e);
            return false;
        } finally {
            if (!claimed) {
                inFlight.remove(key);
            }
        }
    }

    @Override
    public boolean confirm(String key) {
        refused.remove(key);
        JdbcState.Unrecorded sent = c -> {
            try (PreparedStatement update = c.prepareStatement("""
                    INSERT INTO notifier_delivery AS d (delivery_key, job_id, channel, state)
                    VALUES (?, ?, ?, 'sent')
                    ON CONFLICT (delivery_key) DO UPDATE
                       SET state = 'sent', next_attempt = NULL, claimed_by = NULL, updated_at = now()""")) {
                update.setString(1, key);
                update.setString(2, DeliveryStore.jobOf(key));
                update.setString(3, DeliveryStore.channelOf(key));
                update.executeUpdate();
            }
        };
        record(key, sent);
        inFlight.remove(key);
        listener.delivered(key);
        return true;
    }

    @Override
    public void notTried(String key) {
        refused.add(key);
    }

    /**
     * The attempt failed: the delivery waits out its backoff (or, refused by an open breaker,
     * keeps the attempts and backoff it had). Only a claim this instance still holds is ended.
     */
    @Override
    public boolean remove(String key) {
        boolean notTried = refused.remove(key);
        String me = state.instanceId();
        JdbcState.Unrecorded failed = c -> {
            try (PreparedStatement read = c.prepareStatement(
                    "SELECT attempts FROM notifier_delivery WHERE delivery_key = ? AND state = 'sending' AND claimed_by = ? FOR UPDATE")) {
                read.setString(1, key);
                read.setString(2, me);
                try (ResultSet rs = read.executeQuery()) {
                    if (!rs.next()) {
                        return; // no longer ours (taken over, or made elsewhere): nothing to end
                    }
                    int attempts = rs.getInt(1);
                    String sql = notTried
                            ? "UPDATE notifier_delivery SET state = 'failed', claimed_by = NULL, updated_at = now(), "
                            + "next_attempt = COALESCE(next_attempt, now()) WHERE delivery_key = ?"
                            : "UPDATE notifier_delivery SET state = 'failed', claimed_by = NULL, updated_at = now(), attempts = ?, "
                            + "next_attempt = now() + make_interval(secs => ?) WHERE delivery_key = ?";
                    try (PreparedStatement update = c.prepareStatement(sql)) {
                        if (notTried) {
                            update.setString(1, key);
                        } else {
                            update.setInt(1, attempts + 1);
                            update.setDouble(2, backoff.after(attempts + 1).toMillis() / 1000.0);
                            update.setString(3, key);
                        }
                        update.executeUpdate();
                    }
                }
            }
        };
        record(key, c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                failed.write(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        });
        inFlight.remove(key);
        if (!notTried) {
            listener.failed(key);
        }
        return true;
    }

    /** Writes an outcome now, or keeps it for the heartbeat to write once the database answers. */
    private void record(String key, JdbcState.Unrecorded outcome) {
        try {
            state.whileReachable(c -> {
                outcome.write(c);
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            state.failed(e);
            state.keep(key, outcome);
            LOG.warn("delivery {}: its outcome cannot be recorded yet (state store unreachable); kept until it answers", key);
        }
    }

    @Override
    public boolean contains(String key) {
        String s = stateOf(key);
        return "sent".equals(s) || "sending".equals(s);
    }

    @Override
    public boolean isDelivered(String key) {
        return "sent".equals(stateOf(key));
    }

    /** The delivery's state, null when unknown or the database does not answer. */
    private String stateOf(String key) {
        try {
            return state.whileReachable(c -> {
                try (PreparedStatement read = c.prepareStatement("SELECT state FROM notifier_delivery WHERE delivery_key = ?")) {
                    read.setString(1, key);
                    try (ResultSet rs = read.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                }
            });
        } catch (SQLException | RuntimeException e) {
            state.failed(e);
            return null;
        }
    }

    /** Never failed, or its backoff is over (the database's clock); false while the database does not answer. */
    @Override
    public boolean isDue(String key) {
        try {
            return state.whileReachable(c -> {
                try (PreparedStatement read = c.prepareStatement(
                        "SELECT state <> 'failed' OR next_attempt IS NULL OR next_attempt <= now() FROM notifier_delivery WHERE delivery_key = ?")) {
                    read.setString(1, key);
                    try (ResultSet rs = read.executeQuery()) {
                        return !rs.next() || rs.getBoolean(1);
                    }
                }
            });
        } catch (SQLException | RuntimeException e) {
            state.failed(e);
            return false;
        }
    }

    /** Only a delivery that failed and waits (no claim of a live or dead instance); false while the database does not answer. */
    @Override
    public boolean drop(String key) {
        try {
            return state.whileReachable(c -> {
                try (PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM notifier_delivery WHERE delivery_key = ? AND state = 'failed'")) {
                    delete.setString(1, key);
                    return delete.executeUpdate() > 0;
                }
            });
        } catch (SQLException | RuntimeException e) {
            state.failed(e);
            return false;
        }
    }

    @Override
    public int channelRecovered(String channel) {
        try {
            return state.whileReachable(c -> {
                try (PreparedStatement update = c.prepareStatement(
                        "UPDATE notifier_delivery SET attempts = 0, next_attempt = LEAST(COALESCE(next_attempt, now()), now()), updated_at = now()"
                                + " WHERE state = 'failed' AND channel = ?")) {
                    update.setString(1, channel);
                    return update.executeUpdate();
                }
            });
        } catch (SQLException | RuntimeException e) {
            state.failed(e);
            return 0;
        }
    }

    /** By next attempt; while the database does not answer, the list it gave last. */
    @Override
    public List<Pending> pending() {
        try {
            lastPending = state.whileReachable(c -> {
                List<Pending> pending = new ArrayList<>();
                try (PreparedStatement read = c.prepareStatement(
                        "SELECT delivery_key, attempts, COALESCE(next_attempt, updated_at) FROM notifier_delivery "
                                + "WHERE state = 'failed' ORDER BY 3, 1");
                     ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        Timestamp next = rs.getTimestamp(3);
                        pending.add(new Pending(rs.getString(1), rs.getInt(2), next.toInstant()));
                    }
                }
                return List.copyOf(pending);
            });
        } catch (SQLException | RuntimeException e) {
            state.failed(e);
        }
        return lastPending;
    }

    @Override
    public int pendingCount() {
        return count("failed");
    }

    @Override
    public int deliveredCount() {
        return count("sent");
    }

    private int count(String which) {
        try {
            return state.whileReachable(c -> {
                try (PreparedStatement read = c.prepareStatement("SELECT count(*) FROM notifier_delivery WHERE state = ?")) {
                    read.setString(1, which);
                    try (ResultSet rs = read.executeQuery()) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }
            });
        } catch (SQLException | RuntimeException e) {
            state.failed(e);
            return 0;
        }
    }

    @Override
    public List<String> delivered() {
        try {
            return state.whileReachable(c -> {
                List<String> keys = new ArrayList<>();
                try (PreparedStatement read = c.prepareStatement(
                        "SELECT delivery_key FROM notifier_delivery WHERE state = 'sent' ORDER BY delivery_key");
                     ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
                return keys;
            });
        } catch (SQLException | RuntimeException e) {
            state.failed(e);
            return List.of();
        }
    }

    /** Deletes the deliveries made for jobs past retention; returns how many rows went. */
    @Override
    public int compact(Set<String> forgottenJobs) {
        if (forgottenJobs.isEmpty()) {
            return 0;
        }
        try {
            return state.whileReachable(c -> {
                try (PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM notifier_delivery WHERE state = 'sent' AND job_id = ANY (?)")) {
                    delete.setArray(1, c.createArrayOf("text", forgottenJobs.toArray()));
                    return delete.executeUpdate();
                }
            });
        } catch (SQLException | RuntimeException e) {
            state.failed(e);
            return 0;
        }
    }

    @Override
    public void clear() {
        try {
            state.whileReachable(c -> {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM notifier_delivery")) {
                    return delete.executeUpdate();
                }
            });
        } catch (SQLException | RuntimeException e) {
            state.failed(e);
        }
    }

    @Override
    protected void doStop() {
        // the pool belongs to JdbcState (a route stopping must not close it)
    }
}
