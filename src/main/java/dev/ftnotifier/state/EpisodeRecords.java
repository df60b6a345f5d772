package dev.ftnotifier.state;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Where the status episodes ({@link StatusEpisodes}) are kept: {@code status-episodes.log} in the
 * state folder ({@link FileEpisodeRecords}), or with {@code notifier.state.store=jdbc} a table
 * every instance shares, so a new leader goes on with the old one's stuck clocks.
 */
public interface EpisodeRecords extends AutoCloseable {

    /** A job in a status since a moment. */
    record Kept(String jobId, String status, Instant since) {
    }

    /** The episodes kept, one per unfinished job. */
    List<Kept> load();

    /**
     * The job is in {@code status}, first seen so at {@code since}; returns the moment the episode
     * began, which is earlier when another instance already kept the job in that same status.
     */
    Instant started(String jobId, String status, Instant since);

    /** The job ended: its episode is over. */
    void ended(String jobId);

    /** Keeps only these episodes; returns how many records fewer there are. */
    int compact(Collection<Kept> current);

    @Override
    void close();
}
