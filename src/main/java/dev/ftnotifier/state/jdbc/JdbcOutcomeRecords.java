package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.state.OutcomeRecords;
import dev.ftnotifier.state.Outcomes.Outcome;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Outcomes in PostgreSQL (table {@code notifier_outcome}, one row per job, the first instance to
 * learn of it keeps it), shared by every instance, so the leader's digest lists what finished under
 * the leader before it. While the database is unreachable an outcome lives in this instance's
 * memory only.
 */
class JdbcOutcomeRecords implements OutcomeRecords {

    private final JdbcState state;

    JdbcOutcomeRecords(JdbcState state) {
        this.state = state;
    }

    @Override
    public List<Outcome> load() {
        try {
            return state.withConnection(c -> {
                List<Outcome> all = new ArrayList<>();
                try (PreparedStatement read = c.prepareStatement("SELECT at, job_id, status, event, model, fact FROM notifier_outcome");
                     ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        all.add(new Outcome(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6)));
                    }
                }
                return all;
            });
        } catch (SQLException e) {
            state.failed(e);
            return List.of();
        }
    }

    @Override
    public void add(Outcome o) {
        try {
            state.whileReachable(c -> {
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO notifier_outcome (job_id, at, status, event, model, fact) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (job_id) DO NOTHING""")) {
                    insert.setString(1, o.jobId());
                    insert.setTimestamp(2, Timestamp.from(o.at()));
                    insert.setString(3, o.status());
                    insert.setString(4, o.event());
                    insert.setString(5, o.model());
                    insert.setString(6, o.fact());
                    return insert.executeUpdate();
                }
            });
        } catch (SQLException e) {
            state.failed(e);
        }
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public int prune(Instant cutoff, Supplier<Collection<Outcome>> kept) {
        kept.get();
        if (cutoff == null) {
            return 0;
        }
        try {
            return state.whileReachable(c -> {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM notifier_outcome WHERE at < ?")) {
                    delete.setTimestamp(1, Timestamp.from(cutoff));
                    return delete.executeUpdate();
                }
            });
        } catch (SQLException e) {
            state.failed(e);
            return 0;
        }
    }

    @Override
    public void close() {
        // the pool is the state store's
    }
}
