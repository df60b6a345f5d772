package dev.ftnotifier.simulator;

import java.util.ArrayList;
import java.util.List;

/** Every request received, in arrival order. Readers get copies, so they never see a list change under them. */
final class RequestLog {

    private final List<RecordedRequest> requests = new ArrayList<>();
    /** Off for benchmarks: a record per request would grow without bound. */
    private volatile boolean keep = true;

    void keep(boolean on) {
        keep = on;
    }

    synchronized void add(RecordedRequest request) {
        if (keep) {
            requests.add(request);
        }
    }

    synchronized List<RecordedRequest> snapshot() {
        return List.copyOf(requests);
    }

    synchronized long count(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).count();
    }
}
