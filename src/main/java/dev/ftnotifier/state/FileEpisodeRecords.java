package dev.ftnotifier.state;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Status episodes in {@code status-episodes.log}: {@code <since, epoch ms> <job> <status>}, the
 * last line of a job wins; {@code - <job>} when it ended. Written without waiting for the disk:
 * a line survives a {@code kill -9} (it is the kernel's once written); a power cut just after it
 * restarts that job's episode clock.
 */
public class FileEpisodeRecords implements EpisodeRecords {

    private static final String ENDED = "-";

    private final Journal journal;

    public FileEpisodeRecords(Path stateDir) {
        this.journal = new Journal(stateDir.resolve("status-episodes.log"));
    }

    @Override
    public List<Kept> load() {
        Map<String, Kept> kept = new LinkedHashMap<>();
        for (String line : journal.readAll()) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && parts[0].equals(ENDED)) {
                kept.remove(parts[1]);
            } else if (parts.length == 3) {
                try {
                    kept.put(parts[1], new Kept(parts[1], parts[2], Instant.ofEpochMilli(Long.parseLong(parts[0]))));
                } catch (NumberFormatException torn) {
                    // not a record this version wrote: skip it
                }
            }
        }
        return new ArrayList<>(kept.values());
    }

    @Override
    public Instant started(String jobId, String status, Instant since) {
        journal.write(List.of(line(new Kept(jobId, status, since))));
        return since;
    }

    @Override
    public void ended(String jobId) {
        journal.write(List.of(ENDED + " " + jobId));
    }

    @Override
    public int compact(Collection<Kept> current) {
        return journal.compact(before -> current.stream().map(FileEpisodeRecords::line).toList());
    }

    private static String line(Kept k) {
        return k.since().toEpochMilli() + " " + k.jobId() + " " + k.status();
    }

    @Override
    public void close() {
        journal.close();
    }
}
