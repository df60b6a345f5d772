package dev.ftnotifier.observe;

import com.fasterxml.jackson.core.JacksonException;
import dev.ftnotifier.openai.ApiError;
import dev.ftnotifier.openai.InvalidJobException;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches what the routes send, to count the API's answers where they are decided, without a
 * step in any route: every request to {@code {openai.base-url}/fine_tuning/jobs} (each attempt,
 * retries included) is timed and given an outcome, every call of {@code direct:poll-jobs} is
 * a poll, and every call of {@code direct:send-<channel>} an attempt to deliver. A 2xx answer is counted when the job it carried was checked ({@code direct:get-job}
 * done): {@code ok}, or {@code invalid_body} when the body was not a usable job. The cost per
 * event is an identity look-up of the endpoint.
 */
public class ApiObserver extends EventNotifierSupport {

    /** Set on an exchange whose API request answered 2xx and whose body is not judged yet. */
    static final String ANSWERED = "NotifierApiAnswered";

    private enum Kind { API, GET_JOB, DISCOVER, POLL, QUEUE, SEND, OTHER }

    private final String apiPrefix;
    private final String baseUrl;
    private final ApiHealth health;
    private final NotifierMetrics metrics;
    private final Map<Endpoint, Kind> kinds = new ConcurrentHashMap<>();

    public ApiObserver(String baseUrl, ApiHealth health, NotifierMetrics metrics) {
        this.baseUrl = baseUrl.trim();
        // every request to the API counts: jobs, job lists, checkpoints, events and result files
        this.apiPrefix = stripSlash(this.baseUrl) + "/";
        this.health = health;
        this.metrics = metrics;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSendingEvent || event instanceof ExchangeSentEvent;
    }

    private Kind kind(Endpoint endpoint) {
        return kinds.computeIfAbsent(endpoint, e -> {
            String uri = e.getEndpointUri();
            if (uri.startsWith(apiPrefix)) {
                return Kind.API;
            }
            if (uri.startsWith("seda://fetch-job")) {
                return Kind.QUEUE;
            }
            if (uri.startsWith("direct://send-")) {
                return Kind.SEND;
            }
            return switch (uri) {
                // the routes that judge an answer: a job, a result file, checkpoints or events
                case "direct://get-job", "direct://get-result-file", "direct://get-job-list" -> Kind.GET_JOB;
                case "direct://discover" -> Kind.DISCOVER;
                case "direct://poll-jobs" -> Kind.POLL;
                default -> Kind.OTHER;
            };
        });
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSendingEvent sending) {
            switch (kind(sending.getEndpoint())) {
                case POLL -> {
                    metrics.pollStarted();
                    health.pollStarted();
                }
                case QUEUE, API -> health.asked();
                default -> { }
            }
            return;
        }
        ExchangeSentEvent sent = (ExchangeSentEvent) event;
        Exchange exchange = sent.getExchange();
        switch (kind(sent.getEndpoint())) {
            case API -> answered(exchange, sent.getTimeTaken());
            case GET_JOB, DISCOVER -> judged(exchange);
            case POLL -> health.pollEnded();
            case SEND -> sentToChannel(exchange);
            default -> { }
        }
    }

    private void answered(Exchange exchange, long millis) {
        metrics.apiDuration(millis);
        // a page of the job list before this one, or an attempt before a retry, was usable
        judged(exchange);
        Exception error = exchange.getException();
        if (error == null) {
            Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            if (status == null || status < 300) {
                exchange.setProperty(ANSWERED, Boolean.TRUE);
                return;
            }
            // no API route turns throwExceptionOnFailure off, so a status >= 300 normally comes as an
            // HttpOperationFailedException (below); a route edited to turn it off is still counted here
            String body = null;
            if (status == 429) {
                // read once and put back as text, so the route still reads it (quota or rate limit)
                body = exchange.getMessage().getBody(String.class);
                exchange.getMessage().setBody(body);
            }
            outcome(ApiOutcome.ofStatus(status), status, body);
            return;
        }
        if (error instanceof HttpOperationFailedException http) {
            outcome(ApiOutcome.ofError(error), http.getStatusCode(), http.getResponseBody());
        } else {
            outcome(ApiOutcome.ofError(error), 0, null);
        }
    }

    /**
     * One attempt to deliver on a channel (send-<name>, retries included): delivered, or failed; a
     * refusal by the channel's open circuit breaker reached nobody and is not counted.
     */
    private void sentToChannel(Exchange exchange) {
        Object key = exchange.getVariable("deliveryKey");
        if (key == null) {
            return;
        }
        Exception error = exchange.getException();
        if (error == null) {
            metrics.notification(key.toString(), "delivered");
        } else if (!refusedByBreaker(error)) {
            metrics.notification(key.toString(), "failed");
        }
    }

    private static boolean refusedByBreaker(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("CallNotPermittedException")) {
                return true;
            }
        }
        return false;
    }

    /** The 2xx answer on this exchange is judged: a usable job (or page), or not. */
    private void judged(Exchange exchange) {
        if (exchange.removeProperty(ANSWERED) == null) {
            return;
        }
        Object caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT);
        Throwable error = exchange.getException() != null ? exchange.getException() : caught instanceof Throwable t ? t : null;
        if (error instanceof JacksonException || error instanceof InvalidJobException) {
            metrics.apiRequest(ApiOutcome.INVALID_BODY);
        } else {
            metrics.apiRequest(ApiOutcome.OK);
            health.usable();
        }
    }

    private void outcome(ApiOutcome outcome, int status, String body) {
        metrics.apiRequest(outcome);
        switch (outcome) {
            case CLIENT_ERROR -> {
                if (status == 401 || status == 403) {
                    trouble("key-rejected", "API key rejected", " by ", "HTTP " + status);
                }
            }
            case RATE_LIMITED -> {
                if (ApiError.parse(body).isQuotaExhausted()) {
                    trouble("quota-exhausted", "quota exhausted", " at ", "HTTP 429 insufficient_quota");
                }
            }
            case SERVER_ERROR -> trouble("unreachable", "API failing", " at ", "HTTP " + status);
            case TIMEOUT -> trouble("unreachable", "API unreachable", " at ", "requests time out");
            case CONNECTION_ERROR -> trouble("unreachable", "API unreachable", " at ", "no connection");
            default -> { }
        }
    }

    private void trouble(String kind, String what, String preposition, String how) {
        health.trouble(kind, what + ": " + how, what + preposition + baseUrl + ": " + how);
    }
}
