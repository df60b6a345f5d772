package dev.ftnotifier.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Four jobs that walk through every kind of notification the notifier sends:
 * a failure with an error code and param, a success with a model and result files,
 * a cancellation, and a pause (non-terminal, so it keeps being polled).
 * Each job reaches its last status within four steps.
 */
public final class DemoScenario {

    public static final String FAILS = "ftjob-demo-fails";
    public static final String SUCCEEDS = "ftjob-demo-succeeds";
    public static final String CANCELLED = "ftjob-demo-cancelled";
    public static final String PAUSED = "ftjob-demo-paused";

    private static final String MODEL = "gpt-4o-mini-2024-07-18";

    /** A status reached at step {@code step}; the failed step carries its error. */
    private record Step(String status, SimulatedJob.JobError error) {
        static Step to(String status) {
            return new Step(status, null);
        }
    }

    private record Script(String jobId, List<Step> steps) {
    }

    private static final List<Script> SCRIPTS = List.of(
            new Script(FAILS, List.of(Step.to("validating_files"), Step.to("queued"), Step.to("running"),
                    new Step("failed", StatusTransitions.DEFAULT_FAILURE))),
            new Script(SUCCEEDS, List.of(Step.to("queued"), Step.to("running"), Step.to("running"),
                    Step.to("succeeded"))),
            new Script(CANCELLED, List.of(Step.to("queued"), Step.to("running"), Step.to("cancelled"))),
            new Script(PAUSED, List.of(Step.to("running"), Step.to("pausing"), Step.to("paused"))));

    private DemoScenario() {
    }

    public static List<String> jobIds() {
        return SCRIPTS.stream().map(Script::jobId).toList();
    }

    /** Puts the jobs in their first status now, and schedules step {@code n} at {@code n * step}. */
    public static void install(FineTuningApiSimulator simulator, Duration step) {
        putJobs(simulator);
        start(simulator, step);
    }

    /** Puts the jobs in their first status; they stay there until {@link #start}. */
    public static void putJobs(FineTuningApiSimulator simulator) {
        long createdAt = Instant.now().getEpochSecond();
        for (Script script : SCRIPTS) {
            simulator.putJob(initialJob(script.jobId(), createdAt));
            apply(simulator, script.jobId(), script.steps().get(0));
        }
    }

    /** Schedules step {@code n} of every job at {@code n * step} from now. */
    public static void start(FineTuningApiSimulator simulator, Duration step) {
        if (step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("step must be positive, was " + step);
        }
        ScheduledExecutorService scheduler = simulator.scheduler();
        long stepNanos = step.toNanos();
        for (Script script : SCRIPTS) {
            for (int n = 1; n < script.steps().size(); n++) {
                Step next = script.steps().get(n);
                scheduler.schedule(() -> apply(simulator, script.jobId(), next), n * stepNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    private static SimulatedJob initialJob(String jobId, long createdAt) {
        SimulatedJob job = SimulatedJob.queued(jobId, MODEL).withCreatedAt(createdAt)
                .withMetadata(Map.of("scenario", "demo"));
        if (SUCCEEDS.equals(jobId)) {
            job = job.withValidationFile("file-" + Fingerprint.hex("validation-file", jobId, 24))
                    .withIntegrations(List.of(new SimulatedJob.Wandb("demo-project", "demo-run", null,
                            List.of("demo"))));
        }
        return job;
    }

    private static void apply(FineTuningApiSimulator simulator, String jobId, Step step) {
        try {
            if (step.error() != null) {
                SimulatedJob.JobError error = step.error();
                simulator.fail(jobId, error.code(), error.message(), error.param());
            } else {
                simulator.setStatus(jobId, step.status());
            }
        } catch (NoSuchElementException | IllegalStateException replaced) {
            // a test removed the job or replaced it with a raw body: its script simply ends
        }
    }
}
