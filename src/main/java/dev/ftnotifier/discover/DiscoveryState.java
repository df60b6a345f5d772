package dev.ftnotifier.discover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ftnotifier.config.ConfigurationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What discovery remembers across polls and restarts, in {@code discovery.json} under
 * {@code notifier.state.dir}, rewritten atomically (written aside, forced, renamed):
 * <ul>
 *   <li>{@code first_discovery_completed}: once true, a terminal job found in the list is
 *       notified; before, it had finished before the notifier first looked and is only recorded;</li>
 *   <li>{@code horizon}: the {@code created_at} the list is paged back to (less a margin);</li>
 *   <li>{@code tracked}: unfinished jobs followed through the list, with their {@code created_at};</li>
 *   <li>{@code handed_over}: unfinished jobs too old for the list window, fetched one by one.</li>
 * </ul>
 */
final class DiscoveryState {

    static final String FILE_NAME = "discovery.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    boolean firstDiscoveryCompleted;
    Long horizon;
    final Map<String, Long> tracked = new TreeMap<>();
    final Set<String> handedOver = new TreeSet<>();

    /** The saved state, or a fresh one when there is none yet; an unreadable file stops start-up, naming it. */
    static DiscoveryState load(Path file) {
        DiscoveryState state = new DiscoveryState();
        if (!Files.exists(file)) {
            return state;
        }
        try {
            JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
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
            throw new ConfigurationException("discovery state " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + "): restore it, or delete it to start discovery afresh (jobs finished by then are then"
                    + " recorded without a notification)");
        }
    }

    /** Replaces the file atomically, so a crash leaves the old state or the new one, never half of it. */
    void save(Path file) {
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
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path aside = file.resolveSibling(file.getFileName() + ".part");
            try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = StandardCharsets.UTF_8.encode(JSON.writeValueAsString(root) + "\n");
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
