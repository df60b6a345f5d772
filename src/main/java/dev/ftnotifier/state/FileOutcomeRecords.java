package dev.ftnotifier.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.notify.Notification;
import dev.ftnotifier.state.Outcomes.Outcome;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Outcomes in {@code outcomes.log}: one JSON line per job, the first line of a job wins. Written
 * without waiting for the disk: a line survives a {@code kill -9}; a power cut within the second
 * may drop it from a digest.
 */
public class FileOutcomeRecords implements OutcomeRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Journal journal;

    public FileOutcomeRecords(Path stateDir) {
        this.journal = new Journal(stateDir.resolve("outcomes.log"));
    }

    @Override
    public List<Outcome> load() {
        List<Outcome> all = new ArrayList<>();
        for (String line : journal.readAll()) {
            Outcome o = parse(line);
            if (o != null) {
                all.add(o);
            }
        }
        return all;
    }

    @Override
    public void add(Outcome outcome) {
        journal.write(List.of(line(outcome)));
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public int prune(Instant cutoff, Supplier<Collection<Outcome>> kept) {
        // the journal's lock is held from the read to the rename: no outcome added meanwhile is lost
        return journal.compact(lines -> kept.get().stream().sorted(Comparator.comparing(Outcome::at)).map(FileOutcomeRecords::line).toList());
    }

    private static String line(Outcome o) {
        try {
            return JSON.writeValueAsString(Map.of("at", o.at().toEpochMilli(), "job", o.jobId(), "status", o.status(),
                    "event", o.event() == null ? "" : o.event(), "model", o.model() == null ? "" : o.model(), "fact", o.fact() == null ? "" : o.fact()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Outcome parse(String line) {
        try {
            var node = JSON.readTree(line);
            String status = node.get("status").asText();
            String event = node.has("event") ? emptyToNull(node.path("event").asText("")) : eventBeforeTheRouterSaid(status);
            return new Outcome(Instant.ofEpochMilli(node.get("at").asLong()), node.get("job").asText(), status, event,
                    emptyToNull(node.path("model").asText("")), emptyToNull(node.path("fact").asText("")));
        } catch (JsonProcessingException | RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * A line written before outcomes carried the router's event (it names only the three statuses that
     * version called terminal); such lines are gone after notifier.state.retention.
     */
    private static String eventBeforeTheRouterSaid(String status) {
        return switch (status) {
            case "succeeded" -> Notification.COMPLETION;
            case "failed" -> Notification.FAILURE;
            case "cancelled" -> Notification.CANCELLATION;
            default -> null;
        };
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public void close() {
        journal.close();
    }
}
