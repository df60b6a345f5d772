package dev.ftnotifier.state;

import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the maintenance route (routes/schedules.camel.yaml) does: compacts the state files and
 * forgets finished jobs past {@code notifier.state.retention} that nothing will fetch again.
 *
 * <p>Forgetting a job drops its line in {@code finished-jobs.log} and its deliveries in
 * {@code deliveries.log}. That is safe only for a job no poll can see again: one that is not in
 * {@code notifier.jobs} or the jobs file ({@code watched}), and not while discovery is on,
 * since the job list could show it again and it would then be told again. Webhook ids (72 h) are
 * not kept yet: webhooks are not built.
 */
public class Maintenance {

    /** What one run did, as the log line says it. */
    public record Result(int deliveryLines, int episodeLines, int jobsForgotten, Duration retention, String kept) {
        @Override
        public String toString() {
            return "compacted deliveries.log (" + deliveryLines + " line(s) dropped), status-episodes.log and outcomes.log ("
                    + episodeLines + " dropped); forgot " + jobsForgotten + " finished job(s) older than "
                    + retention.toDays() + "d" + (kept.isEmpty() ? "" : " (" + kept + ")") + "; 0 webhook ids (none kept yet)";
        }
    }

    private final DeliveryStore deliveries;
    private final FinishedJobs finished;
    private final StatusEpisodes episodes;
    private final Outcomes outcomes;
    private final Duration retention;
    private final boolean discovery;
    private final Supplier<Set<String>> watched;

    public Maintenance(DeliveryStore deliveries, FinishedJobs finished, StatusEpisodes episodes, Outcomes outcomes, Duration retention,
                       boolean discovery, Supplier<Set<String>> watched) {
        this.deliveries = deliveries;
        this.finished = finished;
        this.episodes = episodes;
        this.outcomes = outcomes;
        this.retention = retention;
        this.discovery = discovery;
        this.watched = watched;
    }

    public Result run() {
        String kept = "";
        Set<String> forgotten = Set.of();
        if (retention.isZero()) {
            kept = "notifier.state.retention is 0: kept for ever";
        } else if (discovery) {
            kept = "kept: with notifier.discover=true the job list could show them again";
        } else {
            Set<String> stillWatched = watched.get();
            forgotten = finished.prune(retention, id -> !stillWatched.contains(id));
        }
        int deliveryLines = deliveries.compact(forgotten);
        int episodeLines = episodes.compact() + outcomes.prune(retention);
        return new Result(deliveryLines, episodeLines, forgotten.size(), retention, kept);
    }
}
