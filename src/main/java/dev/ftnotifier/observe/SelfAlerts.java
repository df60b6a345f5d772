package dev.ftnotifier.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ftnotifier.config.ConfigurationException;
import dev.ftnotifier.notify.ChannelSettings;
import dev.ftnotifier.notify.SelfAlert;
import dev.ftnotifier.state.DeliveryStore;
import dev.ftnotifier.state.StateDocuments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, on every check of routes/self-alert.camel.yaml, which self-alerts are due: for each
 * condition that keeps the notifier from its job ({@code api}: key rejected, quota exhausted,
 * unreachable; {@code channel-<name>}: deliveries pending), an episode begins when it is first seen,
 * is told ({@code self-alert}) once it has lasted longer than {@code notifier.self-alert.after}, and
 * is told over ({@code self-recovered}) once it is seen to have cleared. Episodes are kept in
 * {@code self-alerts.json} in the state folder (with {@code notifier.state.store=jdbc} in
 * PostgreSQL, read again before each check), so a restart or a failover neither repeats nor
 * forgets one; a self-alert stays due until the delivery ledger has it on every channel it is for. After a
 * restart the API counts as cleared only once it has answered usably again.
 */
public class SelfAlerts {

    private static final Logger LOG = LoggerFactory.getLogger("self-alert");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One episode of one condition, as kept on disk. */
    public record Episode(String condition, String broken, String words, Instant since, Instant alertedAt,
                          Instant recoveredAt, Set<String> channels) {
    }

    private record Condition(String broken, String words, Instant since) {
    }

    static final String NAME = "self-alerts";

    private final StateDocuments documents;
    /** The version of the document the episodes were read from or last saved as (0: none yet). */
    private long version;
    private final Duration after;
    private final List<ChannelSettings> channels;
    private final List<String> selfAlertChannels;
    private final ApiHealth api;
    private final ChannelDeliveries deliveries;
    private final DeliveryStore ledger;
    private final Clock clock;
    private final Map<String, Episode> episodes = new LinkedHashMap<>();

    /**
     * @param documents where the episodes live: {@code self-alerts.json} in the state folder, or with
     *                  {@code notifier.state.store=jdbc} PostgreSQL, shared by every instance (then read
     *                  again before each check: a new leader neither repeats nor forgets the old one's episodes)
     */
    public SelfAlerts(StateDocuments documents, Duration after, List<ChannelSettings> channels, List<String> selfAlertChannels,
                      ApiHealth api, ChannelDeliveries deliveries, DeliveryStore ledger, Clock clock) {
        this.documents = documents;
        this.after = after;
        this.channels = channels.stream().filter(ChannelSettings::enabled).toList();
        Set<String> on = new LinkedHashSet<>(this.channels.stream().map(ChannelSettings::name).toList());
        for (String name : selfAlertChannels) {
            if (!on.contains(name)) {
                throw new ConfigurationException("notifier.self-alert.channels: '" + name + "' is not a channel that is on (" + on + ")");
            }
        }
        this.selfAlertChannels = selfAlertChannels.isEmpty() ? List.copyOf(on) : List.copyOf(selfAlertChannels);
        this.api = api;
        this.deliveries = deliveries;
        this.ledger = ledger;
        this.clock = clock;
        load();
    }

    /** Takes the saved episodes when they are newer than those held (at start-up, or the leader before wrote them). */
    private void load() {
        Optional<StateDocuments.Document> saved = documents.readIfChanged(NAME, version);
        if (saved.isEmpty()) {
            return;
        }
        Map<String, Episode> read = new LinkedHashMap<>();
        try {
            for (JsonNode n : JSON.readTree(saved.get().json())) {
                Set<String> told = new LinkedHashSet<>();
                n.path("channels").forEach(c -> told.add(c.asText()));
                Episode e = new Episode(n.path("condition").asText(), n.path("channel").isNull() ? null : n.path("channel").asText(null),
                        n.path("reason").asText(), time(n.get("since")), time(n.get("alerted_at")), time(n.get("recovered_at")), told);
                read.put(e.condition(), e);
            }
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException("cannot read " + documents.where(NAME) + " (the self-alert episodes): " + e.getMessage()
                    + "; delete it to start afresh (an alert under way may then be told again)");
        }
        episodes.clear();
        episodes.putAll(read);
        version = saved.get().version();
    }

