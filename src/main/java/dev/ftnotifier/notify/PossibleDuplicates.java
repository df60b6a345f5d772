package dev.ftnotifier.notify;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Says so when a send about to be tried again may already have arrived: the request went
 * out and its answer was lost (the connection ended or timed out while waiting for it), so
 * the channel may hold the first copy. A refused or unreachable connection, or an HTTP
 * answer of any status, means the channel did not take it: nothing is said then.
 *
 * <p>Called by the channel-failures route configuration before each redelivery
 * (routes/error-handling.camel.yaml, {@code onRedeliveryRef}).
 */
public final class PossibleDuplicates implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(PossibleDuplicates.class);

    @Override
    public void process(Exchange exchange) {
        Throwable error = exchange.getException() != null
                ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (answerLost(error)) {
            LOG.warn("{}: no answer to the send for {} ({}); sending it again: it may arrive twice (possible duplicate)",
                    exchange.getVariable("channel"), exchange.getVariable("delivery"), FailureReason.of(error));
        }
    }

    /** True when the failure came after the request was sent: an I/O error other than failing to connect. */
    public static boolean answerLost(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return false;
            }
            if (t instanceof SocketTimeoutException timeout && String.valueOf(timeout.getMessage()).toLowerCase().contains("connect")) {
                return false;
            }
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
