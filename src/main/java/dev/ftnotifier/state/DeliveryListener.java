package dev.ftnotifier.state;

/**
 * Told by the {@link DeliveryLedger} when a delivery's outcome is decided: made, or an attempt
 * that reached the channel and failed (a refusal by an open breaker is no attempt). Called under
 * the ledger's lock: an implementation only counts, it never blocks.
 */
public interface DeliveryListener {

    DeliveryListener NONE = new DeliveryListener() {
    };

    default void delivered(String key) {
    }

    default void failed(String key) {
    }
}
