package dev.ftnotifier.state;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pending deliveries of a status their job has left. A poll delivers a job's current status only,
 * so once the job has moved on (or is finished) nothing tries such a delivery again: it would stay
 * pending for ever, in status.json, the poll's line, {@code notifier_deliveries_pending}, the
 * digest and the self-alerts, while the channel works. Each is dropped, with one warning line;
 * the channel gets the job's newer status instead. Called by the poll (routes/poll.camel.yaml)
 * before the pending deliveries are reported.
 *
 * <p>A job has moved on when it is finished (the shared record: terminal, and every channel
 * that takes its last status has it), or when this instance itself fetched it in another
 * status: an episode read back from the state store at start-up, not yet fetched here, may be
 * older than the delivery and decides nothing.
 */
public class PassedDeliveries {

    private static final Logger LOG = LoggerFactory.getLogger(PassedDeliveries.class);

    private final DeliveryStore deliveries;
    private final FinishedJobs finished;
    private final StatusEpisodes episodes;

    public PassedDeliveries(DeliveryStore deliveries, FinishedJobs finished, StatusEpisodes episodes) {
        this.deliveries = deliveries;
        this.finished = finished;
        this.episodes = episodes;
    }

    /** Drops every pending delivery whose job has left its status (void: the poll's body stays the jobs due). */
    public void drop() {
        for (DeliveryStore.Pending pending : deliveries.pending()) {
            String key = pending.delivery();
            String jobId = DeliveryStore.jobOf(key);
            String now = where(jobId, DeliveryStore.statusOf(key));
            if (now != null && deliveries.drop(key)) {
                LOG.warn("delivery {} was not made before its job moved on ({}): dropped, no poll sees that status again;"
                        + " the channel gets the newer status", key, now);
            }
        }
    }

    /** Where the job is now when that is not {@code status}, as far as this instance knows; else null. */
    private String where(String jobId, String status) {
        if (finished.contains(jobId)) {
            return "finished";
        }
        StatusEpisodes.Episode episode = episodes.of(jobId);
        return episode != null && episode.fetched() && !episode.status().equals(status) ? "now " + episode.status() : null;
    }
}
