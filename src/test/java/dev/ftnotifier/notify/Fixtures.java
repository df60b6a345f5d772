package dev.ftnotifier.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ftnotifier.status.StatusMeaning;
import dev.ftnotifier.testing.ShippedRouter;
import dev.ftnotifier.enrich.Checkpoint;
import dev.ftnotifier.enrich.CompletionMetrics;
import dev.ftnotifier.enrich.JobContext;
import dev.ftnotifier.model.FineTuningJob;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Jobs as the API sends them, parsed by Jackson, and notifications around them. */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant CHANGED = Instant.parse("2024-05-01T10:15:23Z");
    static final Instant NOTIFIED = Instant.parse("2024-05-01T10:15:30Z");
    /** The repository's real templates: surefire runs in the project root. */
    static final Path SHIPPED = Path.of("templates");

    static final String WANDB = """
            "integrations": [{"type": "wandb", "wandb": {"project": "ft-experiments", "name": "run-42", "entity": null, "tags": []}}]""";

    static final String FAILED = """
            {"id": "ftjob-abc123", "object": "fine_tuning.job", "model": "gpt-4o-mini-2024-07-18",
             "created_at": 1714557000, "finished_at": 1714558523, "status": "failed",
             "error": {"code": "invalid_n_examples", "message": "Training file has 5 examples; at least 10 are required.",
                       "param": "training_file"},
             "fine_tuned_model": null, "result_files": [], "trained_tokens": null, %s}""".formatted(WANDB);

    static final String SUCCEEDED = """
            {"id": "ftjob-def456", "object": "fine_tuning.job", "model": "gpt-4o-mini-2024-07-18",
             "created_at": 1714550000, "finished_at": 1714553723, "status": "succeeded", "error": null,
             "fine_tuned_model": "ft:gpt-4o-mini-2024-07-18:acme::9abcDEF", "result_files": ["file-res1", "file-res2"],
             "trained_tokens": 123456, %s}""".formatted(WANDB);

    static final String CANCELLED = """
            {"id": "ftjob-ghi789", "object": "fine_tuning.job", "model": "gpt-3.5-turbo-0125",
             "created_at": 1714550000, "finished_at": 1714551000, "status": "cancelled", "error": {},
             "fine_tuned_model": null, "result_files": [], "trained_tokens": null}""";

    static final String RUNNING = """
            {"id": "ftjob-jkl012", "object": "fine_tuning.job", "model": "gpt-4o-2024-08-06",
             "created_at": 1714550000, "finished_at": null, "status": "running",
             "error": {"code": null, "message": null, "param": null},
             "estimated_finish": 1714560000, "result_files": [], %s}""".formatted(WANDB);

    private Fixtures() {
    }

    static FineTuningJob job(String json) {
        try {
            return JSON.readValue(json, FineTuningJob.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Notification notification(String event, String json) {
        try {
            return of(event, CHANGED, NOTIFIED, JSON.readValue(json, FineTuningJob.class), json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A notification with what the shipped router decides about the job's status (terminal, known). */
    static Notification of(String event, Instant changedAt, Instant notifiedAt, FineTuningJob job, String raw) {
        StatusMeaning meaning = ShippedRouter.meaning(job == null ? "" : job.jobStatus().value());
        return new Notification(event, meaning.terminal(), meaning.known(), changedAt, notifiedAt, job, raw);
    }

    /**
     * The notification with everything the enrichment adds: a dashboard link, final metrics with two
     * checkpoints, and (whatever the status, so every template sees every name) two failure events.
     */
    static Notification enriched(Notification n) {
        CompletionMetrics metrics = new CompletionMetrics(303L, 0.0123456789, 0.9876543, 0.25, 0.91234, List.of(
                new Checkpoint("ft:gpt-4o-mini-2024-07-18:acme::9abcDEF:ckpt-step-101", 101L, Map.of("train_loss", 0.4)),
                new Checkpoint("ft:gpt-4o-mini-2024-07-18:acme::9abcDEF:ckpt-step-202", 202L, Map.of())));
        return n.withContext(new JobContext("https://platform.openai.com/finetune/" + n.jobId(), metrics, false,
                List.of("Step 300/303: <!channel> loss diverged & stopped", "a warning")));
    }

    /** A job from {@code json} after {@code edit} changed its JSON (to plant hostile text), parsed by Jackson. */
    static Notification edited(String event, String json, Consumer<ObjectNode> edit) {
        try {
            ObjectNode raw = (ObjectNode) JSON.readTree(json);
            edit.accept(raw);
            return of(event, CHANGED, NOTIFIED, JSON.treeToValue(raw, FineTuningJob.class), raw.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A failed job whose error message is {@code message}. */
    static Notification failedWithMessage(String message) {
        return edited("failure", FAILED, job -> ((ObjectNode) job.get("error")).put("message", message));
    }
}
