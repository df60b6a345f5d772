package dev.ftnotifier.notify;

/**
 * What the notify route fans out and a channel delivers once: a {@link Notification} or a
 * {@link Digest}. The channel routes key the delivery ledger with {@code jobId|deliveryName|channel}.
 */
public interface Deliverable {

    String jobId();

    String deliveryName();

    /** The facts in one plain line, for the log. */
    String summary();

    /** True when the notifier stops fetching the job once this is delivered everywhere. */
    boolean terminal();
}
