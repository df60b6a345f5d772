package dev.ftnotifier.notify;

/**
 * An email, ready for camel-mail: a one-line subject (no CR or LF), a plain-text body, and an
 * HTML body (the text, escaped, in a <pre>, when the template has no html part).
 */
public record EmailContent(String subject, String text, String html) {
}
