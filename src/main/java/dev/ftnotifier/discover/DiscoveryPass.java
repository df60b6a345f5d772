package dev.ftnotifier.discover;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * One discovery, from the first list page to the last: the paging cursor, whether to ask for
 * another page, what was seen so far, and how many pages' jobs are still going through the
 * pipeline. The {@code discover} route keeps it in a variable and reads {@link #more()} and
 * {@link #after()}; {@link Discovery} fills it page by page.
 */
public final class DiscoveryPass {

    /** An unfinished job sent on to the pipeline: where it was in the list, and when it was created. */
    record Pending(Long createdAt, int page) {
    }

    final Long cutoff;
    final Set<String> watched;
    final Map<String, Long> seen = new LinkedHashMap<>();
    final Map<String, Pending> pending = new LinkedHashMap<>();
    final Set<String> cursors = new HashSet<>();
    Long newest;
    /** The oldest {@code created_at} listed so far, in the order the list gave them. */
    Long oldestSoFar;
    /** False once a job is listed after an older one by more than the margin: then no early stop. */
    boolean newestFirst = true;
    /** True once a job created at or after the cutoff is listed. */
    boolean reachedRecent;
    int pages;
    int listed;
    int silentlyRecorded;
    boolean abandoned;
    private String after;
    private boolean more = true;
    /** A permit per page whose listed jobs may go through the pipeline at once. */
    private final Semaphore routing;
    private final int pagesRoutedAtOnce;

    DiscoveryPass(Long cutoff, Set<String> watched, int pagesRoutedAtOnce) {
        this.cutoff = cutoff;
        this.watched = Set.copyOf(watched);
        this.pagesRoutedAtOnce = pagesRoutedAtOnce;
        this.routing = new Semaphore(pagesRoutedAtOnce);
    }

    /** True while there is another page to ask for. */
    public boolean more() {
        return more;
    }

    /** The cursor for the next page: the last id of the page before, null for the first page. */
    public String after() {
        return after;
    }

    /** How many pages were asked for so far. */
    public int pages() {
        return pages;
    }

    /** Waits until fewer pages than allowed are being routed, then counts one more. */
    void routing() throws InterruptedException {
        routing.acquire();
    }

    /** One page's jobs are through the pipeline (or failed there). */
    void routed() {
        routing.release();
    }

    /** Waits until every page's jobs are through the pipeline. */
    void allRouted() throws InterruptedException {
        routing.acquire(pagesRoutedAtOnce);
        routing.release(pagesRoutedAtOnce);
    }

    void next(String cursor, boolean another) {
        this.after = cursor;
        this.more = another;
    }

    void stop() {
        this.more = false;
    }
}
