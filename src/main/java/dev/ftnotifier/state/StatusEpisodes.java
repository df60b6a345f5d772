package dev.ftnotifier.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.model.FineTuningJob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * the job ends. Kept ({@link EpisodeRecords}: {@code status-episodes.log}, or PostgreSQL), so a
 * restart or a new leader does not restart the clock and a stuck episode is still told once. The latest answer of
 * each episode is kept in memory as text, for the stuck check to tell the facts a poll saw.
 */
public class StatusEpisodes implements AutoCloseable {

    /**
     * One job in one status since {@code since}: the answer last fetched ({@code rawJob}, null before a fetch
     * since the start), the two times the stuck check and the digest read of it ({@code created_at} and
     * {@code estimated_finish}, unix seconds), and {@code known} as the status router decided then.
     *
     * <p>The typed job is not kept: a poll's typed jobs stay live as long as their episodes, and at 10,000
     * jobs under way they put peak RSS about 25 MB higher. A stuck notification reads it again ({@link #readJob()}).
     */
    public record Episode(String jobId, String status, Instant since, String rawJob, Long createdAt, Long estimatedFinish,
                          boolean known) {

        private static final ObjectMapper JSON = new ObjectMapper();

        /** Whether the job was fetched since the start (an episode read back from its records was not yet). */
        public boolean fetched() {
            return rawJob != null;
        }

        /** {@link FineTuningJob#estimatedFinishWhile}: the estimated finish while the episode is {@code running}. */
        public Instant estimatedFinishWhileRunning() {
            return FineTuningJob.estimatedFinishWhile(status, estimatedFinish);
        }

        /**
         * The job as last fetched, read again from its answer; null before a fetch. From the answer's bytes, as the
         * fetch unmarshalled it, so a byte order mark it skipped then is skipped again.
         */
        public FineTuningJob readJob() {
            if (rawJob == null) {
                return null;
            }
            try {
                return JSON.readValue(rawJob.getBytes(StandardCharsets.UTF_8), FineTuningJob.class);
            } catch (IOException e) {
                throw new UncheckedIOException("job " + jobId + ": its answer, read once already, no longer reads", e);
            }
        }
    }

    private final EpisodeRecords records;
    private final Clock clock;
    private final Map<String, Episode> current = new ConcurrentHashMap<>();

    private final Outcomes outcomes;

    public StatusEpisodes(Path stateDir, Clock clock) {
        this(new FileEpisodeRecords(stateDir), clock, null);
    }

    /**
     * @param records  where the episodes are kept (the state folder, or PostgreSQL shared by every instance)
     * @param outcomes when not null, each job seen in a terminal status is also recorded there (for the digest)
     */
    public StatusEpisodes(EpisodeRecords records, Clock clock, Outcomes outcomes) {
        this.outcomes = outcomes;
        this.records = records;
        this.clock = clock;
        for (EpisodeRecords.Kept k : records.load()) {
            current.put(k.jobId(), new Episode(k.jobId(), k.status(), k.since(), null, null, null, true));
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
                    records.ended(id);
                }
            } else if (was == null || !was.status().equals(status)) {
                // an instance that kept the job in this status before (the leader before) keeps its clock
                Instant since = records.started(id, status, clock.instant());
                current.put(id, new Episode(id, status, since, rawJob, job.createdAt(), job.estimatedFinish(), known));
            } else if (rawJob == null || !rawJob.equals(was.rawJob()) || known != was.known()) {
                // an answer equal to the one kept (a job under way between two polls often is) keeps the
                // episode as it was, so what a poll read dies young instead of being kept in the heap's
                // old generation in place of an equal copy
                current.put(id, new Episode(id, status, was.since(), rawJob, job.createdAt(), job.estimatedFinish(), known));
            }
        }
    }

    /** The job's current episode, or null (finished, or never seen in a status that is not terminal). */
    public Episode of(String jobId) {
        return current.get(jobId);
    }

    /** The unfinished jobs' episodes, oldest first. */
    public List<Episode> current() {
        List<Episode> all = new ArrayList<>(current.values());
        all.sort(Comparator.comparing(Episode::since));
        return all;
    }

    /** Keeps the current episodes only; returns how many records it dropped. */
    public synchronized int compact() {
        // this lock, then the records' (the order seen() takes them in): no episode changes between
        // the read and the rewrite
        return records.compact(current().stream().map(e -> new EpisodeRecords.Kept(e.jobId(), e.status(), e.since())).toList());
    }

    @Override
    public void close() {
        records.close();
    }
}
