package dev.ftnotifier.state;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jobs that reached a terminal status and whose notifications were all delivered: they are
 * not fetched again. Kept on disk so a restart does not fetch them either.
 */
public class FinishedJobs implements AutoCloseable {

    private final Journal journal;
    private final Set<String> finished = ConcurrentHashMap.newKeySet();

    public FinishedJobs(Path stateDir) {
        this.journal = new Journal(stateDir.resolve("finished-jobs.log"));
        finished.addAll(journal.readAll());
    }

    public boolean contains(String jobId) {
        return finished.contains(jobId);
    }

    public void add(String jobId) {
        if (finished.add(jobId)) {
            journal.append(jobId);
        }
    }

    public int size() {
        return finished.size();
    }

    @Override
    public void close() {
        journal.close();
    }
}
