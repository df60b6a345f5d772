package dev.ftnotifier.state;

import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link DeliveryStore} as a journal file under the state folder.
 *
 * <p>Write-ahead: {@code add} records "sending" on disk before the channel is called and
 * {@code confirm} records "sent" after it succeeded; {@code remove} (a failed delivery)
 * records "failed", and the delivery waits out a {@link Backoff} before a later poll tries
 * it again. A delivery found "sending" at start-up was in flight when the process died: it
 * is sent again (at-least-once for that one delivery), and logged as such.
 * Keys are {@code job|status|channel}.
 */
public class DeliveryLedger extends ServiceSupport implements DeliveryStore {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLedger.class);
    private static final String SENDING = "sending ";
    private static final String SENT = "sent ";
    private static final String FAILED = "failed ";

    private final Journal journal;
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Pending> failed = new ConcurrentHashMap<>();
    private final Backoff backoff;
    private final Clock clock;

    public DeliveryLedger(Path stateDir, Backoff backoff, Clock clock) {
        this.journal = new Journal(stateDir.resolve("deliveries.log"));
        this.backoff = backoff;
        this.clock = clock;
        load();
    }

    public static String key(String jobId, String status, String channel) {
        return DeliveryStore.key(jobId, status, channel);
    }

    private void load() {
        Set<String> interrupted = new LinkedHashSet<>();
        for (String line : journal.readAll()) {
            if (line.startsWith(SENT)) {
                String key = line.substring(SENT.length());
                sent.add(key);
                interrupted.remove(key);
            } else if (line.startsWith(SENDING)) {
                interrupted.add(line.substring(SENDING.length()));
            } else if (line.startsWith(FAILED)) {
                interrupted.remove(line.substring(FAILED.length()));
            }
        }
        for (String key : interrupted) {
            LOG.warn("delivery {} was in flight when the notifier stopped; it will be sent again (at most one duplicate)", key);
        }
        // keep the journal as long as the set of what was sent, not the history of every attempt
        List<String> compacted = new ArrayList<>();
        sent.stream().sorted().forEach(k -> compacted.add(SENT + k));
        journal.rewrite(compacted);
    }

    /** True when this delivery has been made (persisted "sent"). */
    @Override
    public boolean isDelivered(String key) {
        return sent.contains(key);
    }

    /** Every delivery recorded as sent, sorted. */
    public List<String> delivered() {
        List<String> keys = new ArrayList<>(sent);
        Collections.sort(keys);
        return keys;
    }

    @Override
    public int deliveredCount() {
        return sent.size();
    }

    @Override
    public List<Pending> pending() {
        return failed.values().stream().sorted(Comparator.comparing(Pending::nextAttempt)).toList();
    }

    /** False when the delivery is done, in flight, or still waiting out its backoff after a failure. */
    @Override
    public boolean add(String key) {
        Pending waiting = failed.get(key);
        if (sent.contains(key) || (waiting != null && clock.instant().isBefore(waiting.nextAttempt()))) {
            return false;
        }
        if (!inFlight.add(key)) {
            return false;
        }
        journal.append(SENDING + key);
        return true;
    }

    @Override
    public boolean contains(String key) {
        return sent.contains(key) || inFlight.contains(key);
    }

    @Override
    public boolean remove(String key) {
        boolean was = inFlight.remove(key);
        if (was) {
            journal.append(FAILED + key);
            int attempts = failed.containsKey(key) ? failed.get(key).attempts() + 1 : 1;
            Instant next = clock.instant().plus(backoff.after(attempts));
            failed.put(key, new Pending(key, attempts, next));
        }
        return was;
    }

    @Override
    public boolean confirm(String key) {
        journal.append(SENT + key);
        sent.add(key);
        inFlight.remove(key);
        failed.remove(key);
        return true;
    }

    /**
     * Rewrites the journal as what it says now: one {@code sent} line per delivery made, the
     * {@code sending} line of each delivery in flight (so a crash right after still says so), and no
     * line at all for the deliveries of {@code forgottenJobs} (finished jobs past retention, which
     * nothing fetches any more). A failed delivery keeps its backoff in memory and is tried again.
     * Returns how many lines fewer the journal has.
     */
    public int compact(Set<String> forgottenJobs) {
        return journal.compact(lines -> {
            java.util.Map<String, String> last = new java.util.TreeMap<>();
            for (String line : lines) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    String state = line.substring(0, space + 1);
                    String key = line.substring(space + 1);
                    // a key once sent stays sent
                    if (!SENT.equals(last.get(key))) {
                        last.put(key, state);
                    }
                }
            }
            List<String> kept = new ArrayList<>();
            last.forEach((key, state) -> {
                int bar = key.indexOf('|');
                boolean forgotten = bar > 0 && forgottenJobs.contains(key.substring(0, bar));
                if (forgotten && SENT.equals(state)) {
                    sent.remove(key);
                } else if (SENT.equals(state) || (SENDING.equals(state) && inFlight.contains(key))) {
                    kept.add(state + key);
                }
            });
            return kept;
        });
    }

    @Override
    public void clear() {
        sent.clear();
        inFlight.clear();
        failed.clear();
        journal.rewrite(List.of());
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        return add(key);
    }

    @Override
    public boolean contains(Exchange exchange, String key) {
        return contains(key);
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        return remove(key);
    }

    @Override
    public boolean confirm(Exchange exchange, String key) {
        return confirm(key);
    }

    @Override
    protected void doStop() {
        journal.close();
    }
}
