package dev.ftnotifier.state;

import dev.ftnotifier.model.FineTuningJob;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Since when each unfinished job has been in its current status: an episode starts when a poll
 * first sees the job in a status other than the one before, and ends when it changes again or
 * the job ends. Kept in {@code status-episodes.log} ({@code <since, epoch ms> <job> <status>}, the
 * last line of a job wins; {@code - <job>} when it ended), so a restart does not restart the
 * clock and a stuck episode is still told once. The latest job object of each episode is kept in
 * memory, for the stuck check to tell the facts a poll saw.
 */
public class StatusEpisodes implements AutoCloseable {

    /**
     * One job in one status since {@code since}; {@code job} and {@code rawJob} as last fetched (null before a
     * fetch), {@code known} as the status router decided then.
     */
    public record Episode(String jobId, String status, Instant since, FineTuningJob job, String rawJob, boolean known) {
    }

    private static final String ENDED = "-";

    private final Journal journal;
    private final Clock clock;
    private final Map<String, Episode> current = new ConcurrentHashMap<>();

    private final Outcomes outcomes;

    public StatusEpisodes(Path stateDir, Clock clock) {
        this(stateDir, clock, null);
    }

    /** With {@code outcomes}, each job seen in a terminal status is also recorded there (for the digest). */
    public StatusEpisodes(Path stateDir, Clock clock, Outcomes outcomes) {
        this.outcomes = outcomes;
        this.journal = new Journal(stateDir.resolve("status-episodes.log"));
        this.clock = clock;
        for (String line : journal.readAll()) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && parts[0].equals(ENDED)) {
                current.remove(parts[1]);
            } else if (parts.length == 3) {
                try {
                    current.put(parts[1], new Episode(parts[1], parts[2], Instant.ofEpochMilli(Long.parseLong(parts[0])), null, null, true));
                } catch (NumberFormatException torn) {
                    // not a record this version wrote: skip it
                }
            }
        }
    }

    /**
     * A poll saw this job (typed and as the API sent it), and the status router decided its event, whether
     * it has ended ({@code terminal}) and whether its status is known; called for every fetched job, by every
     * fetch thread at once. The lock covers the map and the journal's write, and nobody waits for
     * the disk: the line survives a {@code kill -9} (it is the kernel's once written) and reaches the
     * disk with the next flush; a power cut just after it restarts that job's episode clock.
     */
    public void seen(FineTuningJob job, String rawJob, String event, boolean terminal, boolean known) {
        String id = job.id();
        String status = job.jobStatus().value();
        if (terminal && outcomes != null) {
            outcomes.finished(job, event);
        }
        synchronized (this) {
            Episode was = current.get(id);
            if (terminal) {
                if (was != null) {
                    current.remove(id);
                    journal.write(List.of(ENDED + " " + id));
                }
            } else if (was == null || !was.status().equals(status)) {
                Instant since = clock.instant();
                current.put(id, new Episode(id, status, since, job, rawJob, known));
                journal.write(List.of(since.toEpochMilli() + " " + id + " " + status));
            } else {
                current.put(id, new Episode(id, status, was.since(), job, rawJob, known));
            }
        }
    }

    /** The unfinished jobs' episodes, oldest first. */
    public List<Episode> current() {
        List<Episode> all = new ArrayList<>(current.values());
        all.sort(Comparator.comparing(Episode::since));
        return all;
    }

    /** Rewrites the journal as the current episodes only; returns how many lines it dropped. */
    public synchronized int compact() {
        // this lock, then the journal's (the order seen() takes them in): no episode changes between
        // the read and the rename
        return journal.compact(before ->
                current().stream().map(e -> e.since().toEpochMilli() + " " + e.jobId() + " " + e.status()).toList());
    }

    @Override
    public void close() {
        journal.close();
    }
}
