package dev.ftnotifier.notify;

/**
 * Why a delivery failed, as one short log line: the exception's class and message, with
 * line breaks removed (a server's answer can contain anything), the HTTP headers that
 * camel-slack prints dropped, and at most 300 characters.
 */
public final class FailureReason {

    private static final int MAX = 300;

    public static String of(Throwable error) {
        if (error == null) {
            return "unknown";
        }
        String message = error.getMessage() == null ? "" : error.getMessage();
        message = message.replaceAll(", headers=\\{[^}]*\\}", "").replaceAll("\\. Exchange\\[[^\\]]*\\]", "");
        String line = (error.getClass().getSimpleName() + ": " + message).replaceAll("[\\r\\n\\t]+", " ").strip();
        return line.length() > MAX ? line.substring(0, MAX) + "..." : line;
    }
}
