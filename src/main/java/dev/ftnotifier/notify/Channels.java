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
    private final java.util.Set<String> digestChannels;

    public Channels(List<ChannelSettings> channels, DeliveryStore deliveries) {
        this(channels, deliveries, List.of());
    }

    /**
     * @param digestChannels the instances that get the digest ({@code notifier.digest.channels}); empty: every
     *                       Slack and email instance that is on
     */
    public Channels(List<ChannelSettings> channels, DeliveryStore deliveries, List<String> digestChannels) {
        channels.forEach(c -> this.channels.put(c.name(), c));
        this.deliveries = deliveries;
        for (String name : digestChannels) {
            ChannelSettings c = this.channels.get(name);
            if (c == null || !DIGEST_TYPES.contains(c.type())) {
                throw new IllegalArgumentException("notifier.digest.channels: '" + name + "' is not a Slack or email channel"
                        + " (the digest goes to slack and email instances: " + String.join(", ", this.channels.values().stream()
                        .filter(s -> DIGEST_TYPES.contains(s.type())).map(ChannelSettings::name).toList()) + ")");
            }
        }
        this.digestChannels = digestChannels.isEmpty()
                ? this.channels.values().stream().filter(c -> DIGEST_TYPES.contains(c.type())).map(ChannelSettings::name)
                        .collect(java.util.stream.Collectors.toUnmodifiableSet())
                : java.util.Set.copyOf(digestChannels);
    }

    private static final java.util.Set<String> DIGEST_TYPES = java.util.Set.of("slack", "email");

    /**
     * Whether the instance {@code name} takes this: a notification by its statuses and job filters; a digest when
     * the instance is one of the digest channels; a self-alert when it is addressed to the instance.
     */
    public boolean accepts(String name, Deliverable d) {
        ChannelSettings channel = channels.get(name);
        if (channel == null) {
            return false;
        }
        if (d instanceof Digest) {
            return channel.enabled() && digestChannels.contains(name);
        }
        if (d instanceof SelfAlert alert) {
            return channel.enabled() && alert.channels().contains(name);
        }
        return channel.takes((Notification) d);
    }

    /**
     * The routes the notify route sends a notification to: the channels that are on, in order; with
     * {@code only} (a channel's backlog, route channel-backlog), that channel's alone, if it is on.
     */
    public List<String> endpoints(String only) {
        return channels.values().stream().filter(ChannelSettings::enabled)
                .filter(c -> only == null || c.name().equals(only)).map(ChannelSettings::endpoint).toList();
    }

    /** The type of the instance {@code name} (slack, email, file, webhook), or null when there is none. */
    public String typeOf(String name) {
        ChannelSettings channel = channels.get(name);
        return channel == null ? null : channel.type();
    }

    public boolean allDelivered(Deliverable d) {
        if (!(d instanceof Notification n)) {
            return false;
        }
        return channels.values().stream()
                .filter(c -> c.takes(n))
                .allMatch(c -> deliveries.isDelivered(n.deliveryKey(c.name())));
    }

    public List<ChannelSettings> all() {
        return List.copyOf(channels.values());
    }
}
