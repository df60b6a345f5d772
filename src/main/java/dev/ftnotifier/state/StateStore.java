package dev.ftnotifier.state;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Where the delivery state lives ({@code notifier.state.store}): the journal under
 * {@code notifier.state.dir} ({@link #FILE}), or PostgreSQL shared by several instances
 * ({@code dev.ftnotifier.state.jdbc}). Bound as {@code stateStore} by
 * {@code dev.ftnotifier.state.jdbc.StateStoreConfiguration}.
 */
public interface StateStore {

    StateStore FILE = new StateStore() {
        @Override
        public DeliveryStore deliveries(Path stateDir, Backoff backoff, Clock clock) {
            return new DeliveryLedger(stateDir, backoff, clock);
        }

        @Override
        public String toString() {
            return "file";
        }
    };

    DeliveryStore deliveries(Path stateDir, Backoff backoff, Clock clock);

    /** The jobs finished and delivered everywhere, no longer fetched; by default the journal under {@code stateDir}. */
    default FinishedJobs finishedJobs(Path stateDir) {
        return new FinishedJobs(stateDir);
    }

    /** The webhook event ids (kept {@link WebhookEvents#KEPT}); by default the journal under {@code stateDir}. */
    default WebhookIds webhookIds(Path stateDir, Clock clock) {
        return new WebhookEvents(stateDir, clock);
    }
}
