package dev.ftnotifier.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * Writes a {@link SimulatedJob} as the API's {@code fine_tuning.job} object:
 * snake_case names, explicit nulls, fields in the order the API documents them.
 * Built by hand rather than by Jackson annotations so that every null is visible here.
 */
final class JobJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private JobJson() {
    }

    static ObjectNode toJson(SimulatedJob job) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("object", "fine_tuning.job");
        json.put("id", job.id());
        json.put("model", job.model());
        json.put("created_at", job.createdAt());
        json.put("finished_at", job.finishedAt());
        json.put("fine_tuned_model", job.fineTunedModel());
        json.put("organization_id", job.organizationId());
        ArrayNode resultFiles = json.putArray("result_files");
        job.resultFiles().forEach(resultFiles::add);
        json.put("status", job.status());
        json.put("validation_file", job.validationFile());
        json.put("training_file", job.trainingFile());
        json.set("hyperparameters", hyperparameters(job.hyperparameters()));
        json.put("trained_tokens", job.trainedTokens());
        json.set("error", error(job.error()));
        json.set("integrations", integrations(job.integrations()));
        json.put("seed", job.seed());
        json.put("estimated_finish", job.estimatedFinish());
        json.set("method", method(job.hyperparameters()));
        json.set("metadata", metadata(job.metadata()));
        return json;
    }

    private static JsonNode hyperparameters(SimulatedJob.Hyperparameters values) {
        if (values == null) {
            return MAPPER.nullNode();
        }
        ObjectNode json = MAPPER.createObjectNode();
        // valueToTree keeps "auto" a string and 3 an integer, 1.8 a decimal
        json.set("batch_size", MAPPER.valueToTree(values.batchSize()));
        json.set("learning_rate_multiplier", MAPPER.valueToTree(values.learningRateMultiplier()));
        json.set("n_epochs", MAPPER.valueToTree(values.nEpochs()));
        return json;
    }

    /** Current API answers carry the hyperparameters again under {@code method.supervised}. */
    private static JsonNode method(SimulatedJob.Hyperparameters values) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("type", "supervised");
        ObjectNode supervised = json.putObject("supervised");
        if (values != null) {
            supervised.set("hyperparameters", hyperparameters(values));
        }
        return json;
    }

    private static JsonNode error(SimulatedJob.JobError error) {
        if (error == null) {
            return MAPPER.nullNode();
        }
        ObjectNode json = MAPPER.createObjectNode();
        json.put("code", error.code());
        json.put("message", error.message());
        json.put("param", error.param());
        return json;
    }

    private static JsonNode integrations(List<SimulatedJob.Wandb> integrations) {
        if (integrations == null) {
            return MAPPER.nullNode();
        }
        ArrayNode json = MAPPER.createArrayNode();
        for (SimulatedJob.Wandb wandb : integrations) {
            ObjectNode item = json.addObject();
            item.put("type", "wandb");
            ObjectNode settings = item.putObject("wandb");
            settings.put("project", wandb.project());
            settings.put("name", wandb.name());
            settings.put("entity", wandb.entity());
            ArrayNode tags = settings.putArray("tags");
            wandb.tags().forEach(tags::add);
        }
        return json;
    }

    private static JsonNode metadata(Map<String, String> metadata) {
        if (metadata == null) {
            return MAPPER.nullNode();
        }
        ObjectNode json = MAPPER.createObjectNode();
        metadata.forEach(json::put);
        return json;
    }
}
