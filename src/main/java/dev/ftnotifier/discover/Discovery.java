package dev.ftnotifier.discover;

import dev.ftnotifier.config.JobIds;
import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.model.JobStatus;
import dev.ftnotifier.openai.InvalidJobException;
import dev.ftnotifier.openai.JobCheck;
import dev.ftnotifier.state.FileStateDocuments;
import dev.ftnotifier.state.FinishedJobs;
import dev.ftnotifier.state.StateDocuments;
import dev.ftnotifier.watch.WatchList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Decides, for {@code notifier.discover=true}, what to do with each job that
 * {@code GET /fine_tuning/jobs} lists. The {@code discover} route pages through the list and
 * hands every page to {@link #accept}, which returns the jobs to send through the status router.
 *
 * <ul>
 *   <li>A job the watch list fetches itself (configured, in the jobs file, handed over) is left
 *       to it: no job is fetched or notified twice.</li>
 *   <li>A terminal job already recorded as finished is skipped.</li>
 *   <li>Until the first discovery has completed, a terminal job is recorded as finished without
 *       a notification: it ended before the notifier first looked (no flood on the first start).
 *       A job this notifier saw unfinished is always notified when it ends.</li>
 *   <li>Any other job goes to the status router with the object the list carries, so following
 *       a job through the list costs no request of its own.</li>
 * </ul>
 *
 * <p>Paging stops at the first page that reaches jobs created before the <em>horizon</em>
 * less {@link #MARGIN_SECONDS}: the horizon is the {@code created_at} of the oldest unfinished job
 * followed through the list, or of the newest job when there is none. The list's order is not
 * documented, so that early stop is taken only while the list has shown itself newest first
 * (within the margin) and has shown a job at or after the cutoff; otherwise discovery reads the
 * list to its end, which costs requests but misses nothing. An unfinished job so far back that paging to it costs more requests
 * than fetching it on its own is handed to the watch list and fetched one by one until it ends;
 * so is a followed job that stops showing up in the list. Ids are deduplicated within a pass.
 */
public class Discovery {

    /**
     * Pages whose jobs go through the pipeline at once: the page read before and this one, so the
     * next page is read while a page is routed, and no more than two pages of jobs are held.
     */
    static final int PAGES_ROUTED_AT_ONCE = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

    /** How far before the horizon paging goes on, for jobs listed a little out of order. */
    static final long MARGIN_SECONDS = 3600;
    /** Pages per discovery at most (100,000 jobs), in case the list never says it has no more. */
    static final int MAX_PAGES = 1000;
    private static final int MAX_WARNED = 10_000;

    private final StateDocuments documents;
    private final WatchList watchList;
    private final FinishedJobs finished;
    private final Predicate<JobStatus> terminal;
    private final JobCheck check = new JobCheck();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private DiscoveryState state;
    /** The version of the document {@link #state} was read from or last saved as (0: none yet). */
    private long version;

    /**
     * @param documents where the state lives: {@code discovery.json} in the state folder, or with
     *                  {@code notifier.state.store=jdbc} PostgreSQL, shared by every instance (then
     *                  read again before each discovery: a new leader goes on from the old one's state)
     * @param enabled   {@code notifier.discover}: when true the saved state is read now (an unreadable
     *                  one stops start-up) and the jobs handed over earlier are watched again
     * @param terminal  whether a status ends a job: the status router's decision ({@code StatusMeanings::terminal})
     */
    public Discovery(StateDocuments documents, boolean enabled, WatchList watchList, FinishedJobs finished,
                     Predicate<JobStatus> terminal) {
        this.documents = documents;
        this.watchList = watchList;
        this.finished = finished;
        this.terminal = terminal;
        if (enabled) {
            state = new DiscoveryState();
            read();
            // compacted at start-up: jobs that finished since the state was written are dropped from it
            boolean dropped = state.handedOver.removeIf(finished::contains) | state.tracked.keySet().removeIf(finished::contains);
            if (dropped) {
                save();
            }
            watchList.watchDiscovered(List.copyOf(state.handedOver));
        }
    }

    /** With the state in {@code discovery.json} under {@code stateDir}. */
    public Discovery(Path stateDir, boolean enabled, WatchList watchList, FinishedJobs finished,
                     Predicate<JobStatus> terminal) {
        this(new FileStateDocuments(stateDir), enabled, watchList, finished, terminal);
    }

    /**
     * Takes the saved state when it is newer than the one held (at start-up, or another instance,
     * the leader before, wrote it). False when nothing newer was saved.
     */
    private boolean read() {
        Optional<StateDocuments.Document> saved = documents.readIfChanged(DiscoveryState.NAME, version);
        if (saved.isEmpty()) {
            return false;
        }
        state = DiscoveryState.parse(saved.get().json(), documents.where(DiscoveryState.NAME));
        version = saved.get().version();
        return true;
    }

    /** Saves the state; when another instance saved a newer one meanwhile, that one is read before the next discovery. */
    private void save() {
        long saved = documents.write(DiscoveryState.NAME, state.toJson(), version);
        if (saved < 0) {
            LOG.warn("discovery: another instance saved the discovery state meanwhile (two leaders for a moment);"
                    + " this instance's change is dropped and the next discovery starts from the other's");
            version = -1;
        } else {
            version = saved;
        }
    }

    /** Starts a discovery: paging from the newest job back to the horizon. */
    public synchronized DiscoveryPass begin() {
        if (state == null) {
            state = new DiscoveryState();
            read();
        } else if (documents.shared() && read()) {
            // another instance led meanwhile: the jobs it recorded as finished are taken in before this
            // pass asks (or jobs it recorded without a notification would be notified), and the jobs it
            // handed over are fetched from the next poll on
            finished.reload();
            watchList.watchDiscovered(List.copyOf(state.handedOver));
        }
        Long cutoff = state.horizon == null ? null : state.horizon - MARGIN_SECONDS;
        return new DiscoveryPass(cutoff, watchList.watched(), PAGES_ROUTED_AT_ONCE);
    }

    /**
     * Takes one page: records what it shows and returns the listed jobs to send through the
     * status router now. Sets whether another page is needed.
     */
    public synchronized List<JobPage.Item> accept(DiscoveryPass pass, JobPage page) {
        pass.pages++;
        List<JobPage.Item> toSend = new ArrayList<>();
        List<String> endedBefore = new ArrayList<>();
        boolean reachedCutoff = false;
        for (JobPage.Item item : page.data()) {
            Long createdAt = item.createdAt();
            if (createdAt != null) {
                if (pass.oldestSoFar != null && createdAt > pass.oldestSoFar + MARGIN_SECONDS) {
                    pass.newestFirst = false;
                }
                pass.oldestSoFar = pass.oldestSoFar == null ? createdAt : Math.min(pass.oldestSoFar, createdAt);
                if (pass.cutoff != null && createdAt < pass.cutoff) {
                    reachedCutoff = true;
                } else {
                    pass.reachedRecent = true;
                }
            }
            FineTuningJob job = usable(item);
            if (job == null || pass.seen.containsKey(job.id())) {
                continue;
            }
            String id = job.id();
            pass.seen.put(id, createdAt);
            pass.listed++;
            if (createdAt != null && (pass.newest == null || createdAt > pass.newest)) {
                pass.newest = createdAt;
            }
            if (pass.watched.contains(id)) {
                continue;
            }
            boolean ended = terminal.test(job.jobStatus());
            if (ended && finished.contains(id)) {
                continue;
            }
            if (ended && !state.firstDiscoveryCompleted && !state.tracked.containsKey(id)) {
                endedBefore.add(id);
                continue;
            }
            pass.pending.put(id, new DiscoveryPass.Pending(createdAt, pass.pages));
            toSend.add(item);
        }
        finished.addAll(endedBefore);
        pass.silentlyRecorded += endedBefore.size();

        if (!pass.newestFirst) {
            warnOnce("order", "the job list is not sorted newest first; discovery reads it to the end on every poll");
        }
        // stop early only where the order seen so far makes it safe; otherwise read on (cost, never a miss)
        boolean stopEarly = reachedCutoff && pass.reachedRecent && pass.newestFirst;
        String cursor = page.lastId();
        boolean another = page.hasMore() && !stopEarly;
        if (another && cursor == null) {
            warnOnce("no-cursor", "page {} of the job list ends with an item without an id, so the next page cannot"
                    + " be asked for; discovery sees only the jobs before it", pass.pages);
            another = false;
        } else if (another && !pass.cursors.add(cursor)) {
            warnOnce("cursor-loop", "the job list gave the same page twice (after={}); paging stops there",
                    JobIds.printable(cursor));
            another = false;
        } else if (another && pass.pages >= MAX_PAGES) {
            warnOnce("max-pages", "the job list still has more after {} pages; discovery looks no further", MAX_PAGES);
            another = false;
        }
        pass.next(cursor, another);
        return toSend;
    }

    /**
     * For route discover, before a page's jobs go through the pipeline while the next page is read:
     * waits until fewer than {@link #PAGES_ROUTED_AT_ONCE} pages are being routed. Not synchronized:
     * it waits for routes that may ask this object.
     */
    public void routing(DiscoveryPass pass) throws InterruptedException {
        pass.routing();
    }

    /** For route route-listed-jobs, once a page's jobs are through the pipeline (or failed there). */
    public void routed(DiscoveryPass pass) {
        pass.routed();
    }

    /**
     * For route discover, before it completes or abandons the pass: waits until every page's jobs are
     * through the pipeline, so {@link #complete} sees which of them finished, and the next poll's
     * discovery never overlaps this one's.
     */
    public void allRouted(DiscoveryPass pass) throws InterruptedException {
        pass.allRouted();
    }

    /**
     * Ends a discovery that read the list back to the horizon (or to its end): hands over the
     * unfinished jobs the list is too costly to follow, moves the horizon, and saves the state.
     */
    public synchronized void complete(DiscoveryPass pass) {
        if (pass.abandoned) {
            return;
        }
        Map<String, DiscoveryPass.Pending> unfinished = new LinkedHashMap<>();
        pass.pending.forEach((id, p) -> {
            if (!finished.contains(id)) {
                unfinished.put(id, p);
            }
        });
        List<Integer> pages = unfinished.values().stream()
                .map(p -> p.createdAt() == null ? Integer.MAX_VALUE : p.page()).toList();
        int window = windowPages(pages, pass.pages);

        Map<String, Long> followed = new LinkedHashMap<>();
        Set<String> handOver = new LinkedHashSet<>();
        unfinished.forEach((id, p) -> {
            if (p.createdAt() != null && p.page() <= window) {
                followed.put(id, p.createdAt());
            } else {
                handOver.add(id);
            }
        });
        // followed before, not listed now (nor finished, nor watched anyway): fetch it on its own
        state.tracked.keySet().stream()
                .filter(id -> !pass.seen.containsKey(id) && !finished.contains(id) && !pass.watched.contains(id))
                .forEach(handOver::add);

        if (!handOver.isEmpty()) {
            watchList.watchDiscovered(handOver);
            state.handedOver.addAll(handOver);
            LOG.info("discovery: {} unfinished job(s) further back in the list than it pays to page to; fetched one by one"
                    + " until they finish: {}", handOver.size(), summary(handOver));
        }
        state.handedOver.removeIf(finished::contains);
        state.tracked.clear();
        state.tracked.putAll(followed);
        if (pass.newest != null) {
            long horizon = pass.newest;
            for (long createdAt : followed.values()) {
                horizon = Math.min(horizon, createdAt);
            }
            state.horizon = horizon;
        }
        boolean first = !state.firstDiscoveryCompleted;
        state.firstDiscoveryCompleted = true;
        save();
        if (first) {
            LOG.info("discovery: first look at the job list: {} job(s) on {} page(s); {} had already finished and are"
                            + " recorded without a notification; {} unfinished are watched",
                    pass.listed, pass.pages, pass.silentlyRecorded, followed.size() + handOver.size());
        } else {
            LOG.debug("discovery: {} job(s) on {} page(s), {} followed through the list", pass.listed, pass.pages,
                    followed.size());
        }
    }

    /**
     * Ends a discovery the API did not let finish (an error, an unusable page): the horizon and
     * the first-discovery mark stay as they were, so the next poll tries again from the top. The
     * unfinished jobs seen are remembered, so that they are notified when they end, even if the
     * first discovery has not completed by then.
     */
    public synchronized void abandon(DiscoveryPass pass) {
        pass.abandoned = true;
        pass.stop();
        boolean changed = false;
        for (Map.Entry<String, DiscoveryPass.Pending> e : pass.pending.entrySet()) {
            Long createdAt = e.getValue().createdAt();
            if (createdAt != null && !finished.contains(e.getKey()) && !state.tracked.containsKey(e.getKey())) {
                state.tracked.put(e.getKey(), createdAt);
                changed = true;
            }
        }
        if (changed) {
            save();
        }
    }

    /**
     * How many pages back to follow unfinished jobs through the list: the depth that costs the
     * fewest requests per poll, counting one per page and one per unfinished job beyond it
     * (fetched on its own). On a tie, the list wins.
     *
     * @param pendingPages the page each unfinished job was on ({@link Integer#MAX_VALUE}: never follow)
     */
    static int windowPages(Collection<Integer> pendingPages, int pageCount) {
        int best = 1;
        long bestCost = Long.MAX_VALUE;
        for (int depth = 1; depth <= Math.max(1, pageCount); depth++) {
            int d = depth;
            long cost = depth + pendingPages.stream().filter(p -> p > d).count();
            if (cost <= bestCost) {
                best = depth;
                bestCost = cost;
            }
        }
        return best;
    }

    /** The listed job, or null (with one warning per job) when its id is unsafe or it is not a usable job. */
    private FineTuningJob usable(JobPage.Item item) {
        String id = item.id();
        if (!JobIds.isSafe(id)) {
            String shown = id == null ? "(none)" : JobIds.printable(id);
            warnOnce("unsafe:" + shown, "the job list names a job id '{}' that could change a request path or a file"
                    + " name (only letters, digits, '_', '-', '.', ':'); that job is skipped", shown);
            return null;
        }
        if (item.job() == null) {
            warnOnce("unusable:" + id, "listed job {} is not a readable fine_tuning.job; skipped", id);
            return null;
        }
        try {
            return check.verify(item.job(), id);
        } catch (InvalidJobException e) {
            warnOnce("unusable:" + id, "listed job {}: {}; skipped", id, e.getMessage());
            return null;
        }
    }

    private void warnOnce(String key, String message, Object... args) {
        if (warned.size() < MAX_WARNED && warned.add(key)) {
            LOG.warn("discovery: " + message, args);
        }
    }

    private static String summary(Collection<String> ids) {
        List<String> shown = ids.stream().limit(10).toList();
        return String.join(", ", shown) + (ids.size() > shown.size() ? " and " + (ids.size() - shown.size()) + " more" : "");
    }
}
