package dev.ftnotifier.observe;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.MDC;

/**
 * With {@code notifier.log.format=json}: before every step that sends, the routing thread's MDC
 * gets the job and channel the exchange is about (the routes' variables {@code jobId} and
 * {@code channel}), or loses them when it is about none, so each JSON log line says which job
 * and channel it is about. Two map writes per send, and only in JSON mode.
 */
public class LogContext extends EventNotifierSupport {

    public static final String JOB_ID = "job_id";
    public static final String CHANNEL = "channel";

    public LogContext() {
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSendingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((ExchangeSendingEvent) event).getExchange();
        put(JOB_ID, exchange.getVariable("jobId"));
        put(CHANNEL, exchange.getVariable("channel"));
    }

    private static void put(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value.toString());
        }
    }
}
