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
 * <p>The backlog is made ready the moment the breaker half-opens (resilience4j moves it there
 * by itself once {@code notifier.channel.open-seconds} are over, and tells this class in the
 * same thread): from then on no poll's delivery on that channel reaches the breaker until the
 * trial call is decided, so the trial call is the backlog's first delivery. It also starts when
 * a poll's delivery was the trial call and succeeded (then without that delivery): that happens
 * only when the channel had nothing pending when its breaker half-opened.
 *
 * <p>A Camel service ({@link RecoveryConfiguration} adds it): the producer that starts the
 * route is stopped with the context.
 */
public class ChannelBacklogs extends ServiceSupport {

    /** How long the backlog waits for a job a poll is fetching at that moment. */
    static final long CLAIM_WAIT_MILLIS = 5_000;
    /** How long a backlog's delivery waits for its turn before it goes anyway (a safety net, not a pace). */
    static final long START_WAIT_MILLIS = TimeUnit.MINUTES.toMillis(10);
    /** A backlog made ready that its route did not take up within this time is dropped (the route was not running). */
    static final long UNCLAIMED_MILLIS = 10_000;
    /**
     * A breaker this close to half-opening holds back a poll's delivery instead of letting the
     * breaker refuse it: between reading "open" and the breaker's own check it may have
     * half-opened, and that delivery would take the trial call from the backlog.
     */
    static final long HALF_OPEN_GUARD_MILLIS = 100;
    private static final String BACKLOG_ROUTE = "direct:channel-backlog";

    /** One channel's backlog: its jobs in due order, and how far it got. */
    private static final class Backlog {
        final List<String> jobs;
        /** The jobs it has not yet passed: their deliveries on the channel are the backlog's. */
        final Set<String> remaining = ConcurrentHashMap.newKeySet();
        /** The jobs whose send on the channel has started (the send route said so, past the channel's pace). */
        final Set<String> started = ConcurrentHashMap.newKeySet();
        final long readyAt = System.nanoTime();
        volatile boolean running;

        Backlog(List<String> jobs) {
            this.jobs = List.copyOf(jobs);
            remaining.addAll(jobs);
        }
    }

    private final CamelContext context;
    /** Per channel, its backlog from the moment it is made ready until it is done. */
    private final Map<String, Backlog> backlogs = new ConcurrentHashMap<>();
    /** Per channel, a poll's delivery let through as its breaker's trial call (only when it had no backlog). */
    private final Map<String, String> trials = new ConcurrentHashMap<>();
    /** Per channel, a poll's delivery whose trial call succeeded: delivered, so not part of the backlog. */
    private final Map<String, String> succeededTrials = new ConcurrentHashMap<>();
    /** The channels whose breaker's latest half-open this class has handled (a backlog made ready, or nothing pending). */
    private final Set<String> halfOpenHandled = ConcurrentHashMap.newKeySet();
    /** Per channel, when its breaker last opened (System.nanoTime) and for how long (ms). */
    private final Map<String, long[]> openedAt = new ConcurrentHashMap<>();
    private final Set<CircuitBreaker> watched = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final Object progress = new Object();
    private volatile ProducerTemplate producer;

    public ChannelBacklogs(CamelContext context) {
        this.context = context;
    }

    private DeliveryStore store() {
        return context.getRegistry().lookupByNameAndType("deliveryLedger", DeliveryStore.class);
    }

    private WatchList watchList() {
        return context.getRegistry().lookupByNameAndType("watchList", WatchList.class);
    }

    private static String jobOf(String key) {
        return key.substring(0, key.indexOf('|'));
    }

