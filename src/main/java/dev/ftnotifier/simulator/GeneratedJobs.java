package dev.ftnotifier.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Many jobs at once, for the benchmark: {@code ftjob-bench-000000} .. {@code ftjob-bench-<n-1>},
 * created one second apart up to now (the last is the newest). The oldest {@code finishedFraction}
 * of them have succeeded already; the others are running and stay running until told otherwise,
 * so every poll after the first finds nothing new.
 */
public final class GeneratedJobs {

    private static final String MODEL = "gpt-4o-mini-2024-07-18";

    private GeneratedJobs() {
    }

    /** The id of the {@code index}-th generated job. */
    public static String id(int index) {
        return String.format(Locale.ROOT, "ftjob-bench-%06d", index);
    }

    /** How many of {@code count} jobs are generated finished. */
    public static int finishedCount(int count, double finishedFraction) {
        if (!(finishedFraction >= 0 && finishedFraction <= 1)) {
            throw new IllegalArgumentException("finishedFraction must be within [0, 1], not " + finishedFraction);
        }
        return (int) Math.round(count * finishedFraction);
    }

    /** Puts the jobs into the simulator and returns their ids, oldest first. */
    public static List<String> install(FineTuningApiSimulator simulator, int count, double finishedFraction) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        int finished = finishedCount(count, finishedFraction);
        long now = Instant.now().getEpochSecond();
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = id(i);
            long created = now - (count - i);
            SimulatedJob job = SimulatedJob.queued(id, MODEL).withCreatedAt(created);
            // a finished job took a minute; a running one is expected to end in ten
            job = i < finished
                    ? StatusTransitions.moveTo(job, "succeeded", Math.min(now, created + 60))
                    : StatusTransitions.moveTo(job, "running", now);
            simulator.putJob(job);
            ids.add(id);
        }
        return ids;
    }
}
