package dev.ftnotifier.notify;

import dev.ftnotifier.state.DeliveryStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channel instances a notification may go to, and whether all that want it have it: a
 * terminal job is finished (no longer fetched) only when every channel whose filters take
 * the notification has delivered. A delivery still backing off after a failure keeps the job
 * watched.
 */
public class Channels {

    private final Map<String, ChannelSettings> channels = new LinkedHashMap<>();
    private final DeliveryStore deliveries;

    public Channels(List<ChannelSettings> channels, DeliveryStore deliveries) {
        channels.forEach(c -> this.channels.put(c.name(), c));
        this.deliveries = deliveries;
    }

    /** Whether the instance {@code name} takes this notification (its statuses and job filters). */
    public boolean accepts(String name, Notification n) {
        ChannelSettings channel = channels.get(name);
        return channel != null && channel.takes(n);
    }

    /** The routes of the channels that are on, in order: what the notify route sends every notification to. */
    public List<String> endpoints() {
        return channels.values().stream().filter(ChannelSettings::enabled).map(ChannelSettings::endpoint).toList();
    }

    public boolean allDelivered(Notification n) {
        return channels.values().stream()
                .filter(c -> c.takes(n))
                .allMatch(c -> deliveries.isDelivered(DeliveryStore.key(n.jobId(), n.deliveryName(), c.name())));
    }

    public List<ChannelSettings> all() {
        return List.copyOf(channels.values());
    }
}
