package dev.ftnotifier.state;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Jobs that reached a terminal status and whose notifications were all delivered: they are
 * not fetched again. Kept on disk so a restart does not fetch them either, one line per job:
 * {@code <job> <finished, epoch seconds>} (older versions wrote the job alone; such a job counts
 * as finished when this version first read it, so retention starts then).
 */
public class FinishedJobs implements AutoCloseable {

    private final Journal journal;
    private final Clock clock;
    private final Map<String, Instant> finished = new ConcurrentHashMap<>();

    /** For a store that keeps them elsewhere (PostgreSQL): it overrides every public method. */
    protected FinishedJobs() {
        this.journal = null;
        this.clock = Clock.systemUTC();
    }

    /**
     * Takes in what other instances recorded since this one last looked, before a decision that
     * depends on it; nothing to do for the journal, which only this instance writes.
     */
    public void reload() {
    }

    public FinishedJobs(Path stateDir) {
        this(stateDir, Clock.systemUTC());
    }

    public FinishedJobs(Path stateDir, Clock clock) {
        this.journal = new Journal(stateDir.resolve("finished-jobs.log"));
        this.clock = clock;
        Instant now = clock.instant();
        List<String> lines = journal.readAll();
        for (String line : lines) {
            int space = line.indexOf(' ');
            String id = space < 0 ? line : line.substring(0, space);
            Instant at = now;
            if (space > 0) {
                try {
                    at = Instant.ofEpochSecond(Long.parseLong(line.substring(space + 1).trim()));
                } catch (NumberFormatException unreadable) {
                    // keep the job finished; only its age is unknown
                }
            }
            finished.putIfAbsent(id, at);
        }
        // compacted at start-up: a job written twice (by an older version, or a torn line) is one line again
        if (lines.size() > finished.size() || journal.hasTornTail()) {
            journal.rewrite(finished.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> line(e.getKey(), e.getValue())).toList());
        }
    }

    public boolean contains(String jobId) {
        return finished.containsKey(jobId);
    }

    public void add(String jobId) {
        Instant now = clock.instant();
        if (finished.putIfAbsent(jobId, now) == null) {
            // no wait for the disk: survives a kill -9; after a power cut a job whose line was lost is
            // fetched once more, and the delivery ledger sends nothing twice
            journal.write(List.of(line(jobId, now)));
        }
    }

    /** Records several jobs at once, with one write to disk. */
    public void addAll(Collection<String> jobIds) {
        Instant now = clock.instant();
        List<String> added = new ArrayList<>();
        for (String id : jobIds) {
            if (finished.putIfAbsent(id, now) == null) {
                added.add(line(id, now));
            }
        }
        journal.appendAll(added);
    }

    public int size() {
        return finished.size();
    }

    /**
     * Forgets the jobs finished longer than {@code retention} ago that {@code mayForget} allows, and
     * rewrites the file as one line per job still kept. Returns the ids forgotten.
     */
    public Set<String> prune(Duration retention, Predicate<String> mayForget) {
        Instant cutoff = clock.instant().minus(retention);
        Set<String> forgotten = ConcurrentHashMap.newKeySet();
        journal.compact(lines -> {
            finished.forEach((id, at) -> {
                if (!retention.isZero() && at.isBefore(cutoff) && mayForget.test(id)) {
                    forgotten.add(id);
                }
            });
            forgotten.forEach(finished::remove);
            return finished.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> line(e.getKey(), e.getValue())).toList();
        });
        return forgotten;
    }

    private static String line(String jobId, Instant at) {
        return jobId + " " + at.getEpochSecond();
    }

    @Override
    public void close() {
        if (journal != null) {
            journal.close();
        }
    }
}
