package dev.ftnotifier.state;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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

    /** Records several jobs at once, with one write to disk. */
    public void addAll(Collection<String> jobIds) {
        List<String> added = new ArrayList<>();
        for (String id : jobIds) {
            if (finished.add(id)) {
                added.add(id);
            }
        }
        journal.appendAll(added);
    }

    public int size() {
        return finished.size();
    }

    @Override
    public void close() {
        journal.close();
    }
}
