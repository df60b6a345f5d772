package dev.ftnotifier.simulator;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When each request arrived ({@link System#nanoTime()}) and what it asked for, in two primitive
 * arrays: 12 bytes a request, so a benchmark of 100,000 requests costs about a megabyte, where
 * {@link RecordedRequest}s (headers and all) would cost a hundred. The target is a small number
 * per distinct path (a list request's {@code after} cursor counts as part of it), so a reader can
 * tell a second request for the same thing from a first one.
 */
public final class ArrivalLog {

    private final ConcurrentHashMap<String, Integer> targets = new ConcurrentHashMap<>();
    private final AtomicInteger nextKey = new AtomicInteger();
    private long[] nanos = new long[1024];
    private int[] keys = new int[1024];
    private int size;

    /** Records one arrival now; {@code target} is the raw path, plus the cursor for a list page. */
    void record(String target) {
        long now = System.nanoTime();
        Integer key = targets.get(target);
        if (key == null) {
            key = targets.computeIfAbsent(target, t -> nextKey.getAndIncrement());
        }
        synchronized (this) {
            if (size == nanos.length) {
                nanos = Arrays.copyOf(nanos, size * 2);
                keys = Arrays.copyOf(keys, size * 2);
            }
            nanos[size] = now;
            keys[size] = key;
            size++;
        }
    }

    /** How many requests arrived so far. */
    public synchronized int size() {
        return size;
    }

    /** The arrivals from index {@code from} (inclusive) on, oldest first. */
    public synchronized Arrivals since(int from) {
        int start = Math.max(0, Math.min(from, size));
        return new Arrivals(start, Arrays.copyOfRange(nanos, start, size), Arrays.copyOfRange(keys, start, size));
    }

    /**
     * A copy of some arrivals.
     *
     * @param first  the index of the first one in the whole log
     * @param nanos  arrival times, {@link System#nanoTime()} of the simulator's JVM
     * @param target one number per distinct target (the same path, and cursor, gets the same number)
     */
    public record Arrivals(int first, long[] nanos, int[] target) {
        public int size() {
            return nanos.length;
        }
    }
}
