package dev.ftnotifier.state;

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
 * period. Kept ({@link OutcomeRecords}: {@code outcomes.log}, or PostgreSQL), so a restart or a
 * new leader inside a period still reports what finished before it. Values are kept as the API sent them; a digest escapes them.
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

    private final OutcomeRecords records;
    private final Clock clock;
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();

    public Outcomes(Path stateDir, Clock clock) {
        this(new FileOutcomeRecords(stateDir), clock);
    }

    /** @param records where the outcomes are kept (the state folder, or PostgreSQL shared by every instance) */
    public Outcomes(OutcomeRecords records, Clock clock) {
        this.records = records;
        this.clock = clock;
        records.load().forEach(o -> outcomes.putIfAbsent(o.jobId(), o));
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
            records.add(o);
        }
    }

    /** The outcomes learnt in {@code (from, to]}, oldest first. */
    public List<Outcome> between(Instant from, Instant to) {
        if (records.shared()) {
            // what the other instances learnt (the leader before a failover); the first to learn a job keeps it
            records.load().forEach(o -> outcomes.put(o.jobId(), o));
        }
        List<Outcome> in = new ArrayList<>();
        for (Outcome o : outcomes.values()) {
            if (o.at().isAfter(from) && !o.at().isAfter(to)) {
                in.add(o);
            }
        }
        in.sort(Comparator.comparing(Outcome::at).thenComparing(Outcome::jobId));
        return in;
    }

    /** Drops the outcomes older than {@code retention} (0 = keep all); returns how many records fewer there are. */
    public int prune(Duration retention) {
        Instant cutoff = retention.isZero() ? null : clock.instant().minus(retention);
        return records.prune(cutoff, () -> {
            if (cutoff != null) {
                outcomes.values().removeIf(o -> o.at().isBefore(cutoff));
            }
            return List.copyOf(outcomes.values());
        });
    }

    @Override
    public void close() {
        records.close();
    }
}
