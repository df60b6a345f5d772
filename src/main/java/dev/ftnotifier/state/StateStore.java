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
        public boolean shared() {
            return false;
        }

        @Override
        public String toString() {
            return "file";
        }
    };

    /**
     * Whether several instances share this state (PostgreSQL): the one owner of that answer, which
     * leader election's start-up warning and the beans that re-read shared state ask.
     */
    boolean shared();

    DeliveryStore deliveries(Path stateDir, Backoff backoff, Clock clock);

    /** The jobs finished and delivered everywhere, no longer fetched; by default the journal under {@code stateDir}. */
    default FinishedJobs finishedJobs(Path stateDir) {
        return new FinishedJobs(stateDir);
    }

    /** The webhook event ids (kept {@link WebhookEvents#KEPT}); by default the journal under {@code stateDir}. */
    default WebhookIds webhookIds(Path stateDir, Clock clock) {
        return new WebhookEvents(stateDir, clock);
    }

    /** Since when each unfinished job has been in its status (stuck jobs); by default {@code status-episodes.log}. */
    default EpisodeRecords episodeRecords(Path stateDir) {
        return new FileEpisodeRecords(stateDir);
    }

    /** How each job ended, for the digests; by default {@code outcomes.log}. */
    default OutcomeRecords outcomeRecords(Path stateDir) {
        return new FileOutcomeRecords(stateDir);
    }

    /** The small state kept as JSON documents (discovery, self-alert episodes); by default files under {@code stateDir}. */
    default StateDocuments documents(Path stateDir) {
        return new FileStateDocuments(stateDir);
    }
}
