package dev.ftnotifier.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes what is pending visible on every poll: a log line with the counts (INFO while
 * something is pending, DEBUG otherwise) and {@code status.json} in the state folder,
 * rewritten atomically, listing each pending delivery with its attempts and next attempt.
 */
public class PendingReport {

    private static final Logger LOG = LoggerFactory.getLogger("poll");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int LISTED_IN_LOG = 5;

    private final DeliveryStore deliveries;
    private final FinishedJobs finished;
    private final Path statusFile;
    private final Clock clock;

    public PendingReport(DeliveryStore deliveries, FinishedJobs finished, Path stateDir, Clock clock) {
        this.deliveries = deliveries;
        this.finished = finished;
        this.statusFile = stateDir.resolve("status.json");
        this.clock = clock;
    }

    /** Called at the start of each poll with the number of jobs it queues. */
    public void poll(int jobsDue) {
        List<DeliveryStore.Pending> pending = deliveries.pending();
        String line = "poll: " + jobsDue + " job(s) to fetch, " + finished.size() + " finished, "
                + deliveries.deliveredCount() + " deliveries done, " + pending.size() + " pending";
        if (pending.isEmpty()) {
            LOG.debug(line);
        } else {
            List<String> shown = pending.stream().limit(LISTED_IN_LOG)
                    .map(p -> p.delivery() + " (" + p.attempts() + " failed, next " + p.nextAttempt() + ")").toList();
            LOG.info("{}: {}{}", line, String.join(", ", shown), pending.size() > LISTED_IN_LOG ? ", ..." : "");
        }
        write(jobsDue, pending);
    }

    private void write(int jobsDue, List<DeliveryStore.Pending> pending) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("written_at", clock.instant().toString());
        status.put("jobs_to_fetch", jobsDue);
        status.put("finished_jobs", finished.size());
        status.put("deliveries_done", deliveries.deliveredCount());
        status.put("pending", pending.stream().map(p -> Map.of(
                "delivery", p.delivery(), "attempts", p.attempts(), "next_attempt", p.nextAttempt().toString())).toList());
        try {
            Files.createDirectories(statusFile.toAbsolutePath().getParent());
            Path aside = statusFile.resolveSibling("status.json.part");
            JSON.writeValue(aside.toFile(), status);
            Files.move(aside, statusFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", statusFile, e.toString());
        }
    }
}
