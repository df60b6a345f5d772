package dev.ftnotifier.observe;

import dev.ftnotifier.notify.SelfAlert;

import dev.ftnotifier.state.DeliveryListener;
import dev.ftnotifier.state.DeliveryStore;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per channel instance, which deliveries are pending and since when (the first failed attempt
 * seen by this process, or when this process first saw it pending). Self-alerts pending on a channel are not counted as its
 * backlog: they are what tells about it.
 */
public class ChannelDeliveries implements DeliveryListener {

    /** A channel's backlog: how many deliveries are pending, the oldest since when. */
    public record Backlog(int pending, Instant oldestSince) {
    }

    private final DeliveryStore ledger;
    private final Clock clock;
    private final Map<String, Instant> pendingSince = new ConcurrentHashMap<>();

    public ChannelDeliveries(DeliveryStore ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public void delivered(String key) {
        pendingSince.remove(key);
    }

    @Override
    public void failed(String key) {
        pendingSince.putIfAbsent(key, clock.instant());
    }

    /** The backlog of each channel that has one. */
    public Map<String, Backlog> backlogs() {
        List<DeliveryStore.Pending> pending = ledger.pending();
        Instant now = clock.instant();
        Map<String, Backlog> out = new HashMap<>();
        for (DeliveryStore.Pending p : pending) {
            String key = p.delivery();
            if (DeliveryStore.jobOf(key).equals(SelfAlert.JOB)) {
                continue;
            }
            String channel = DeliveryStore.channelOf(key);
            if (channel.isEmpty()) {
                continue;
            }
            Instant since = pendingSince.computeIfAbsent(key, k -> now);
            out.merge(channel, new Backlog(1, since), (a, b) -> new Backlog(a.pending() + 1,
                    a.oldestSince().isBefore(b.oldestSince()) ? a.oldestSince() : b.oldestSince()));
        }
        // forget what is no longer pending (delivered before this process saw it, or compacted away)
        if (pendingSince.size() > pending.size()) {
            java.util.Set<String> keys = new java.util.HashSet<>();
            pending.forEach(p -> keys.add(p.delivery()));
            pendingSince.keySet().retainAll(keys);
        }
        return out;
    }

    public Backlog backlog(String channel) {
        return backlogs().get(channel);
    }
}
