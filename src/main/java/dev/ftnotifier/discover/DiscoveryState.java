package dev.ftnotifier.discover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ftnotifier.config.ConfigurationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What discovery remembers across polls and restarts, the document {@code discovery}
 * ({@code discovery.json} under {@code notifier.state.dir}, or PostgreSQL's
 * {@code notifier_document} with {@code notifier.state.store=jdbc}; see {@code StateDocuments}):
 * <ul>
 *   <li>{@code first_discovery_completed}: once true, a terminal job found in the list is
 *       notified; before, it had finished before the notifier first looked and is only recorded;</li>
 *   <li>{@code horizon}: the {@code created_at} the list is paged back to (less a margin);</li>
 *   <li>{@code tracked}: unfinished jobs followed through the list, with their {@code created_at};</li>
 *   <li>{@code handed_over}: unfinished jobs too old for the list window, fetched one by one.</li>
 * </ul>
 */
final class DiscoveryState {

    static final String NAME = "discovery";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    boolean firstDiscoveryCompleted;
    Long horizon;
    final Map<String, Long> tracked = new TreeMap<>();
    final Set<String> handedOver = new TreeSet<>();

    /** The state a document holds; an unreadable one stops start-up (or the discovery), naming it. */
    static DiscoveryState parse(String json, String where) {
        DiscoveryState state = new DiscoveryState();
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isObject()) {
                throw new IOException("not a JSON object");
            }
            state.firstDiscoveryCompleted = root.path("first_discovery_completed").asBoolean(false);
            JsonNode horizon = root.path("horizon");
            state.horizon = horizon.isIntegralNumber() ? horizon.asLong() : null;
            root.path("tracked").fields().forEachRemaining(e -> {
                if (e.getValue().isIntegralNumber()) {
                    state.tracked.put(e.getKey(), e.getValue().asLong());
                }
            });
            root.path("handed_over").forEach(id -> {
                if (id.isTextual()) {
                    state.handedOver.add(id.asText());
                }
            });
            return state;
        } catch (IOException e) {
            throw new ConfigurationException("discovery state " + where + " cannot be read (" + e.getClass().getSimpleName()
                    + "): restore it, or delete it to start discovery afresh (jobs finished by then are then"
                    + " recorded without a notification)");
        }
    }

    /** The document: as discovery.json has always been written. */
    String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("first_discovery_completed", firstDiscoveryCompleted);
        if (horizon == null) {
            root.putNull("horizon");
        } else {
            root.put("horizon", horizon);
        }
        ObjectNode trackedNode = root.putObject("tracked");
        tracked.forEach(trackedNode::put);
        handedOver.forEach(root.putArray("handed_over")::add);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