    /**
     * Makes the channel's backlog ready, unless one is ready or under way: lists the jobs of the
     * deliveries pending on it in the order they became due, and takes them from the polls (the
     * backlog fetches each in its turn). Null when nothing is pending.
     */
    private synchronized Backlog ready(String channel) {
        Backlog existing = backlogs.get(channel);
        if (existing != null) {
            return existing;
        }
        String delivered = succeededTrials.remove(channel);
        DeliveryStore store = store();
        String suffix = "|" + channel;
        Set<String> jobs = new LinkedHashSet<>();
        for (DeliveryStore.Pending pending : store.pending()) { // by next attempt
            String key = pending.delivery();
            if (key.endsWith(suffix) && !key.equals(delivered) && !store.isDelivered(key)) {
                jobs.add(jobOf(key));
            }
        }
        if (jobs.isEmpty()) {
            return null;
        }
        Backlog backlog = new Backlog(new ArrayList<>(jobs));
        // the polls leave these jobs to the backlog, which fetches each in its turn (a poll's
        // fetch under way is waited for); none is held before its turn, so two channels' backlogs
        // sharing jobs never wait for each other
        jobs.forEach(watchList()::reserve);
        backlogs.put(channel, backlog);
        return backlog;
    }

    /**
     * Starts sending the channel's backlog: the one made ready when its breaker half-opened, or
     * (after a poll's delivery was the trial call and succeeded) one made now. False when a
     * backlog of the channel is being sent already, or nothing is pending. Until the backlog is
     * past a job ({@link #sent}), a poll that fetches it anyway delivers it everywhere but on this
     * channel.
     */
    public synchronized boolean start(String channel) {
        Backlog backlog = ready(channel);
        if (backlog == null || backlog.running) {
            return false;
        }
        backlog.running = true;
        return true;
    }

