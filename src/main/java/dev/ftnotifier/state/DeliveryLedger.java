package dev.ftnotifier.state;

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
 * <p>Write-ahead: {@code add} records "sending" in the file before the channel is called and
 * {@code confirm} records "sent" on disk after it succeeded; {@code remove} (a failed delivery)
 * records "retry" with how many attempts failed and when the next is due, and the delivery
 * waits out a {@link Backoff} before a later poll tries it again ({@link #isDue}); a restart
 * keeps both. {@code drop} (a pending delivery whose job left that status) records "dropped".
 * An attempt the channel's open circuit breaker refused ({@link #notTried}) is no failed
 * attempt: it neither counts nor grows the backoff. When a channel answers again after
 * its breaker opened ({@link #channelRecovered}), every delivery pending on it is due at
 * once, its backoff reset. A delivery found "sending" at start-up was in flight when the
 * process died: it is sent again (at-least-once for that one delivery), and logged as such.
 * Keys are {@code job|status|channel}. Each of add, remove and confirm is one step under one
 * lock: a key checked and then taken by two callers at once is taken by one. The lock covers
 * memory and the journal's write only; each caller waits for the disk after releasing it, and
 * callers waiting at once share one flush (group commit, {@link Journal#sync}).
 */
public class DeliveryLedger extends ServiceSupport implements DeliveryStore {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLedger.class);
    private static final String SENDING = "sending ";
    private static final String SENT = "sent ";
    /** Written by older versions: one failed attempt, due again at once. */
    private static final String FAILED = "failed ";
    /** {@code retry <attempts> <next attempt, epoch ms> <key>}. */
    private static final String RETRY = "retry ";
    /** A pending delivery given up: its job left that status ({@link #drop}). */
    private static final String DROPPED = "dropped ";

    final Journal journal;
    private final Object lock = new Object();
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Map<String, Pending> failed = new ConcurrentHashMap<>();
    private final Backoff backoff;
    private final Clock clock;
    private volatile DeliveryListener listener = DeliveryListener.NONE;
    private volatile Set<String> rewrittenInPlace = Set.of();

    public DeliveryLedger(Path stateDir, Backoff backoff, Clock clock) {
        this.journal = new Journal(stateDir.resolve("deliveries.log"));
        this.backoff = backoff;
        this.clock = clock;
        load();
    }

    @Override
    public void listen(DeliveryListener listener) {
        this.listener = listener == null ? DeliveryListener.NONE : listener;
    }

    @Override
    public int pendingCount() {
        return failed.size();
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
                failed.remove(key);
            } else if (line.startsWith(SENDING)) {
                interrupted.add(line.substring(SENDING.length()));
            } else if (line.startsWith(RETRY)) {
                Pending pending = parseRetry(line);
                if (pending != null) {
                    interrupted.remove(pending.delivery());
                    failed.put(pending.delivery(), pending);
                }
            } else if (line.startsWith(DROPPED)) {
                failed.remove(line.substring(DROPPED.length()));
            } else if (line.startsWith(FAILED)) {
                String key = line.substring(FAILED.length());
                interrupted.remove(key);
                Pending before = failed.get(key);
                failed.put(key, new Pending(key, before == null ? 1 : before.attempts() + 1, clock.instant()));
            }
        }
        for (String key : interrupted) {
            LOG.warn("delivery {} was in flight when the notifier stopped; it will be sent again (at most one duplicate)", key);
        }
        // keep the journal as long as what was sent and what is pending, not the history of every attempt
        List<String> compacted = new ArrayList<>();
        sent.stream().sorted().forEach(k -> compacted.add(SENT + k));
        failed.values().stream().sorted(Comparator.comparing(Pending::delivery)).forEach(p -> compacted.add(retryLine(p)));
        journal.rewrite(compacted);
    }

    private static String retryLine(Pending pending) {
        return RETRY + pending.attempts() + " " + pending.nextAttempt().toEpochMilli() + " " + pending.delivery();
    }

    /** Null for a line torn by a crash. */
    private static Pending parseRetry(String line) {
        String[] parts = line.substring(RETRY.length()).split(" ", 3);
        if (parts.length < 3 || parts[2].isEmpty()) {
            return null;
        }
        try {
            return new Pending(parts[2], Integer.parseInt(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1])));
        } catch (NumberFormatException torn) {
            return null;
        }
    }

    /** True when this delivery has been made (persisted "sent"). */
    @Override
    public boolean isDelivered(String key) {
        return sent.contains(key);
    }

    @Override
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

    /**
     * Whether this delivery may be tried now as far as its own failures go: it never failed, or
     * its backoff is over. (The channel route also tries it when the channel's breaker is not
     * closed: the breaker paces a channel that is down.)
     */
    @Override
    public boolean isDue(String key) {
        Pending waiting = failed.get(key);
        return waiting == null || !clock.instant().isBefore(waiting.nextAttempt());
    }

    /**
     * False when the delivery is done or in flight. Whether it is due is the route's check ({@link #isDue}).
     * The "sending" line is in the file (a {@code kill -9} keeps it) but not waited for on disk: if a
     * power cut takes it, the delivery is pending at the restart and sent again, as it would be
     * with the line (found in flight); only the log line saying so is missing.
     */
    @Override
    public boolean add(String key) {
        synchronized (lock) {
            if (sent.contains(key) || !inFlight.add(key)) {
                return false;
            }
            try {
                journal.write(List.of(SENDING + key));
            } catch (RuntimeException e) {
                inFlight.remove(key);
                throw e;
            }
        }
        return true;
    }

    @Override
    public boolean contains(String key) {
        return sent.contains(key) || inFlight.contains(key);
    }

    /**
     * The channel's open breaker refused this delivery before anything was sent: when the
     * attempt ends ({@link #remove}), it stays pending with the attempts and backoff it had
     * (due now if it had none), so the breaker, not a growing backoff, decides when it is tried.
     */
    @Override
    public void notTried(String key) {
        if (inFlight.contains(key)) {
            refused.add(key);
        }
    }

    @Override
    public boolean remove(String key) {
        long ticket;
        synchronized (lock) {
            boolean notTried = refused.remove(key);
            if (!inFlight.contains(key)) {
                return false;
            }
            Pending before = failed.get(key);
            Pending pending;
            if (notTried) {
                pending = before != null ? before : new Pending(key, 0, clock.instant());
            } else {
                int attempts = before == null ? 1 : before.attempts() + 1;
                pending = new Pending(key, attempts, clock.instant().plus(backoff.after(attempts)));
            }
            ticket = journal.write(List.of(retryLine(pending)));
            failed.put(key, pending);
            inFlight.remove(key);
            if (!notTried) {
                listener.failed(key);
            }
        }
        journal.sync(ticket);
        return true;
    }

    @Override
    public boolean drop(String key) {
        long ticket;
        synchronized (lock) {
            if (inFlight.contains(key) || failed.remove(key) == null) {
                return false;
            }
            ticket = journal.write(List.of(DROPPED + key));
        }
        journal.sync(ticket);
        return true;
    }

    /**
     * The channel answered again after its breaker had opened: every delivery pending on it is
     * due now, with its backoff reset (a later failure starts again from the initial backoff).
     * One that was due already keeps its due time, so {@link #pending()} keeps the order in which
     * they became due (the order a channel's backlog goes out in), across a restart too.
     *
     * @return how many deliveries that made due
     */
    @Override
    public int channelRecovered(String channel) {
        String suffix = "|" + channel;
        List<String> lines = new ArrayList<>();
        long ticket;
        synchronized (lock) {
            Instant now = clock.instant();
            for (Pending p : List.copyOf(failed.values())) {
                if (p.delivery().endsWith(suffix)) {
                    // one due already keeps when it became due, so the backlog's order survives a restart
                    Pending due = new Pending(p.delivery(), 0, p.nextAttempt().isBefore(now) ? p.nextAttempt() : now);
                    lines.add(retryLine(due));
                    failed.put(p.delivery(), due);
                }
            }
            ticket = journal.write(lines);
        }
        journal.sync(ticket);
        return lines.size();
    }

    @Override
    public void rewrittenInPlace(Set<String> channels) {
        rewrittenInPlace = Set.copyOf(channels);
    }

    /**
     * The "sent" line is on disk before this returns (a power cut cannot make the delivery go out
     * twice), except on a channel that rewrites in place ({@link #rewrittenInPlace}): there it is in
     * the file (a {@code kill -9} keeps it), and a power cut that took it costs the same document written again.
     */
    @Override
    public boolean confirm(String key) {
        long ticket;
        synchronized (lock) {
            ticket = journal.write(List.of(SENT + key));
            sent.add(key);
            inFlight.remove(key);
            refused.remove(key);
            failed.remove(key);
            listener.delivered(key);
        }
        if (!rewrittenInPlace.contains(DeliveryStore.channelOf(key))) {
            journal.sync(ticket);
        }
        return true;
    }

    /**
     * Rewrites the journal as what it says now: one {@code sent} line per delivery made, the
     * {@code sending} line of each delivery in flight (so a crash right after still says so),
     * the {@code retry} line of each failed one, and no line at all for the deliveries of
     * {@code forgottenJobs} (finished jobs past retention, which nothing fetches any more).
     * Under the ledger's lock, so memory and journal say the same. Returns how many lines
     * fewer the journal has.
     */
    @Override
    public int compact(Set<String> forgottenJobs) {
        synchronized (lock) {
            return journal.compact(lines -> {
                List<String> kept = new ArrayList<>();
                for (String key : new java.util.TreeSet<>(sent)) {
                    if (forgottenJobs.contains(DeliveryStore.jobOf(key))) {
                        sent.remove(key);
                    } else {
                        kept.add(SENT + key);
                    }
                }
                new java.util.TreeSet<>(inFlight).forEach(key -> kept.add(SENDING + key));
                failed.values().stream().sorted(Comparator.comparing(Pending::delivery)).forEach(p -> kept.add(retryLine(p)));
                return kept;
            });
        }
    }

    @Override
    public void clear() {
        synchronized (lock) {
            sent.clear();
            inFlight.clear();
            refused.clear();
            failed.clear();
            journal.rewrite(List.of());
        }
    }





    @Override
    protected void doStop() {
        journal.close();
    }
}
