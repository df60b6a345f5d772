package dev.ftnotifier.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * Answers every request only after a simulated network and server latency, the way the real API
 * takes tens of milliseconds. The wait holds no HTTP thread (it is scheduled, like the
 * {@link FineTuningApiSimulator.Fault#delay} fault), so a few threads serve thousands of requests
 * in flight. With no latency set the request goes straight through.
 */
final class LatencyHandler implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(LatencyHandler.class.getName());

    private final HttpHandler next;
    private final BiConsumer<Duration, Runnable> later;
    /** Volatile: set by the benchmark or a test while HTTP threads read it. */
    private volatile Duration latency = Duration.ZERO;

    LatencyHandler(HttpHandler next, BiConsumer<Duration, Runnable> later) {
        this.next = next;
        this.later = later;
    }

    void latency(Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + value);
        }
        this.latency = value;
    }

    Duration latency() {
        return latency;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Duration wait = latency;
        if (wait.isZero()) {
            next.handle(exchange);
            return;
        }
        later.accept(wait, () -> handleNow(exchange));
    }

    private void handleNow(HttpExchange exchange) {
        try {
            next.handle(exchange);
        } catch (IOException clientGone) {
            exchange.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "simulator failed to answer " + exchange.getRequestURI(), e);
            exchange.close();
        }
    }
}