    /** The jobs of the channel's backlog under way, in the order their deliveries became due. */
    public List<String> jobs(String channel) {
        Backlog backlog = backlogs.get(channel);
        return backlog == null ? List.of() : backlog.jobs;
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
     * Whether the backlog of the channel may fetch the job now, waiting a while for a poll's fetch
     * of it under way to end (another channel's backlog may fetch it at the same time: each
     * delivery is still sent once). False when that does not end in time (then a later poll sends
     * it) or the job is finished. The caller {@link #release}s it, whatever the answer, and tells {@link #sent}.
     */
    public boolean claim(String channel, String jobId) throws InterruptedException {
        watchList().reserve(jobId);
        return watchList().awaitPollsOver(jobId, CLAIM_WAIT_MILLIS);
    }

    /** The backlog's fetch of the job is over: once no backlog wants it, the polls fetch it again. */
    public void release(String channel, String jobId) {
        watchList().unreserve(jobId);
    }

    /**
     * The send of this delivery on the channel has started (past the channel's pace; Slack's: is
     * in): when it is the backlog's, the backlog's next delivery may go. A send route that does
     * not say so has its backlog sent one delivery after the other, each once the one before is
     * over.
     */
    public void started(String channel, String key, Object backlogOf) {
        if (!channel.equals(backlogOf)) {
            return;
        }
        Backlog backlog = backlogs.get(channel);
        if (backlog != null) {
            backlog.started.add(jobOf(key));
            wake();
        }
    }

    /** The backlog is past this job (delivered, failed or skipped): a poll may deliver it on the channel again. */
    public void sent(String channel, String jobId) {
        Backlog backlog = backlogs.get(channel);
        if (backlog != null) {
            backlog.remaining.remove(jobId);
            wake();
        }
    }

    /**
     * Before the backlog fetches this job: waits until the job two places before it has started
     * its send (or the backlog is past it, or the breaker opened again), so that while one send
     * goes out the next job is fetched, and a channel's backlog never has more than two jobs
     * waiting for their turn (the threads are shared by all channels).
     */
    public void awaitRoom(String channel, String jobId) throws InterruptedException {
        await(channel, backlog -> {
            int i = backlog.jobs.indexOf(jobId);
            return i < 2 || isStartedOrPassed(backlog, backlog.jobs.get(i - 2));
        });
    }

    /** After the last job was handed out: waits until every send of the backlog has started (or it is past them). */
    public void awaitAll(String channel) throws InterruptedException {
        await(channel, backlog -> backlog.jobs.stream().allMatch(job -> isStartedOrPassed(backlog, job)));
    }

    /**
     * The backlog's delivery of this job waits for its turn: until every job before it in the
     * backlog has started its send or been passed. So sends start in the order they became due,
     * also when several jobs are fetched at once.
     */
    private void awaitTurn(String channel, String jobId) throws InterruptedException {
        await(channel, backlog -> {
            for (String job : backlog.jobs) {
                if (job.equals(jobId)) {
                    return true;
                }
                if (!isStartedOrPassed(backlog, job)) {
                    return false;
                }
            }
            return true;
        });
    }

    private static boolean isStartedOrPassed(Backlog backlog, String jobId) {
        return backlog.started.contains(jobId) || !backlog.remaining.contains(jobId);
    }

    /** Waits until the condition holds for the channel's backlog, or there is none, or its breaker opened again, or the context stops. */
    private void await(String channel, java.util.function.Predicate<Backlog> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_WAIT_MILLIS);
        synchronized (progress) {
            while (true) {
                Backlog backlog = backlogs.get(channel);
                if (backlog == null || condition.test(backlog) || "OPEN".equals(state(channel)) || isStoppingOrStopped()) {
                    return;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                progress.wait(Math.min(left, 50));
            }
        }
    }

    private void wake() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /**
     * Whether this delivery must wait while the channel comes back: not tried, still pending (the
     * backlog, or a later poll, sends it). Called just before the breaker.
     * <ul>
     * <li>the backlog's own deliveries go, each in its turn ({@link #awaitTurn});</li>
     * <li>from the moment the breaker half-opens until its trial call is decided, a poll's
     *     delivery on the channel waits: the trial call is the backlog's first delivery;</li>
     * <li>then, while the backlog is being sent, a poll's delivery of a backlog job the backlog
     *     has not passed yet waits; deliveries that were not pending go as usual;</li>
     * <li>a breaker about to half-open ({@link #HALF_OPEN_GUARD_MILLIS}) holds a poll's
     *     delivery back; one that is open goes on to be refused by it;</li>
     * <li>with nothing pending when the breaker half-opened, the first delivery to find it
     *     half-open is let through as the trial call, until {@link #over}.</li>
     * </ul>
     *
     * @param breakerState the breaker's state as the route read it (CLOSED, OPEN, HALF_OPEN); read again here
     * @param backlogOf    the channel whose backlog this delivery belongs to, or null
     */
    public boolean holdsBack(String channel, String key, String breakerState, Object backlogOf) throws InterruptedException {
        CircuitBreaker breaker = watch(channel);
        if (channel.equals(backlogOf)) {
            awaitTurn(channel, jobOf(key));
            return false;
        }
        String state = breaker == null ? breakerState : breaker.getState().name();
        Backlog backlog = backlogs.get(channel);
        if (backlog != null && !backlog.running && System.nanoTime() - backlog.readyAt > TimeUnit.MILLISECONDS.toNanos(UNCLAIMED_MILLIS)) {
            done(channel); // made ready, never taken up by its route: the polls deliver again
            backlog = null;
        }
        if (backlog != null) {
            return !"CLOSED".equals(state) || backlog.remaining.contains(jobOf(key));
        }
        switch (state) {
            case "OPEN":
                return halfOpensSoon(channel);
            case "HALF_OPEN":
                if (!halfOpenHandled.contains(channel)) {
                    return true; // this half-open is being handled: its backlog is made ready now
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
        Backlog backlog = backlogs.remove(channel);
        if (backlog != null) {
            backlog.jobs.forEach(watchList()::unreserve);
        }
        wake();
    }

    private String state(String channel) {
        ChannelBreakers breakers = context.getRegistry().lookupByNameAndType("channelBreakers", ChannelBreakers.class);
        return breakers == null ? "CLOSED" : breakers.state(channel);
    }

    /**
     * The channel's breaker, watched from now on: when it half-opens the channel's backlog is made
     * ready at once, in the breaker's own thread, and then sent (a reloaded route has a new breaker,
     * watched from its first delivery on).
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
                wake();
                return;
            }
            boolean ready = !isStoppingOrStopped() && ready(channel) != null;
            halfOpenHandled.add(channel);
            if (ready) {
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

    @Override
    protected void doStop() {
        ProducerTemplate template = producer;
        producer = null;
        ServiceHelper.stopService(template);
        wake();
    }
}
