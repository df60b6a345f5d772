package dev.ftnotifier.status;

import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.model.JobStatus;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.EventNotifierSupport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Asks the status router what a status means, for the router's own first step (route
 * route-by-status) and for code outside it (discovery, webhook follow-ups, the metrics' status
 * label): it sends the status to {@code direct:status-meaning} (routes/route-by-status.camel.yaml)
 * and reads the variables that route sets. So an edited router changes what every part of the
 * notifier counts as terminal or known; no Java list of statuses can disagree with it.
 *
 * <p>The answer is kept per status, so the route runs once per status, not once per job; any
 * route being added, removed, started or stopped (a reload of route-by-status's file replaces
 * both its routes) forgets every answer, so the next question asks the edited route. At most
 * {@link #MAX_KEPT} statuses are kept: the API's statuses are an open set and its text is not
 * trusted, so a flood of new ones is asked each time rather than filling memory.
 */
public class StatusMeanings {

    static final String ROUTE = "direct:status-meaning";
    static final int MAX_KEPT = 256;

    private final CamelContext context;
    /** Replaced, not cleared, on a route change: an answer asked of the old route lands in the old map. */
    private final AtomicReference<Map<String, StatusMeaning>> kept = new AtomicReference<>(new ConcurrentHashMap<>());
    private ProducerTemplate producer; // guarded by this

    public StatusMeanings(CamelContext context) {
        this.context = context;
        context.getManagementStrategy().addEventNotifier(new ForgetOnRouteChange());
    }

    public StatusMeaning of(JobStatus status) {
        Map<String, StatusMeaning> answers = kept.get();
        StatusMeaning meaning = answers.get(status.value());
        if (meaning == null) {
            meaning = ask(status);
            if (answers.size() < MAX_KEPT) {
                answers.put(status.value(), meaning);
            }
        }
        return meaning;
    }

    /**
     * For route route-by-status: the variables status, event, terminal and known of the job in the
     * body, as route status-meaning decides them for its status (terminal and known "true" or
     * "false", as that route sets them), asked once per status like every other answer here. The
     * body stays the job.
     */
    public void describe(FineTuningJob job, Exchange exchange) {
        JobStatus status = job.jobStatus();
        StatusMeaning meaning = of(status);
        exchange.setVariable("status", status.value());
        exchange.setVariable("event", meaning.event());
        exchange.setVariable("terminal", String.valueOf(meaning.terminal()));
        exchange.setVariable("known", String.valueOf(meaning.known()));
    }

    /** True when the router calls the status terminal. */
    public boolean terminal(JobStatus status) {
        return of(status).terminal();
    }

    /** True when the router knows the status (it is not this version's "unknown, treated as progress"). */
    public boolean known(String status) {
        return of(JobStatus.of(status)).known();
    }

    /** Forgets every answer: the next question runs the route. */
    void forget() {
        kept.set(new ConcurrentHashMap<>());
    }

    private StatusMeaning ask(JobStatus status) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setVariable("status", status.value());
        producer().send(ROUTE, exchange);
        if (exchange.getException() != null) {
            throw new IllegalStateException("route status-meaning failed for status " + status, exchange.getException());
        }
        return new StatusMeaning(exchange.getVariable("event", String.class),
                Boolean.TRUE.equals(exchange.getVariable("terminal", Boolean.class)),
                Boolean.TRUE.equals(exchange.getVariable("known", Boolean.class)));
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = context.createProducerTemplate();
            // stopped with the context
            try {
                context.addService(producer, true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return producer;
    }

    /** Route events only (added, removed, started, stopped, reloaded): rare, so any of them forgets. */
    private final class ForgetOnRouteChange extends EventNotifierSupport {

        ForgetOnRouteChange() {
            setIgnoreCamelContextEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreExchangeEvents(true);
            setIgnoreStepEvents(true);
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.RouteEvent;
        }

        @Override
        public void notify(CamelEvent event) {
            forget();
        }
    }
}
