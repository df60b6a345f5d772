package dev.ftnotifier.notify;

/**
 * An email, ready for camel-mail: a one-line subject (no CR or LF), a plain-text body, and an
 * HTML body (null when the template has no html part; then send text only).
 */
public record EmailContent(String subject, String text, String html) {
}
