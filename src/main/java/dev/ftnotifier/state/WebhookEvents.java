package dev.ftnotifier.state;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The webhook events received, by {@code webhook-id}, so one OpenAI retries (at least once, for
 * up to 72 hours) is acted on once, across restarts: {@code webhook-events.log} in
 * {@code notifier.state.dir}, one line per event, {@code <received, epoch s> <webhook-id> <job id or ->},
 * forced to disk before the event is answered. Concurrent events share one forced write (a group
 * commit), so a burst costs a few disk flushes, not one per event. Ids are kept {@link #KEPT}
 * (72 hours plus an hour's margin); older ones are dropped at start-up and then hourly.
 */
public class WebhookEvents implements WebhookIds, AutoCloseable {

    public static final Duration KEPT = Duration.ofHours(73);
    private static final Duration COMPACT_EVERY = Duration.ofHours(1);

    private record Seen(long receivedAt, String jobId, long ticket) {
    }

    private final Journal journal;
    private final Clock clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    /** {@link #jobIds()} as last computed; null once an event is recorded or forgotten (computed again on the next call); under this object's lock. */
    private Set<String> jobIds;
    private volatile long lastCompaction;

    public WebhookEvents(Path stateDir, Clock clock) {
        this.journal = new Journal(stateDir.resolve("webhook-events.log"));
        this.clock = clock;
        for (String line : journal.readAll()) {
            String[] fields = line.split(" ");
            if (fields.length == 3) {
                try {
                    seen.putIfAbsent(fields[1], new Seen(Long.parseLong(fields[0]), "-".equals(fields[2]) ? null : fields[2], 0));
                } catch (NumberFormatException unreadable) {
                    // not a line this class wrote; skipped
                }
            }
        }
        lastCompaction = clock.millis();
        if (!seen.isEmpty()) {
            compact();
        }
    }

    /**
     * Records an event durably. True when its id is new; false when it was seen before (then it is
     * only answered). Returns once the record is on disk, for a repeat too: concurrent events share
     * the journal's forced write (its group commit). A write that fails forgets the event, so it
     * throws here (answered 500) and OpenAI's next delivery of it is taken as new, never as a repeat.
     */
    public boolean record(String webhookId, String jobId) {
        Seen recorded;
        boolean added;
        synchronized (this) {
            recorded = seen.get(webhookId);
            added = recorded == null;
            if (added) {
                long now = clock.instant().getEpochSecond();
                long ticket = journal.write(List.of(now + " " + webhookId + " " + (jobId == null ? "-" : jobId)));
                recorded = new Seen(now, jobId, ticket);
                seen.put(webhookId, recorded);
                jobIds = null;
            }
        }
        try {
            journal.sync(recorded.ticket());
        } catch (RuntimeException e) {
            synchronized (this) {
                seen.remove(webhookId, recorded);
                jobIds = null;
            }
            throw e;
        }
        if (clock.millis() - lastCompaction > COMPACT_EVERY.toMillis()) {
            compact();
        }
        return added;
    }

    /**
     * The jobs named by the events kept: followed until delivered, across restarts. The poll asks
     * on every poll (for PostgreSQL's sake: events other instances received); here only this
     * instance records events, and its receiver has already handed each job to the watch list, so
     * the set is computed again only after an event was recorded or forgotten.
     */
    @Override
    public synchronized Set<String> jobIds() {
        Set<String> ids = jobIds;
        if (ids == null) {
            Set<String> computed = new LinkedHashSet<>();
            seen.values().stream().sorted((a, b) -> Long.compare(a.receivedAt(), b.receivedAt()))
                    .map(Seen::jobId).filter(id -> id != null).forEach(computed::add);
            ids = Collections.unmodifiableSet(computed);
            jobIds = ids;
        }
        return ids;
    }

    @Override
    public int size() {
        return seen.size();
    }

    /** Drops the ids received longer than {@link #KEPT} ago, from memory and from the file. */
    public void compact() {
        lastCompaction = clock.millis();
        long cutoff = clock.instant().minus(KEPT).getEpochSecond();
        journal.compact(lines -> {
            List<String> kept = new ArrayList<>();
            for (String line : lines) {
                String[] fields = line.split(" ");
                try {
                    if (fields.length == 3 && Long.parseLong(fields[0]) >= cutoff) {
                        kept.add(line);
                    }
                } catch (NumberFormatException unreadable) {
                    // dropped
                }
            }
            return kept;
        });
        synchronized (this) {
            seen.entrySet().removeIf(e -> e.getValue().receivedAt() < cutoff);
            jobIds = null;
        }
    }

    @Override
    public void close() {
        journal.close();
    }
}