    /** The self-alerts to fan out now: each not yet delivered on every channel it is for. */
    public synchronized List<SelfAlert> due() {
        if (documents.shared()) {
            // only the leader checks: what the leader before it told is in the store
            try {
                load();
            } catch (IllegalStateException unreachable) {
                // nothing can be recorded as delivered now either: the next check tries again
                LOG.debug("self-alerts not checked: {}", unreachable.getMessage());
                return List.of();
            }
        }
        Instant now = clock.instant();
        boolean changed = false;
        Map<String, Condition> current = conditions();
        for (Map.Entry<String, Condition> c : current.entrySet()) {
            Episode e = episodes.get(c.getKey());
            if (e == null || e.recoveredAt() != null) {
                e = new Episode(c.getKey(), c.getValue().broken(), c.getValue().words(), c.getValue().since(), null, null, Set.of());
                episodes.put(c.getKey(), e);
                changed = true;
            }
            if (e.alertedAt() == null && Duration.between(e.since(), now).compareTo(after) > 0) {
                Set<String> told = new LinkedHashSet<>(selfAlertChannels);
                told.remove(e.broken());
                e = new Episode(e.condition(), e.broken(), c.getValue().words(), e.since(), now, null, told);
                episodes.put(e.condition(), e);
                changed = true;
                LOG.warn("the notifier cannot do its job: {}, since {}; telling {}", e.words(), e.since(),
                        told.isEmpty() ? "no channel (none but the broken one is on)" : String.join(", ", told));
            }
        }
        for (Episode e : List.copyOf(episodes.values())) {
            if (current.containsKey(e.condition()) || !clearedKnown(e.condition())) {
                continue;
            }
            if (e.alertedAt() == null) {
                episodes.remove(e.condition());
                changed = true;
            } else if (e.recoveredAt() == null) {
                episodes.put(e.condition(), new Episode(e.condition(), e.broken(), e.words(), e.since(), e.alertedAt(), now,
                        e.channels()));
                changed = true;
                LOG.info("recovered: {} is over (since {})", e.words(), e.since());
            }
        }
        List<SelfAlert> due = new ArrayList<>();
        for (Episode e : List.copyOf(episodes.values())) {
            if (e.alertedAt() == null) {
                continue;
            }
            SelfAlert alert = new SelfAlert(SelfAlert.ALERT, e.condition(), e.broken(), e.words(), e.since(), e.alertedAt(), e.channels());
            if (e.recoveredAt() != null) {
                alert = alert.recoveredAt(e.recoveredAt());
            }
            if (!deliveredEverywhere(alert)) {
                due.add(alert);
            } else if (alert.recovered()) {
                episodes.remove(e.condition());
                changed = true;
            }
        }
        if (changed) {
            save();
        }
        return due;
    }

    /** The conditions that hold now. */
    private Map<String, Condition> conditions() {
        Map<String, Condition> current = new LinkedHashMap<>();
        ApiHealth.Trouble trouble = api.trouble();
        if (trouble != null) {
            current.put("api", new Condition(null, trouble.words(), trouble.since()));
        }
        Map<String, ChannelDeliveries.Backlog> backlogs = deliveries.backlogs();
        for (ChannelSettings c : channels) {
            ChannelDeliveries.Backlog b = backlogs.get(c.name());
            if (b != null) {
                current.put("channel-" + c.name(), new Condition(c.name(), capital(c.type()) + " channel " + c.name()
                        + " failing: " + b.pending() + (b.pending() == 1 ? " delivery" : " deliveries") + " pending", b.oldestSince()));
            }
        }
        return current;
    }

    /** Whether a condition that does not hold now is known to have cleared (the API only once it answered usably). */
    private boolean clearedKnown(String condition) {
        return !condition.equals("api") || api.lastAnswer() != null;
    }

    private boolean deliveredEverywhere(SelfAlert alert) {
        return alert.channels().stream().allMatch(c -> ledger.isDelivered(alert.deliveryKey(c)));
    }

    private static Instant time(JsonNode n) {
        return n == null || n.isNull() ? null : Instant.parse(n.asText());
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private void save() {
        ArrayNode all = JSON.createArrayNode();
        for (Episode e : episodes.values()) {
            ObjectNode n = all.addObject();
            n.put("condition", e.condition());
            n.put("channel", e.broken());
            n.put("reason", e.words());
            n.put("since", e.since().toString());
            n.put("alerted_at", e.alertedAt() == null ? null : e.alertedAt().toString());
            n.put("recovered_at", e.recoveredAt() == null ? null : e.recoveredAt().toString());
            e.channels().forEach(n.putArray("channels")::add);
        }
        try {
            long saved = documents.write(NAME, JSON.writeValueAsString(all), version);
            if (saved < 0) {
                LOG.warn("another instance saved the self-alert episodes meanwhile (two leaders for a moment); the next"
                        + " check goes on from its episodes");
                version = -1;
            } else {
                version = saved;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write {}: {}", documents.where(NAME), e.toString());
        }
    }
}
