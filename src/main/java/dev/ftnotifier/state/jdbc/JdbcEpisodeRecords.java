package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.state.EpisodeRecords;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Status episodes in PostgreSQL (table {@code notifier_status_episode}, one row per unfinished
 * job), shared by every instance. Starting an episode is one upsert that keeps the row's moment
 * when the job is already kept in the same status: a new leader seeing a job for the first time
 * goes on with the old leader's clock. While the database is unreachable the episode lives in
 * this instance's memory only (the state store's health check says why).
 */
class JdbcEpisodeRecords implements EpisodeRecords {

    private final JdbcState state;

    JdbcEpisodeRecords(JdbcState state) {
        this.state = state;
    }

    @Override
    public List<Kept> load() {
        try {
            return state.withConnection(c -> {
                List<Kept> kept = new ArrayList<>();
                try (PreparedStatement read = c.prepareStatement("SELECT job_id, status, since FROM notifier_status_episode");
                     ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        kept.add(new Kept(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
                    }
                }
                return kept;
            });
        } catch (SQLException e) {
            state.failed(e);
            return List.of();
        }
    }

    @Override
    public Instant started(String jobId, String status, Instant since) {
        try {
            return state.whileReachable(c -> {
                try (PreparedStatement upsert = c.prepareStatement("""
                        INSERT INTO notifier_status_episode (job_id, status, since) VALUES (?, ?, ?)
                        ON CONFLICT (job_id) DO UPDATE SET status = EXCLUDED.status, since = EXCLUDED.since
                            WHERE notifier_status_episode.status <> EXCLUDED.status
                        RETURNING since""")) {
                    upsert.setString(1, jobId);
                    upsert.setString(2, status);
                    upsert.setTimestamp(3, Timestamp.from(since));
                    try (ResultSet rs = upsert.executeQuery()) {
                        if (rs.next()) {
                            return rs.getTimestamp(1).toInstant();
                        }
                    }
                }
                // kept in this status already: that episode goes on
                try (PreparedStatement read = c.prepareStatement("SELECT since FROM notifier_status_episode WHERE job_id = ?")) {
                    read.setString(1, jobId);
                    try (ResultSet rs = read.executeQuery()) {
                        return rs.next() ? rs.getTimestamp(1).toInstant() : since;
                    }
                }
            });
        } catch (SQLException e) {
            state.failed(e);
            return since;
        }
    }

    @Override
    public void ended(String jobId) {
        try {
            state.whileReachable(c -> {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM notifier_status_episode WHERE job_id = ?")) {
                    delete.setString(1, jobId);
                    return delete.executeUpdate();
                }
            });
        } catch (SQLException e) {
            state.failed(e);
        }
    }

    /** Nothing to rewrite: a row per unfinished job, deleted when it ends. */
    @Override
    public int compact(Collection<Kept> current) {
        return 0;
    }

    @Override
    public void close() {
        // the pool is the state store's
    }
}
