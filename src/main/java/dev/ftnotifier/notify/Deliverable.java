package dev.ftnotifier.notify;

/**
 * What the notify route fans out and a channel delivers once: a {@link Notification} or a
 * {@link Digest}. The channel routes key the delivery ledger with {@link #deliveryKey}.
 */
public interface Deliverable {

    String jobId();

    String deliveryName();

    /** The delivery ledger's key for this on the channel instance {@code channel}: {@code jobId|deliveryName|channel}. */
    default String deliveryKey(String channel) {
        return dev.ftnotifier.state.DeliveryStore.key(jobId(), deliveryName(), channel);
    }

    /** The facts in one plain line, for the log. */
    String summary();

    /** True when the notifier stops fetching the job once this is delivered everywhere. */
    boolean terminal();
}
