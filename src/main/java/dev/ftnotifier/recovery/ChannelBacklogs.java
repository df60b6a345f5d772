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
import java.util.concurrent.TimeUnit;

/**
 * The backlog of a channel whose circuit breaker lets a call through again (the route
 * {@code channel-backlog}, routes/notify.camel.yaml): which jobs hold its pending deliveries,
 * in the order those became due (their next attempt as the delivery store has it), and, while
 * the channel comes back, that only its trial call and then its backlog deliver on it, so a
 * poll fetching the same jobs cannot send out of turn.
 *
 * <p>The backlog is listed the moment the breaker half-opens (resilience4j moves it there by
 * itself once {@code notifier.channel.open-seconds} are over, and tells this class in the same
 * thread), and from then on no poll's delivery on that channel reaches the breaker until the
 * trial call is decided: the trial call is the backlog's first delivery. A breaker about to
 * half-open holds a poll's delivery back too ({@link #HALF_OPEN_GUARD_MILLIS}). The backlog also
 * starts when a poll's delivery was the trial call and succeeded (then without that delivery):
 * that happens only when nothing was pending on the channel when its breaker half-opened.
 *
 * <p>A Camel service ({@link RecoveryConfiguration} adds it): the producer that starts the route
 * is stopped with the context.
 */
public class ChannelBacklogs extends ServiceSupport {

    /** How long the backlog waits for a job a poll is fetching at that moment. */
    static final long CLAIM_WAIT_MILLIS = 5_000;
    /** A backlog listed at a half-open that its route did not take up within this time is dropped (the route was not running): the polls deliver again. */
    static final long UNCLAIMED_MILLIS = 10_000;
    /**
     * A breaker this close to half-opening holds back a poll's delivery instead of letting the
     * breaker refuse it: between reading "open" and the breaker's own check it may half-open,
     * and that delivery would take the trial call from the backlog. Held back or refused, the
     * delivery counts no attempt.
     */
    static final long HALF_OPEN_GUARD_MILLIS = 100;
    private static final String BACKLOG_ROUTE = "direct:channel-backlog";

