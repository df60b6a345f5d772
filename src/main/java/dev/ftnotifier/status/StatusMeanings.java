package dev.ftnotifier.status;

import dev.ftnotifier.model.JobStatus;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

/**
 * Asks the status router what a status means, for code outside the router (discovery, webhook
 * follow-ups): it sends the status to {@code direct:status-meaning} (routes/route-by-status.camel.yaml)
 * and reads the variables that route sets. So an edited router changes what every part of the
 * notifier counts as terminal; no Java list of statuses can disagree with it.
 */
public class StatusMeanings {

    static final String ROUTE = "direct:status-meaning";

    private final CamelContext context;
    private ProducerTemplate producer; // guarded by this

    public StatusMeanings(CamelContext context) {
        this.context = context;
    }

    public StatusMeaning of(JobStatus status) {
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

    /** True when the router calls the status terminal. */
    public boolean terminal(JobStatus status) {
        return of(status).terminal();
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
}
