package dev.ftnotifier.simulator;

import java.util.List;
import java.util.Locale;

/**
 * What the real API fills in when a job reaches a status. Kept apart from the
 * store so the rules read in one place and stay pure (time is passed in).
 */
final class StatusTransitions {

    /** How far ahead the API's {@code estimated_finish} lands when a job starts running. */
    static final long ESTIMATED_RUN_SECONDS = 10 * 60;

    /** The error the API reports for a training file that is too small (see openai-api-notes.md §3). */
    static final SimulatedJob.JobError DEFAULT_FAILURE = new SimulatedJob.JobError(
            "invalid_n_examples",
            "Training file has 5 example(s), but must have at least 10 examples",
            "training_file");

    private StatusTransitions() {
    }

    static SimulatedJob moveTo(SimulatedJob job, String status, long nowSeconds) {
        SimulatedJob moved = job.withStatus(status);
        switch (status) {
            case "running":
                return moved.withEstimatedFinish(nowSeconds + ESTIMATED_RUN_SECONDS);
            case "succeeded":
                return succeed(moved, nowSeconds);
            case "failed":
                return moved.withFinishedAt(nowSeconds).withEstimatedFinish(null)
                        .withError(job.error() != null ? job.error() : DEFAULT_FAILURE);
            case "cancelled":
                return moved.withFinishedAt(nowSeconds).withEstimatedFinish(null);
            default:
                // Unknown or paused-like statuses change nothing else, except that
                // estimated_finish only exists while running.
                return moved.withEstimatedFinish(null);
        }
    }

    static SimulatedJob fail(SimulatedJob job, SimulatedJob.JobError error, long nowSeconds) {
        return moveTo(job.withError(error), "failed", nowSeconds);
    }

    /** Values a test preset with {@code withXxx} are kept; only missing ones are derived. */
    private static SimulatedJob succeed(SimulatedJob job, long nowSeconds) {
        String id = job.id();
        SimulatedJob done = job.withFinishedAt(nowSeconds).withEstimatedFinish(null);
        if (done.fineTunedModel() == null) {
            done = done.withFineTunedModel(fineTunedModelName(job));
        }
        if (done.resultFiles().isEmpty()) {
            done = done.withResultFiles(List.of("file-" + Fingerprint.hex("result-file", id, 24)));
        }
        if (done.trainedTokens() == null) {
            done = done.withTrainedTokens(10_000 + Fingerprint.number("trained-tokens", id, 990_000));
        }
        return done;
    }

    /** {@code ft:<model>:<org>::<8 chars>}, the shape of names the API gives without a suffix. */
    static String fineTunedModelName(SimulatedJob job) {
        String org = job.organizationId().toLowerCase(Locale.ROOT);
        if (org.startsWith("org-")) {
            org = org.substring("org-".length());
        }
        return "ft:" + job.model() + ":" + org + "::" + Fingerprint.hex("fine-tuned-model", job.id(), 8);
    }
}