    private final CamelContext context;
    /** Per channel whose backlog is being sent, its jobs in order. */
    private final Map<String, List<String>> backlogs = new ConcurrentHashMap<>();
    /** Per channel whose backlog was listed at a half-open and not yet taken up by its route, when it was listed (System.nanoTime). */
    private final Map<String, Long> listedAt = new ConcurrentHashMap<>();
    /** The channels whose breaker's latest half-open this class has handled (its backlog listed, or nothing pending). */
    private final Set<String> halfOpenHandled = ConcurrentHashMap.newKeySet();
    /** Per channel, when its breaker last opened (System.nanoTime) and for how long (ms). */
    private final Map<String, long[]> openedAt = new ConcurrentHashMap<>();
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
     * Lists the channel's backlog, unless one is listed or under way: the jobs of the deliveries
     * pending on it in the order they became due. Until the backlog is past a job ({@link #sent}),
     * a poll that fetches it delivers it everywhere but on this channel. False when nothing is
     * pending.
     */
    private synchronized boolean list(String channel) {
        if (backlogs.containsKey(channel)) {
            return true;
        }
        String delivered = succeededTrials.remove(channel);
        DeliveryStore store = store();
        String suffix = "|" + channel;
        Set<String> jobs = new LinkedHashSet<>();
        for (DeliveryStore.Pending pending : store.pending()) { // by next attempt
            String key = pending.delivery();
            if (key.endsWith(suffix) && !key.equals(delivered) && !store.isDelivered(key)) {
                jobs.add(DeliveryStore.jobOf(key));
            }
        }
        if (jobs.isEmpty()) {
            return false;
        }
        Set<String> remaining = ConcurrentHashMap.newKeySet();
        remaining.addAll(jobs);
        held.put(channel, remaining);
        backlogs.put(channel, new ArrayList<>(jobs));
        listedAt.put(channel, System.nanoTime());
        return true;
    }

    /**
     * Starts sending the channel's backlog: the one listed when its breaker half-opened, or (after
     * a poll's delivery was the trial call and succeeded) one listed now. False when a backlog of
     * the channel is being sent already, or nothing is pending. Takes from the polls each of its
     * jobs that no poll is fetching now (the backlog fetches it in its turn).
     */
    public synchronized boolean start(String channel) {
        if (claimed.containsKey(channel) || !list(channel)) {
            return false;
        }
        listedAt.remove(channel);
        Set<String> taken = ConcurrentHashMap.newKeySet();
        for (String jobId : backlogs.get(channel)) {
            try {
                if (watchList().claim(jobId, 0)) {
                    taken.add(jobId);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        claimed.put(channel, taken);
        return true;
    }

    /** The jobs of the channel's backlog under way, in the order their deliveries became due. */
    public List<String> jobs(String channel) {
        return backlogs.getOrDefault(channel, List.of());
    }

    /** The jobs of the channel's backlog under way that it has not passed yet ({@link #sent}), in the order their deliveries became due. */
    public List<String> unsent(String channel) {
        Set<String> remaining = held.get(channel);
        return remaining == null ? List.of() : jobs(channel).stream().filter(remaining::contains).toList();
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
     * Whether this delivery must wait while the channel comes back: not tried, still pending (the
     * backlog, or a later poll, sends it). Called just before the breaker.
     * <ul>
     * <li>the backlog's own deliveries go;</li>
     * <li>from the moment the breaker half-opens until its trial call is decided, a poll's
     *     delivery on the channel waits: the trial call is the backlog's first delivery;</li>
     * <li>then, while the backlog is being sent, a poll's delivery of a backlog job the backlog
     *     has not passed yet waits; deliveries that were not pending go as usual;</li>
     * <li>a breaker about to half-open ({@link #HALF_OPEN_GUARD_MILLIS}) holds a poll's delivery
     *     back; one that is open goes on to be refused by it;</li>
     * <li>with nothing pending when the breaker half-opened, the first delivery to find it
     *     half-open is let through as the trial call, until {@link #over}.</li>
     * </ul>
     *
     * @param breakerState the breaker's state as the route read it (CLOSED, OPEN, HALF_OPEN); read again here
     * @param backlogOf    the channel whose backlog this delivery belongs to, or null
     */
    public boolean holdsBack(String channel, String key, String breakerState, Object backlogOf) {
        CircuitBreaker breaker = watch(channel);
        if (channel.equals(backlogOf)) {
            return false;
        }
        String state = breaker == null ? breakerState : breaker.getState().name();
        Long listed = listedAt.get(channel);
        if (listed != null && System.nanoTime() - listed > TimeUnit.MILLISECONDS.toNanos(UNCLAIMED_MILLIS)) {
            dropUnclaimed(channel, listed); // listed, never taken up by its route: the polls deliver again
        }
        if (backlogs.containsKey(channel)) {
            if (!"CLOSED".equals(state)) {
                return true; // its trial call is not decided yet
            }
            Set<String> remaining = held.get(channel);
            return remaining != null && remaining.contains(DeliveryStore.jobOf(key));
        }
        switch (state) {
            case "OPEN":
                return halfOpensSoon(channel); // else the breaker refuses it itself
            case "HALF_OPEN":
                if (!halfOpenHandled.contains(channel)) {
                    return true; // this half-open is being handled: its backlog is listed now
                }
                String trial = trials.putIfAbsent(channel, key);
                return trial != null && !trial.equals(key);
            case "CLOSED":
                String current = trials.get(channel);
                return current != null && !current.equals(key);
            default:
                return false; // forced open and the like: the breaker refuses it itself
        }
    }

    private synchronized void dropUnclaimed(String channel, long listed) {
        if (Long.valueOf(listed).equals(listedAt.get(channel))) {
            done(channel);
        }
    }

    private boolean halfOpensSoon(String channel) {
        long[] opened = openedAt.get(channel);
        if (opened == null) {
            return false;
        }
        long openFor = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened[0]);
        return openFor >= opened[1] - HALF_OPEN_GUARD_MILLIS;
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
        listedAt.remove(channel);
    }

    /**
     * The channel's breaker, watched from now on: when it half-opens the channel's backlog is
     * listed at once, in the breaker's own thread, and then sent (a reloaded route has a new
     * breaker, watched from its first delivery on).
     */
    private CircuitBreaker watch(String channel) {
        ChannelBreakers breakers = context.getRegistry().lookupByNameAndType("channelBreakers", ChannelBreakers.class);
        ResilienceProcessor processor = breakers == null ? null : breakers.breaker(channel);
        CircuitBreaker breaker = processor == null ? null : processor.getCircuitBreaker();
        if (breaker == null || !watched.add(breaker)) {
            return breaker;
        }
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.State to = event.getStateTransition().getToState();
            if (to == CircuitBreaker.State.OPEN) {
                long waitMillis = breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
                openedAt.put(channel, new long[] {System.nanoTime(), waitMillis});
            } else {
                openedAt.remove(channel);
            }
            if (to != CircuitBreaker.State.HALF_OPEN) {
                halfOpenHandled.remove(channel);
                return;
            }
            boolean listed = false;
            try {
                listed = isRunAllowed() && list(channel);
            } finally {
                // whatever happened, the polls are not held back for this half-open beyond the backlog's own course
                halfOpenHandled.add(channel);
            }
            if (listed) {
                try {
                    producer().asyncSendBody(BACKLOG_ROUTE, channel);
                } catch (RuntimeException e) {
                    done(channel); // not sent: the polls deliver again, one of them the trial call
                }
            }
        });
        if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            halfOpenHandled.add(channel); // half-open before it was watched: a poll's delivery makes the trial call
        }
        return breaker;
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
