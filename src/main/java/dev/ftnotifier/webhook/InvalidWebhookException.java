package dev.ftnotifier.webhook;

/**
 * A request that is not a verified webhook event: missing or malformed headers, no matching
 * signature, a timestamp out of tolerance, a body that is not an event. Answered 400 without
 * saying which; the message is for the log and never carries a secret.
 */
public class InvalidWebhookException extends RuntimeException {

    public InvalidWebhookException(String message) {
        super(message, null, false, false);
    }
}
