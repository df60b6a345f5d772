package dev.ftnotifier.simulator;

import dev.ftnotifier.simulator.FineTuningApiSimulator.Fault;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

/**
 * Which requests get which {@link Fault}: scripted ones per target first, then the seeded random
 * ones. One lock guards it all, so HTTP threads and a test can use it at once, and each scripted
 * fault is handed to exactly one request.
 */
final class FaultScript {

    private final Map<String, Deque<Fault>> scripted = new HashMap<>();
    private final Map<String, Long> injected = new TreeMap<>();
    private double probability;
    private Random random;
    private List<Fault> kinds = List.of();

    synchronized void failNext(String pathOrJobId, int count, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        String target = target(pathOrJobId);
        Deque<Fault> queue = scripted.computeIfAbsent(target, t -> new ArrayDeque<>());
        for (int i = 0; i < count; i++) {
            queue.add(fault);
        }
    }

    synchronized void failRandomly(double probability, long seed, List<Fault> kinds) {
        if (!(probability >= 0 && probability <= 1)) { // also refuses NaN
            throw new IllegalArgumentException("probability must be within [0, 1], not " + probability);
        }
        List<Fault> copy = kinds == null ? List.of() : List.copyOf(kinds);
        if (probability > 0 && copy.isEmpty()) {
            throw new IllegalArgumentException("random faults need at least one kind");
        }
        this.probability = probability;
        this.random = probability > 0 ? new Random(seed) : null;
        this.kinds = copy;
    }

    synchronized void clear() {
        scripted.clear();
        failRandomly(0, 0, List.of());
    }

    /**
     * The fault for one request to this target ({@link FineTuningApiSimulator#LIST} or a job id),
     * counted as injected; null when the request is to be answered normally (also for a null
     * target: a request that is neither a job nor the list).
     */
    synchronized Fault next(String target) {
        if (target == null) {
            return null;
        }
        Fault fault = null;
        Deque<Fault> queue = scripted.get(target);
        if (queue != null) {
            fault = queue.poll();
            if (queue.isEmpty()) {
                scripted.remove(target);
            }
        }
        if (fault == null && random != null && random.nextDouble() < probability) {
            fault = kinds.get(random.nextInt(kinds.size()));
        }
        if (fault != null) {
            injected.merge(fault.kind(), 1L, Long::sum);
        }
        return fault;
    }

    synchronized Map<String, Long> injected() {
        return Collections.unmodifiableMap(new TreeMap<>(injected));
    }

    /** A job id as given, a job's raw path as its id, or the list path. */
    private static String target(String pathOrJobId) {
        Objects.requireNonNull(pathOrJobId, "pathOrJobId");
        if (!pathOrJobId.startsWith("/")) {
            if (pathOrJobId.isEmpty()) {
                throw new IllegalArgumentException("a job id must not be empty");
            }
            return pathOrJobId;
        }
        String target = ApiHandler.faultTarget(pathOrJobId);
        if (target == null) {
            throw new IllegalArgumentException(pathOrJobId + " is neither a job's path (" + ApiHandler.JOBS_PATH
                    + "/<id>) nor the list (" + FineTuningApiSimulator.LIST + ")");
        }
        return target;
    }
}
