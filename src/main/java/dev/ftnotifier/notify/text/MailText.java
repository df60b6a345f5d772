package dev.ftnotifier.notify.text;

/** Text for email: a header that no value can end or extend, and HTML that no value can open a tag in. */
public final class MailText {

    /** Longest header value this notifier writes; RFC 5322 asks for lines under 998 characters. */
    public static final int HEADER_MAX = 200;

    private MailText() {
    }

    /**
     * For a header such as the subject: CR, LF and every other control character become a
     * space, whitespace collapses, the ends are trimmed, and the result is cut to
     * {@value #HEADER_MAX} characters. A CR/LF can therefore never start a new header. {@code null} becomes "".
     */
    public static String headerSafe(String s) {
        return PlainText.truncate(PlainText.oneLine(s), HEADER_MAX);
    }

    /**
     * For HTML text and attribute values: control characters dropped (LF and TAB kept) and
     * {@code & < > " '} escaped. {@code null} becomes "".
     */
    public static String html(String s) {
        return PlainText.escapeEach(s, c -> switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
        });
    }

}
