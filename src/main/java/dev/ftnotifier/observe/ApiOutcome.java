package dev.ftnotifier.observe;

import org.apache.camel.http.base.HttpOperationFailedException;

import java.io.InterruptedIOException;
import java.util.Locale;

/** What one request to the OpenAI API came to: the {@code outcome} label of notifier_api_requests_total. */
public enum ApiOutcome {
    OK, CLIENT_ERROR, SERVER_ERROR, RATE_LIMITED, TIMEOUT, CONNECTION_ERROR, INVALID_BODY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome of an HTTP status (2xx ok). */
    public static ApiOutcome ofStatus(int status) {
        if (status == 429) {
            return RATE_LIMITED;
        }
        if (status >= 500) {
            return SERVER_ERROR;
        }
        return status >= 400 ? CLIENT_ERROR : OK;
    }

    /** The outcome of a request that failed with {@code error}. */
    public static ApiOutcome ofError(Throwable error) {
        if (error instanceof HttpOperationFailedException http) {
            return ofStatus(http.getStatusCode());
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            // read timeouts (SocketTimeoutException) and HttpClient 5's connect timeout are both interrupted I/O
            if (t instanceof InterruptedIOException || t.getClass().getSimpleName().contains("Timeout")) {
                return TIMEOUT;
            }
        }
        return CONNECTION_ERROR;
    }
}
