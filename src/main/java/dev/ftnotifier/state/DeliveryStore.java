package dev.ftnotifier.state;

import org.apache.camel.spi.IdempotentRepository;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Where the notifier keeps which (job, status, channel) deliveries are done. Camel's
 * idempotent consumer uses it as an {@link IdempotentRepository}: {@code add} before a
 * delivery (false: done already or in flight; whether a failed one is due again is
 * {@link #isDue}, checked by the channel route first),
 * {@code confirm} after it succeeded, {@code remove} when it failed.
 * Two implementations: a journal file ({@link DeliveryLedger}, {@code notifier.state.store=file})
 * and PostgreSQL shared by several instances ({@code dev.ftnotifier.state.jdbc.JdbcDeliveryStore},
 * {@code notifier.state.store=jdbc}); {@link StateStore} picks one.
 */
public interface DeliveryStore extends IdempotentRepository {

    static String key(String jobId, String status, String channel) {
        return jobId + "|" + status + "|" + channel;
    }

    /** The job a {@link #key} names (before its first {@code |}); the whole key for a key without one. */
    static String jobOf(String key) {
        int bar = key.indexOf('|');
        return bar < 0 ? key : key.substring(0, bar);
    }

    /** The status a {@link #key} names (between its first and its last {@code |}); empty for a key without two. */
    static String statusOf(String key) {
        int first = key.indexOf('|');
        int last = key.lastIndexOf('|');
        return first < last ? key.substring(first + 1, last) : "";
    }

    /** The channel instance a {@link #key} names (after its last {@code |}); empty for a key without one. */
    static String channelOf(String key) {
        int bar = key.lastIndexOf('|');
        return bar < 0 ? "" : key.substring(bar + 1);
    }

    boolean isDelivered(String key);

    /**
     * Deliveries that failed (or that an open breaker refused) and wait for their next attempt,
     * by next attempt. {@code attempts} counts the attempts that reached the channel.
     */
    List<Pending> pending();

    /** Whether a delivery that failed has waited out its backoff (true for one that never failed). */
    boolean isDue(String key);

    /**
     * A pending delivery that no attempt will ever make (its job has left that status, see
     * {@code PassedDeliveries}): no longer pending. True when it was pending and now is not;
     * false for one in flight, made, unknown, or while the store cannot be written.
     */
    boolean drop(String key);

    /** The channel's open breaker refused the delivery in flight: ending it is not a failed attempt. */
    void notTried(String key);

    /** The channel answers again after its breaker opened: its pending deliveries are due now, backoff reset. */
    int channelRecovered(String channel);

    /** How many deliveries are done. */
    int deliveredCount();

    /** Every delivery recorded as sent, sorted. */
    List<String> delivered();

    /** How many deliveries are pending (failed or refused, waiting for a later attempt). */
    default int pendingCount() {
        return pending().size();
    }

    /**
     * The channel instances whose send writes the same document again rather than sending a second
     * message (the file channel: same name, same facts): a delivery on one of them counts as done
     * without waiting for the disk, since a power cut that took its record costs a rewrite, not a
     * duplicate. Set once the channels are read; none until then.
     */
    default void rewrittenInPlace(Set<String> channels) {
    }

    /** Who is told of each delivery made or failed (the metrics, the self-alerts); one at a time. */
    void listen(DeliveryListener listener);

    /**
     * Forgets the deliveries made for {@code forgottenJobs} (finished jobs past retention) and
     * compacts what the store keeps; returns how many records fewer it has.
     */
    int compact(Set<String> forgottenJobs);

    record Pending(String delivery, int attempts, Instant nextAttempt) {
    }
}
