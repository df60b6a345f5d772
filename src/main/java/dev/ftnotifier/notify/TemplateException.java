package dev.ftnotifier.notify;

/** A template that cannot be used: missing, unreadable, not valid Mustache, or without a part it needs. */
public class TemplateException extends RuntimeException {

    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
