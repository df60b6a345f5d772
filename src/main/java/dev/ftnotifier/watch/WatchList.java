package dev.ftnotifier.watch;

import dev.ftnotifier.config.JobIds;
import dev.ftnotifier.state.FinishedJobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which jobs to fetch on this poll: the configured ids, those in the jobs file and those
 * discovery handed over (listed jobs it cannot follow through the list any more), less the
 * jobs that are finished (terminal, everything delivered) and those still being fetched
 * from an earlier poll, so one slow job is never fetched twice at once.
 */
public class WatchList {

    private static final Logger LOG = LoggerFactory.getLogger(WatchList.class);

    private final List<String> configured;
    private final Path jobsFile;
    private final FinishedJobs finished;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Object releases = new Object();
    private final java.util.concurrent.atomic.AtomicLong polls = new java.util.concurrent.atomic.AtomicLong();
    private final Set<String> discovered = ConcurrentHashMap.newKeySet();
    private volatile String lastFileProblem;
    /** Whether the poll that overran the interval has been told in the log. */
    private volatile boolean overrunTold;

    public WatchList(List<String> configured, Path jobsFile, FinishedJobs finished) {
        this.configured = List.copyOf(configured);
        this.jobsFile = jobsFile;
        this.finished = finished;
    }

    /**
     * The ids due for a fetch now; each is marked in flight until {@link #release} is called. A job
     * an earlier poll queued and that is still being fetched is not queued again; when there are
     * such jobs (a poll longer than the interval), that is said once, at INFO, until a poll finds
     * none left again.
     */
    public List<String> due() {
        int stillFetching = inFlight.size();
        if (stillFetching > 0 && !overrunTold) {
            overrunTold = true;
            LOG.info("a poll takes longer than the poll interval: {} job(s) queued by an earlier poll are still being fetched;"
                    + " they are not queued again (said once until polls keep up)", stillFetching);
        } else if (stillFetching == 0) {
            overrunTold = false;
        }
        Set<String> ids = new LinkedHashSet<>(configured);
        ids.addAll(readJobsFile());
        ids.addAll(discovered);
        List<String> due = new ArrayList<>();
        for (String id : ids) {
            if (!finished.contains(id) && inFlight.add(id)) {
                due.add(id);
            }
        }
        // each poll starts one place further down the list, so when a 429 cuts polls short
        // the jobs at the end of a long list are not always the ones left waiting
        if (!due.isEmpty()) {
            java.util.Collections.rotate(due, -(int) (polls.getAndIncrement() % due.size()));
        }
        return due;
    }

    /**
     * Every id this list fetches itself: configured, in the jobs file (read now) or handed over by
     * discovery, finished or not. Discovery leaves these alone, so no job is fetched or notified twice.
     */
    public Set<String> watched() {
        Set<String> ids = new LinkedHashSet<>(configured);
        ids.addAll(readJobsFile());
        ids.addAll(discovered);
        return ids;
    }

    /** Adds ids found by discovery to those fetched one by one on every poll, until finished; unsafe ids are ignored. */
    public void watchDiscovered(Collection<String> jobIds) {
        for (String id : jobIds) {
            if (JobIds.isSafe(id)) {
                discovered.add(id);
            }
        }
    }

    /**
     * Adds a job a webhook event named (routes/webhooks.camel.yaml): fetched on every poll, like a
     * configured one, until finished, whether or not it is in notifier.jobs; unsafe ids are ignored.
     */
    public void watchNamedByEvent(String jobId) {
        watchDiscovered(java.util.List.of(jobId));
    }

    /**
     * Adds the jobs the webhook events kept name (every poll, from routes/poll.camel.yaml): with the
     * state in PostgreSQL those include events another instance received.
     */
    public void watchNamedByEvents(Collection<String> jobIds) {
        watchDiscovered(jobIds);
    }

    /** Called when a fetch (and whatever it notified) is over, successful or not. */
    public void release(String jobId) {
        inFlight.remove(jobId);
        synchronized (releases) {
            releases.notifyAll();
        }
    }

    /**
     * Takes one job for a fetch outside the polls (a channel's backlog, ChannelBacklogs): true when
     * it is now marked in flight (then {@link #release} it); a fetch of it already under way is
     * waited for, up to {@code waitMillis}. False for a finished job, or one still in flight then.
     */
    public boolean claim(String jobId, long waitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        synchronized (releases) {
            while (!finished.contains(jobId)) {
                if (inFlight.add(jobId)) {
                    return true;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                releases.wait(left);
            }
            return false;
        }
    }

    /** Records that a job is terminal and all its notifications are delivered: it is not fetched again. */
    public void finished(String jobId) {
        finished.add(jobId);
    }

    public boolean isFinished(String jobId) {
        return finished.contains(jobId);
    }

    /** Re-read on every poll so ids can be added without a restart; a bad file keeps the last poll going. */
    private List<String> readJobsFile() {
        if (jobsFile == null) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        List<String> ids = List.of();
        try {
            ids = JobIds.parseLines(Files.readAllLines(jobsFile, StandardCharsets.UTF_8), jobsFile.toString(),
                    unsafe -> problems.add(unsafe.getMessage()));
        } catch (IOException e) {
            problems.add("cannot read jobs file " + jobsFile + ": " + e);
        }
        // say it once, not on every poll, until the file changes
        String problem = problems.isEmpty() ? null : String.join("; ", problems);
        if (problem != null && !problem.equals(lastFileProblem)) {
            LOG.warn("{}; watching the other jobs", problem);
        }
        lastFileProblem = problem;
        return ids;
    }
}
