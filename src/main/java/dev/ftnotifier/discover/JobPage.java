package dev.ftnotifier.discover;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.config.JobIds;
import dev.ftnotifier.model.FineTuningJob;

import java.util.ArrayList;
import java.util.List;

/**
 * One page of {@code GET /fine_tuning/jobs}: {@code {"object":"list","data":[job...],"has_more":bool}}.
 *
 * <p>Each item keeps both the typed job and its JSON text, so a listed job can go through the
 * pipeline exactly as a fetched one does (the file channel writes the job as the API sent it).
 * An item that is not a readable job is kept with a null {@code job}; discovery skips it with a
 * warning instead of losing the whole page.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobPage(String object, List<Item> data, boolean hasMore) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A listed job.
     *
     * @param id  the {@code id} the item names, as text (null when it has none); the paging cursor
     * @param job the typed job, or null when the item cannot be read as one
     * @param raw the item's JSON text
     */
    public record Item(String id, FineTuningJob job, String raw) {

        public Long createdAt() {
            return job == null ? null : job.createdAt();
        }
    }

    public JobPage {
        data = List.copyOf(data);
    }

    /**
     * What Jackson calls when the route unmarshals a page. A body that is not a list (no
     * {@code data} array, another {@code object}) is refused, so the route treats it like any
     * other unusable answer. A missing {@code has_more} means the last page.
     */
    @JsonCreator
    public static JobPage of(@JsonProperty("object") String object,
                             @JsonProperty("data") JsonNode data,
                             @JsonProperty("has_more") JsonNode hasMore) {
        if (object != null && !"list".equals(object)) {
            throw new IllegalArgumentException("the answer is a '" + JobIds.printable(object) + "' object, not a list of jobs");
        }
        if (data == null || !data.isArray()) {
            throw new IllegalArgumentException("the answer has no 'data' array of jobs");
        }
        if (hasMore != null && !hasMore.isNull() && !hasMore.isBoolean()) {
            throw new IllegalArgumentException("'has_more' is not true or false");
        }
        List<Item> items = new ArrayList<>();
        for (JsonNode node : data) {
            items.add(item(node));
        }
        return new JobPage(object, items, hasMore != null && hasMore.asBoolean(false));
    }

    private static Item item(JsonNode node) {
        JsonNode id = node.path("id");
        String idText = id.isTextual() ? id.asText() : null;
        FineTuningJob job = null;
        if (node.isObject()) {
            try {
                job = JSON.treeToValue(node, FineTuningJob.class);
            } catch (Exception unreadable) {
                // kept as an item without a job: skipped with a warning, the rest of the page goes on
            }
        }
        return new Item(idText, job, node.toString());
    }

    /** The id of the last item: what {@code after} names to get the next page; null on an empty page. */
    public String lastId() {
        return data.isEmpty() ? null : data.get(data.size() - 1).id();
    }
}
