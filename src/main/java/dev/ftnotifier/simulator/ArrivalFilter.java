package dev.ftnotifier.simulator;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;

/** Notes each request's arrival in the {@link ArrivalLog} before anything else (latency, faults) happens. */
final class ArrivalFilter extends Filter {

    private final ArrivalLog log;

    ArrivalFilter(ArrivalLog log) {
        this.log = log;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        // a list page is told apart by its cursor: the same page twice means a new pass over the list
        log.record(ApiHandler.JOBS_PATH.equals(path) && query != null ? path + "?" + query : path);
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "records request arrival times";
    }
}
