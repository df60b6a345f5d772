package dev.ftnotifier.state;

import org.apache.camel.spi.IdempotentRepository;

import java.time.Instant;
import java.util.List;

/**
 * Where the notifier keeps which (job, status, channel) deliveries are done. Camel's
 * idempotent consumer uses it as an {@link IdempotentRepository}: {@code add} before a
 * delivery (false: done already or in flight; whether a failed one is due again is
 * {@link #isDue}, checked by the channel route first),
 * {@code confirm} after it succeeded, {@code remove} when it failed.
 * One implementation today, a journal file ({@link DeliveryLedger}); a shared database
 * for several instances would be another.
 */
public interface DeliveryStore extends IdempotentRepository {

    static String key(String jobId, String status, String channel) {
        return jobId + "|" + status + "|" + channel;
    }

    boolean isDelivered(String key);

    /**
     * Deliveries that failed (or that an open breaker refused) and wait for their next attempt,
     * by next attempt. {@code attempts} counts the attempts that reached the channel.
     */
    List<Pending> pending();

    /** Whether a delivery that failed has waited out its backoff (true for one that never failed). */
    boolean isDue(String key);

    /** The channel's open breaker refused the delivery in flight: ending it is not a failed attempt. */
    void notTried(String key);

    /** The channel answers again after its breaker opened: its pending deliveries are due now, backoff reset. */
    int channelRecovered(String channel);

    /** How many deliveries are done. */
    int deliveredCount();

    record Pending(String delivery, int attempts, Instant nextAttempt) {
    }
}
