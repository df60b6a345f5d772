package dev.ftnotifier.notify;

import dev.ftnotifier.state.DeliveryStore;

import java.util.List;

/**
 * The channels a notification may go to, and whether all that want it have it: a terminal
 * job is finished (no longer fetched) only when every channel whose filter takes its status
 * has delivered. A delivery still backing off after a failure keeps the job watched.
 */
public class Channels {

    private final List<ChannelSettings> channels;
    private final DeliveryStore deliveries;

    public Channels(List<ChannelSettings> channels, DeliveryStore deliveries) {
        this.channels = List.copyOf(channels);
        this.deliveries = deliveries;
    }

    public boolean allDelivered(Notification n) {
        return channels.stream()
                .filter(c -> c.accepts(n.status()))
                .allMatch(c -> deliveries.isDelivered(DeliveryStore.key(n.jobId(), n.status(), c.name())));
    }

    public List<ChannelSettings> all() {
        return channels;
    }
}
