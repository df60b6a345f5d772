package dev.ftnotifier.bench;

import dev.ftnotifier.simulator.ArrivalLog;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Cuts a run of server-side arrivals into polls: a poll asks for each job (or list page) at
 * most once, so the first request for something already asked in the current poll starts the
 * next one. This needs no help from the poller, which is the point: the notifier is timed by
 * the server's clock, exactly like the baselines.
 */
final class PollSegments {

    /** One poll as the server saw it: {@code first} and {@code last} are arrival nanos. */
    record Poll(long first, long last, int requests) {
        double seconds() {
            return (last - first) / 1e9;
        }
    }

    private PollSegments() {
    }

    static List<Poll> of(ArrivalLog.Arrivals arrivals) {
        List<Poll> polls = new ArrayList<>();
        BitSet seen = new BitSet();
        long first = 0;
        long last = 0;
        int count = 0;
        for (int i = 0; i < arrivals.size(); i++) {
            int target = arrivals.target()[i];
            long at = arrivals.nanos()[i];
            if (count > 0 && seen.get(target)) {
                polls.add(new Poll(first, last, count));
                seen.clear();
                count = 0;
            }
            if (count == 0) {
                first = at;
            }
            seen.set(target);
            last = at;
            count++;
        }
        if (count > 0) {
            polls.add(new Poll(first, last, count));
        }
        return polls;
    }
}
