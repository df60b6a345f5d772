package dev.ftnotifier.recovery;

import dev.ftnotifier.notify.ChannelBreakers;
import dev.ftnotifier.state.DeliveryStore;
import dev.ftnotifier.watch.WatchList;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backlog of a channel whose circuit breaker lets a call through again (the route
 * {@code channel-backlog}, routes/notify.camel.yaml): which jobs hold its pending deliveries,
 * in the order those became due (their next attempt as the delivery store has it), and, while
 * the channel comes back, that only its trial call and then its backlog deliver on it, so a
 * poll fetching the same jobs cannot send out of turn.
 *
 * <p>The backlog starts when the breaker half-opens (resilience4j moves it there by itself once
 * {@code notifier.channel.open-seconds} are over; this class is told through the breaker's
 * events): its first delivery is the trial call. It also starts when a poll's delivery was the
 * trial call and succeeded (then without that delivery).
 *
 * <p>A Camel service ({@link RecoveryConfiguration} adds it): the producer that starts the route
 * is stopped with the context.
 */
public class ChannelBacklogs extends ServiceSupport {

    /** How long the backlog waits for a job a poll is fetching at that moment. */
    static final long CLAIM_WAIT_MILLIS = 5_000;
    private static final String BACKLOG_ROUTE = "direct:channel-backlog";

    private final CamelContext context;
    /** Per channel whose backlog is being sent, its jobs in order. */
    private final Map<String, List<String>> backlogs = new ConcurrentHashMap<>();
    /** Per channel whose backlog is being sent, the jobs it has not yet passed: their deliveries on it are the backlog's. */
    private final Map<String, Set<String>> held = new ConcurrentHashMap<>();
    /** Per channel whose backlog is being sent, the jobs it took from the polls at its start and has not fetched yet. */
    private final Map<String, Set<String>> claimed = new ConcurrentHashMap<>();
    /** Per channel, the delivery let through as its breaker's trial call. */
    private final Map<String, String> trials = new ConcurrentHashMap<>();
    /** Per channel, a poll's delivery whose trial call succeeded: delivered, so not part of the backlog. */
    private final Map<String, String> succeededTrials = new ConcurrentHashMap<>();
    private final Set<CircuitBreaker> watched = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private volatile ProducerTemplate producer;

    public ChannelBacklogs(CamelContext context) {
        this.context = context;
    }

    private DeliveryStore store() {
        return context.getRegistry().lookupByNameAndType("deliveryStore", DeliveryStore.class);
    }

    private WatchList watchList() {
        return context.getRegistry().lookupByNameAndType("watchList", WatchList.class);
    }

    /**
     * Starts the backlog of the channel, unless one is under way (false): lists the jobs of the
     * deliveries pending on it in the order they became due, and takes from the polls each that
     * no poll is fetching now (the backlog fetches it in its turn). Until the backlog is past a
     * job ({@link #sent}), a poll that fetches it anyway delivers it everywhere but on this channel.
     */
    public synchronized boolean start(String channel) {
        if (backlogs.containsKey(channel)) {
            return false;
        }
        String delivered = succeededTrials.remove(channel);
        DeliveryStore store = store();
        String suffix = "|" + channel;
        Set<String> jobs = new LinkedHashSet<>();
        for (DeliveryStore.Pending pending : store.pending()) { // by next attempt
            String key = pending.delivery();
            if (key.endsWith(suffix) && !key.equals(delivered) && !store.isDelivered(key)) {
                jobs.add(key.substring(0, key.indexOf('|')));
            }
        }
        Set<String> remaining = ConcurrentHashMap.newKeySet();
        remaining.addAll(jobs);
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
        held.put(channel, remaining);
        claimed.put(channel, taken);
        backlogs.put(channel, new ArrayList<>(jobs));
        return true;
    }

    /** The jobs of the channel's backlog under way, in the order their deliveries became due. */
    public List<String> jobs(String channel) {
        return backlogs.getOrDefault(channel, List.of());
    }

    /**
     * The channel answered again after its breaker opened, on the delivery {@code trialKey}: every
     * delivery pending on it is due now (the store's {@code channelRecovered}, backoff reset).
     * The route then starts the backlog, if it is not the one that made the trial call.
     *
     * @return how many deliveries the store made due
     */
    public int recovered(String channel, String trialKey) {
        trials.remove(channel);
        if (!backlogs.containsKey(channel)) {
            succeededTrials.put(channel, trialKey);
        }
        return store().channelRecovered(channel);
    }

    /**
     * Whether the backlog of the channel may fetch the job now: taken at the start, or taken now,
     * waiting a while for a poll's fetch of it to end. False when that does not end in time (then a later poll sends
     * it) or the job is finished. The caller releases it, and tells {@link #sent}.
     */
    public boolean claim(String channel, String jobId) throws InterruptedException {
        Set<String> taken = claimed.get(channel);
        if (taken != null && taken.remove(jobId)) {
            return true;
        }
        return watchList().claim(jobId, CLAIM_WAIT_MILLIS);
    }

    /** The backlog is past this job (delivered, failed or skipped): a poll may deliver it on the channel again. */
    public void sent(String channel, String jobId) {
        Set<String> remaining = held.get(channel);
        if (remaining != null) {
            remaining.remove(jobId);
        }
    }

    /**
     * Whether this delivery must wait while the channel comes back: its breaker lets one trial
     * call through, then its backlog goes out in the order it became due, and a poll's delivery
     * of a backlog job the backlog has not reached yet is held back (not tried, still pending;
     * the backlog sends it). Deliveries that were not pending when the backlog started go as usual. Called just before the breaker. With no backlog under way, the first delivery
     * to find the breaker half-open is the one let through as the trial call, until {@link #over};
     * one that finds it open goes on to be refused by it.
     *
     * @param breakerState the breaker's state just now (CLOSED, OPEN, HALF_OPEN)
     * @param backlogOf    the channel whose backlog this delivery belongs to, or null
     */
    public boolean holdsBack(String channel, String key, String breakerState, Object backlogOf) {
        watch(channel);
        if (channel.equals(backlogOf)) {
            return false;
        }
        if (backlogs.containsKey(channel)) {
            Set<String> remaining = held.get(channel);
            return remaining != null && remaining.contains(key.substring(0, key.indexOf('|')));
        }
        if ("OPEN".equals(breakerState)) {
            return false; // the breaker refuses it itself
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

    /** The backlog is through (or what is left of it waits for a poll): every delivery on the channel may go again. */
    public synchronized void done(String channel) {
        Set<String> taken = claimed.remove(channel);
        if (taken != null) {
            taken.forEach(watchList()::release);
        }
        held.remove(channel);
        backlogs.remove(channel);
    }

    /**
     * Starts the channel's backlog whenever its breaker half-opens: told by the breaker itself
     * (a reloaded route has a new one, watched from its first delivery on).
     */
    private void watch(String channel) {
        ChannelBreakers breakers = context.getRegistry().lookupByNameAndType("channelBreakers", ChannelBreakers.class);
        ResilienceProcessor processor = breakers == null ? null : breakers.breaker(channel);
        CircuitBreaker breaker = processor == null ? null : processor.getCircuitBreaker();
        if (breaker == null || !watched.add(breaker)) {
            return;
        }
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.HALF_OPEN) {
                producer().asyncSendBody(BACKLOG_ROUTE, channel);
            }
        });
    }

    @Override
    protected void doStop() {
        ProducerTemplate template = producer;
        producer = null;
        ServiceHelper.stopService(template);
    }

    private ProducerTemplate producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = context.createProducerTemplate();
                }
            }
        }
        return producer;
    }
}
