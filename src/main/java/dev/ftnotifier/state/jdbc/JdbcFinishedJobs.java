package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.state.FinishedJobs;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The finished jobs in PostgreSQL (table {@code notifier_finished_job}), shared by every
 * instance, so a new leader does not fetch them again. Read through a copy in memory (a poll
 * asks about every watched job), refreshed from the database at most every
 * {@link #REFRESH}; a job finished here is in the copy at once and written through (kept for
 * the heartbeat while the database is unreachable: until then it may be fetched again by
 * another instance, which finds it delivered).
 */
public class JdbcFinishedJobs extends FinishedJobs {

    static final Duration REFRESH = Duration.ofSeconds(10);

    private final JdbcState state;
    private final Map<String, Instant> finished = new ConcurrentHashMap<>();
    private final AtomicLong lastRefresh = new AtomicLong();

    JdbcFinishedJobs(JdbcState state) {
        this.state = state;
        refresh();
    }

    private void refreshIfOld() {
        long now = System.currentTimeMillis();
        long last = lastRefresh.get();
        if (now - last > REFRESH.toMillis() && lastRefresh.compareAndSet(last, now)) {
            refresh();
        }
    }

    private void refresh() {
        lastRefresh.set(System.currentTimeMillis());
        try {
            state.whileReachable(c -> {
                try (PreparedStatement read = c.prepareStatement("SELECT job_id, finished_at FROM notifier_finished_job");
                     ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        finished.putIfAbsent(rs.getString(1), rs.getTimestamp(2).toInstant());
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            state.failed(e);
        }
    }

    /** Reads the table now, not up to {@link #REFRESH} later. */
    @Override
    public void reload() {
        refresh();
    }

    @Override
    public boolean contains(String jobId) {
        refreshIfOld();
        return finished.containsKey(jobId);
    }

    @Override
    public void add(String jobId) {
        addAll(List.of(jobId));
    }

    @Override
    public void addAll(Collection<String> jobIds) {
        Instant now = Instant.now();
        List<String> added = jobIds.stream().filter(id -> finished.putIfAbsent(id, now) == null).toList();
        if (added.isEmpty()) {
            return;
        }
        JdbcState.Unrecorded write = c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO notifier_finished_job (job_id) SELECT unnest(?::text[]) ON CONFLICT (job_id) DO NOTHING")) {
                insert.setArray(1, c.createArrayOf("text", added.toArray()));
                insert.executeUpdate();
            }
        };
        try {
            state.whileReachable(c -> {
                write.write(c);
                return null;
            });
        } catch (SQLException e) {
            state.failed(e);
            state.keep("finished:" + String.join(",", added), write);
        }
    }

    @Override
    public int size() {
        refreshIfOld();
        return finished.size();
    }

    @Override
    public Set<String> prune(Duration retention, Predicate<String> mayForget) {
        refresh();
        Instant cutoff = Instant.now().minus(retention);
        Set<String> forgotten = ConcurrentHashMap.newKeySet();
        finished.forEach((id, at) -> {
            if (!retention.isZero() && at.isBefore(cutoff) && mayForget.test(id)) {
                forgotten.add(id);
            }
        });
        if (forgotten.isEmpty()) {
            return forgotten;
        }
        try {
            state.whileReachable(c -> {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM notifier_finished_job WHERE job_id = ANY (?)")) {
                    delete.setArray(1, c.createArrayOf("text", forgotten.toArray()));
                    return delete.executeUpdate();
                }
            });
        } catch (SQLException e) {
            state.failed(e);
            return Set.of(); // nothing forgotten this time; the next maintenance tries again
        }
        forgotten.forEach(finished::remove);
        return forgotten;
    }

    @Override
    public void close() {
        // the pool belongs to JdbcState
    }
}
