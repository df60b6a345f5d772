package dev.ftnotifier.notify;

import dev.ftnotifier.openai.ApiProblems;
import dev.ftnotifier.state.DeliveryStore;
import dev.ftnotifier.state.Outcomes;
import dev.ftnotifier.state.StatusEpisodes;
import dev.ftnotifier.watch.StuckJobs;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

/**
 * Makes the digest of the period that ends at a firing of {@code notifier.digest.cron}. The
 * period is (the cron's previous firing, this one]: worked out from the expression, not from
 * memory, so a restart inside a period neither loses nor repeats it.
 */
public class Digests {

    /** How far back the previous firing is looked for: up to a year (a yearly digest). */
    private static final List<Duration> LOOK_BACK = List.of(Duration.ofMinutes(2), Duration.ofHours(2), Duration.ofDays(2),
            Duration.ofDays(32), Duration.ofDays(367));

    private final String cron;
    private final boolean skipEmpty;
    private final Outcomes outcomes;
    private final StatusEpisodes episodes;
    private final StuckJobs stuck;
    private final DeliveryStore deliveries;
    private final ApiProblems api;

    public Digests(String cron, boolean skipEmpty, Outcomes outcomes, StatusEpisodes episodes, StuckJobs stuck,
                   DeliveryStore deliveries, ApiProblems api) {
        this.cron = cron;
        this.skipEmpty = skipEmpty;
        this.outcomes = outcomes;
        this.episodes = episodes;
        this.stuck = stuck;
        this.deliveries = deliveries;
        this.api = api;
    }

    /** The digest for the period ending at {@code scheduledFireTime}; null when it is empty and empty ones are skipped. */
    public Digest of(Date scheduledFireTime) throws ParseException {
        Instant end = scheduledFireTime.toInstant().truncatedTo(ChronoUnit.SECONDS);
        Instant start = previousFiring(new CronExpression(cron), end);
        // a firing missed while the notifier was down: this period reaches back to the last digest sent
        Instant lastSent = lastSentBefore(end);
        if (lastSent != null && lastSent.isBefore(start)) {
            start = lastSent;
        }
        List<Digest.InProgress> inProgress = episodes.current().stream().filter(StatusEpisodes.Episode::fetched)
                .map(e -> new Digest.InProgress(e.jobId(), e.status(), e.since(),
                        e.createdAt() == null ? null : Instant.ofEpochSecond(e.createdAt()),
                        e.estimatedFinishWhileRunning()))
                .toList();
        List<DeliveryStore.Pending> pending = deliveries.pending().stream()
                .filter(p -> !p.delivery().startsWith(Digest.JOB + "|")).toList();
        Digest digest = new Digest(start, end, outcomes.between(start, end), inProgress, stuck.check(), pending,
                api.problemsSince(start));
        return skipEmpty && digest.isEmpty() ? null : digest;
    }

    /** The end of the latest period whose digest was delivered to a channel, before {@code end}; null when none. */
    private Instant lastSentBefore(Instant end) {
        Instant last = null;
        for (String key : deliveries.delivered()) {
            if (key.startsWith(Digest.JOB + "|")) {
                String[] parts = key.split("\\|");
                try {
                    Instant t = Instant.ofEpochSecond(Long.parseLong(parts[1]));
                    if (t.isBefore(end) && (last == null || t.isAfter(last))) {
                        last = t;
                    }
                } catch (RuntimeException notOurs) {
                    // not a digest key this version wrote
                }
            }
        }
        return last;
    }

    /** The latest firing of {@code cron} before {@code end}; a day before it when none is found within a year. */
    static Instant previousFiring(CronExpression cron, Instant end) {
        Date limit = Date.from(end);
        for (Duration back : LOOK_BACK) {
            Date t = cron.getNextValidTimeAfter(Date.from(end.minus(back)));
            if (t == null || !t.before(limit)) {
                continue;
            }
            Date next = cron.getNextValidTimeAfter(t);
            while (next != null && next.before(limit)) {
                t = next;
                next = cron.getNextValidTimeAfter(t);
            }
            return t.toInstant();
        }
        return end.minus(Duration.ofDays(1));
    }
}
