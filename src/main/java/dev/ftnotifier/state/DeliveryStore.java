package dev.ftnotifier.state;

import org.apache.camel.spi.IdempotentRepository;

import java.time.Instant;
import java.util.List;

/**
 * Where the notifier keeps which (job, status, channel) deliveries are done. Camel's
 * idempotent consumer uses it as an {@link IdempotentRepository}: {@code add} before a
 * delivery (false: done already, in flight, or still backing off after a failure),
 * {@code confirm} after it succeeded, {@code remove} when it failed.
 * One implementation today, a journal file ({@link DeliveryLedger}); a shared database
 * for several instances would be another.
 */
public interface DeliveryStore extends IdempotentRepository {

    static String key(String jobId, String status, String channel) {
        return jobId + "|" + status + "|" + channel;
    }

    boolean isDelivered(String key);

    /** Deliveries that failed and wait for their next attempt, oldest first. */
    List<Pending> pending();

    /** How many deliveries are done. */
    int deliveredCount();

    record Pending(String delivery, int attempts, Instant nextAttempt) {
    }
}
