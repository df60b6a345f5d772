package dev.ftnotifier.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the two lists the API gives about a job: its checkpoints
 * ({@code GET /fine_tuning/jobs/{id}/checkpoints}) and its events
 * ({@code GET /fine_tuning/jobs/{id}/events?limit=20}). Unknown fields are ignored; a body that is
 * not such a list is a {@link ResultFileException}.
 */
public class JobLists {

    /** How many error and warning messages a failure notification quotes. */
    public static final int EVENTS_SHOWN = 3;
    /** error and warn (OpenAI), warning (Azure). */
    private static final Set<String> LEVELS = Set.of("error", "warn", "warning");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The checkpoints, by step (the API lists the newest first). */
    public List<Checkpoint> checkpoints(String body) {
        List<Checkpoint> list = new ArrayList<>();
        for (JsonNode item : data(body, "checkpoint list")) {
            String model = text(item.get("fine_tuned_model_checkpoint"));
            if (model == null) {
                continue;
            }
            JsonNode stepNode = item.get("step_number");
            Long step = stepNode != null && stepNode.canConvertToLong() ? stepNode.asLong() : null;
            Map<String, Double> metrics = new LinkedHashMap<>();
            JsonNode m = item.get("metrics");
            if (m != null && m.isObject()) {
                m.fields().forEachRemaining(e -> {
                    if (e.getValue().isNumber() && Double.isFinite(e.getValue().asDouble())) {
                        metrics.put(e.getKey(), e.getValue().asDouble());
                    }
                });
            }
            list.add(new Checkpoint(model, step, metrics));
        }
        list.sort(Comparator.comparing(Checkpoint::step, Comparator.nullsLast(Comparator.naturalOrder())));
        return List.copyOf(list);
    }

    /** Up to {@link #EVENTS_SHOWN} error and warning messages, newest first (by created_at, then as listed). */
    public List<String> failureEvents(String body) {
        record Event(long createdAt, int order, String message) {
        }
        List<Event> events = new ArrayList<>();
        int order = 0;
        for (JsonNode item : data(body, "event list")) {
            String level = text(item.get("level"));
            String message = text(item.get("message"));
            order++;
            if (level == null || message == null || message.isBlank()
                    || !LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
                continue;
            }
            JsonNode created = item.get("created_at");
            events.add(new Event(created != null && created.canConvertToLong() ? created.asLong() : Long.MIN_VALUE,
                    order, message));
        }
        events.sort(Comparator.comparingLong(Event::createdAt).reversed().thenComparingInt(Event::order));
        return events.stream().limit(EVENTS_SHOWN).map(Event::message).toList();
    }

    private static Iterable<JsonNode> data(String body, String what) {
        JsonNode root;
        try {
            root = body == null ? null : JSON.readTree(body);
        } catch (IOException e) {
            throw new ResultFileException("the " + what + " is not JSON");
        }
        JsonNode data = root == null ? null : root.get("data");
        if (data == null || !data.isArray()) {
            throw new ResultFileException("the " + what + " has no data array");
        }
        return data;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
