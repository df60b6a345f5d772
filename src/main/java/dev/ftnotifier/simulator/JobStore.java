package dev.ftnotifier.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The jobs the simulator serves, keyed by id. Safe for HTTP threads reading while
 * a test or the demo scenario changes jobs: every change is one atomic map update.
 */
final class JobStore {

    /** A served job: either typed (rendered on each read) or a raw body served verbatim. */
    private sealed interface Entry permits Typed, Raw {
    }

    /** {@code body} is the job rendered once, when it is put or changed, not on every read. */
    private record Typed(SimulatedJob job, String body) implements Entry {
        Typed(SimulatedJob job) {
            this(job, JobJson.toJson(job).toString());
        }
    }

    /** {@code parsed} is null when the body is not a JSON object; such jobs are left out of lists. */
    private record Raw(String body, ObjectNode parsed) implements Entry {
    }

    /**
     * One job as the list endpoint sees it. The JSON is rendered only for the jobs on the page
     * asked for: rendering all 10,000 jobs for each of 100 pages made the list the slowest request.
     */
    record Listed(String id, long createdAt, Supplier<JsonNode> render) {
        JsonNode json() {
            return render.get();
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    JobStore(Clock clock) {
        this.clock = clock;
    }

    void put(SimulatedJob job) {
        entries.put(job.id(), new Typed(job));
    }

    void putRaw(String jobId, String body) {
        entries.put(jobId, new Raw(body, parseObject(body)));
    }

    void remove(String jobId) {
        entries.remove(jobId);
    }

    /** The body to serve for this id, if any. */
    Optional<String> body(String jobId) {
        Entry entry = entries.get(jobId);
        if (entry instanceof Typed typed) {
            return Optional.of(typed.body());
        }
        if (entry instanceof Raw raw) {
            return Optional.of(raw.body());
        }
        return Optional.empty();
    }

    SimulatedJob job(String jobId) {
        Entry entry = entries.get(jobId);
        if (entry instanceof Typed typed) {
            return typed.job();
        }
        throw missingOrRaw(jobId, entry);
    }

    void setStatus(String jobId, String status) {
        update(jobId, job -> StatusTransitions.moveTo(job, status, nowSeconds()));
    }

    void fail(String jobId, SimulatedJob.JobError error) {
        update(jobId, job -> StatusTransitions.fail(job, error, nowSeconds()));
    }

    /** Every listable job; ordering and paging are {@link JobListing}'s concern. */
    List<Listed> listable() {
        List<Listed> listed = new ArrayList<>();
        entries.forEach((id, entry) -> {
            if (entry instanceof Typed typed) {
                listed.add(new Listed(id, typed.job().createdAt(), () -> JobJson.toJson(typed.job())));
            } else if (entry instanceof Raw raw && raw.parsed() != null) {
                listed.add(new Listed(id, raw.parsed().path("created_at").asLong(0), raw::parsed));
            }
        });
        return listed;
    }

    private void update(String jobId, UnaryOperator<SimulatedJob> change) {
        // compute() holds the bin lock, so a concurrent setStatus on the same job cannot be lost
        entries.compute(jobId, (id, entry) -> {
            if (entry instanceof Typed typed) {
                return new Typed(change.apply(typed.job()));
            }
            throw missingOrRaw(id, entry);
        });
    }

    private long nowSeconds() {
        return clock.instant().getEpochSecond();
    }

    private static RuntimeException missingOrRaw(String jobId, Entry entry) {
        if (entry == null) {
            return new NoSuchElementException("no simulated job " + jobId);
        }
        return new IllegalStateException("job " + jobId + " was put as a raw body; it has no typed state");
    }

    private static ObjectNode parseObject(String body) {
        try {
            JsonNode node = JobJson.MAPPER.readTree(body);
            return node instanceof ObjectNode object ? object : null;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null; // served verbatim anyway; it just cannot be listed
        }
    }
}
