package dev.ftnotifier.recovery;

import dev.ftnotifier.state.DeliveryStore;
import dev.ftnotifier.watch.WatchList;
import org.apache.camel.CamelContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backlog of a channel whose circuit breaker lets a call through again (the route
 * {@code channel-backlog}, routes/notify.camel.yaml): which jobs hold its pending deliveries,
 * in the order those became due (their next attempt as the delivery store has it, before the
 * recovery makes them all due now), and, from the trial call until that backlog is sent, that
 * only the trial and the backlog deliver on the channel, so a poll fetching the same jobs
 * cannot send out of turn.
 */
public class ChannelBacklogs {

    /** How long the backlog waits for a job a poll is fetching at that moment. */
    static final long CLAIM_WAIT_MILLIS = 5_000;

    private final CamelContext context;
    private final Map<String, List<String>> backlogs = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> held = new ConcurrentHashMap<>();
    /** Per channel, the delivery let through as its breaker's trial call. */
    private final Map<String, String> trials = new ConcurrentHashMap<>();

    public ChannelBacklogs(CamelContext context) {
        this.context = context;
    }

    private DeliveryStore store() {
        return context.getRegistry().lookupByNameAndType("deliveryLedger", DeliveryStore.class);
    }

    private WatchList watchList() {
        return context.getRegistry().lookupByNameAndType("watchList", WatchList.class);
    }

    /**
     * The channel answered again after its breaker opened, on the delivery {@code trialKey}:
     * notes the jobs of every other delivery pending on it, in the order they became due, then
     * makes them all due now (the store's {@code channelRecovered}, backoff reset). From now
     * until {@link #done}, only the backlog delivers on this channel.
     *
     * @return how many deliveries the store made due
     */
    public int recovered(String channel, String trialKey) {
        DeliveryStore store = store();
        String suffix = "|" + channel;
        Set<String> jobs = new LinkedHashSet<>();
        for (DeliveryStore.Pending pending : store.pending()) { // by next attempt
            String key = pending.delivery();
            if (key.endsWith(suffix) && !key.equals(trialKey) && !store.isDelivered(key)) {
                jobs.add(key.substring(0, key.indexOf('|')));
            }
        }
        backlogs.put(channel, new ArrayList<>(jobs));
        trials.remove(channel);
        return store.channelRecovered(channel);
    }

    /**
     * The jobs whose deliveries on the channel make its backlog, in the order they became due.
     * Each that no poll is fetching now is taken at once (a poll leaves it alone until the
     * backlog has fetched it); {@link #claim} takes the others when their fetch ends.
     */
    public List<String> jobs(String channel) {
        List<String> jobs = backlogs.getOrDefault(channel, List.of());
        Set<String> taken = ConcurrentHashMap.newKeySet();
        for (String jobId : jobs) {
            try {
                if (watchList().claim(jobId, 0)) {
                    taken.add(jobId);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        held.put(channel, taken);
        return jobs;
    }

    /**
     * Whether the backlog of the channel may fetch the job now: taken already, or taken now,
     * waiting a while for a poll's fetch of it to end. False when that does not end in time
     * (then a later poll sends what is left) or the job is finished. The caller releases it.
     */
    public boolean claim(String channel, String jobId) throws InterruptedException {
        Set<String> taken = held.get(channel);
        if (taken != null && taken.remove(jobId)) {
            return true;
        }
        return watchList().claim(jobId, CLAIM_WAIT_MILLIS);
    }

    /**
     * Whether this delivery must wait while the channel comes back: its breaker lets one trial
     * call through, then its backlog goes out in the order it became due, and any other delivery
     * on the channel meanwhile is held back (not tried, still pending; a poll after the backlog
     * sends it). Called just before the breaker. The first delivery to find the breaker not
     * closed is the one allowed through as the trial call, until {@link #over}.
     *
     * @param breakerState the breaker's state just now (CLOSED, OPEN, HALF_OPEN)
     * @param backlogOf    the channel whose backlog this delivery belongs to, or null
     */
    public boolean holdsBack(String channel, String key, String breakerState, Object backlogOf) {
        if (channel.equals(backlogOf)) {
            return false;
        }
        if (backlogs.containsKey(channel)) {
            return true;
        }
        if ("CLOSED".equals(breakerState)) {
            String trial = trials.get(channel);
            return trial != null && !trial.equals(key);
        }
        String trial = trials.putIfAbsent(channel, key);
        return trial != null && !trial.equals(key);
    }

    /** The delivery's attempt on the channel is over without success (failed, refused or held back): it is no trial call any more. */
    public void over(String channel, String key) {
        trials.remove(channel, key);
    }

    /** The backlog is sent (or what is left of it waits for a poll): every fetch delivers on the channel again. */
    public void done(String channel) {
        Set<String> taken = held.remove(channel);
        if (taken != null) {
            taken.forEach(watchList()::release);
        }
        backlogs.remove(channel);
    }
}
