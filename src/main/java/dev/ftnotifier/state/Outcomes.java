package dev.ftnotifier.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.model.JobError;
import dev.ftnotifier.notify.Notification;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How each job ended and when the notifier learnt it: what a digest lists as finished in its
 * period. One JSON line per job in {@code outcomes.log}, so a restart inside a period still
 * reports what finished before it. Values are kept as the API sent them; a digest escapes them.
 */
public class Outcomes implements AutoCloseable {

    /**
     * @param event the status router's event for the job's last status (completion, failure, cancellation: routes/
     *              route-by-status.camel.yaml), which the digest groups by
     * @param fact  the key fact: the fine-tuned model (completion), the error code (failure; null
     *              when no details were given), null otherwise
     */
    public record Outcome(Instant at, String jobId, String status, String event, String model, String fact) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Journal journal;
    private final Clock clock;
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();

    public Outcomes(Path stateDir, Clock clock) {
        this.journal = new Journal(stateDir.resolve("outcomes.log"));
        this.clock = clock;
        for (String line : journal.readAll()) {
            Outcome o = parse(line);
            if (o != null) {
                outcomes.putIfAbsent(o.jobId(), o);
            }
        }
    }

    /** Records a job the status router called terminal, with the router's event, the first time it is seen so. */
    public void finished(FineTuningJob job, String event) {
        if (outcomes.containsKey(job.id())) {
            return;
        }
        String status = job.jobStatus().value();
        JobError error = job.errorDetails();
        String fact = switch (event == null ? "" : event) {
            case Notification.COMPLETION -> job.fineTunedModel();
            case Notification.FAILURE -> error == null ? null : error.code();
            default -> null;
        };
        Outcome o = new Outcome(clock.instant(), job.id(), status, event, job.model(), fact);
        if (outcomes.putIfAbsent(job.id(), o) == null) {
            // no wait for the disk: survives a kill -9; a power cut within the second may drop it from a digest
            journal.write(List.of(line(o)));
        }
    }

    /** The outcomes learnt in {@code (from, to]}, oldest first. */
    public List<Outcome> between(Instant from, Instant to) {
        List<Outcome> in = new ArrayList<>();
        for (Outcome o : outcomes.values()) {
            if (o.at().isAfter(from) && !o.at().isAfter(to)) {
                in.add(o);
            }
        }
        in.sort(Comparator.comparing(Outcome::at).thenComparing(Outcome::jobId));
        return in;
    }

    /** Drops the outcomes older than {@code retention} (0 = keep all); returns how many lines fewer the file has. */
    public int prune(Duration retention) {
        Instant cutoff = clock.instant().minus(retention);
        return journal.compact(lines -> {
            if (!retention.isZero()) {
                outcomes.values().removeIf(o -> o.at().isBefore(cutoff));
            }
            return outcomes.values().stream().sorted(Comparator.comparing(Outcome::at)).map(Outcomes::line).toList();
        });
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
