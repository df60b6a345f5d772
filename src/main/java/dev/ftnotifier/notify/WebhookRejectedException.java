package dev.ftnotifier.notify;

/**
 * A webhook answered, but not with 2xx: the delivery failed and stays pending. Its message
 * names the instance and the status code, never the URL.
 */
public class WebhookRejectedException extends Exception {

    public WebhookRejectedException(String message) {
        super(message);
    }
}
