package dev.ftnotifier.watch;

import dev.ftnotifier.notify.Notification;
import dev.ftnotifier.state.StatusEpisodes;
import dev.ftnotifier.state.StatusEpisodes.Episode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which unfinished jobs look stuck now: in the same status longer than {@code after}
 * ({@code notifier.stuck.after}; zero = never), or {@code running} longer than
 * {@code pastEstimate} past their {@code estimated_finish}. Each becomes a {@code stuck}
 * notification for its episode (the job in that status since then); the delivery ledger makes
 * it one per (job, status) episode and channel, so this may offer the same episode on every check.
 */
public class StuckJobs {

    private final StatusEpisodes episodes;
    private final Duration after;
    private final Duration pastEstimate;
    private final Clock clock;

    public StuckJobs(StatusEpisodes episodes, Duration after, Duration pastEstimate, Clock clock) {
        this.episodes = episodes;
        this.after = after;
        this.pastEstimate = pastEstimate;
        this.clock = clock;
    }

    /** The stuck notifications to offer the channels now, oldest episode first. */
    public List<Notification> check() {
        List<Notification> stuck = new ArrayList<>();
        if (after.isZero()) {
            return stuck;
        }
        Instant now = clock.instant();
        for (Episode e : episodes.current()) {
            // an episode read back from the journal waits for its first fetch after the restart
            if (e.fetched() && isStuck(e, now)) {
                stuck.add(new Notification(Notification.STUCK, false, e.known(), e.since(), now, e.readJob(), e.rawJob()));
            }
        }
        return stuck;
    }

    boolean isStuck(Episode e, Instant now) {
        if (Duration.between(e.since(), now).compareTo(after) > 0) {
            return true;
        }
        Instant estimate = e.estimatedFinishWhileRunning();
        return estimate != null && now.isAfter(estimate.plus(pastEstimate));
    }
}
