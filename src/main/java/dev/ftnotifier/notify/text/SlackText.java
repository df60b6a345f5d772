package dev.ftnotifier.notify.text;

/**
 * Text for Slack. Slack reads {@code <...>} in mrkdwn (and in a message's top-level
 * {@code text}) as a control sequence: {@code <!channel>} pings everyone and
 * {@code <https://x|label>} forges a link. Slack's own rule is to escape {@code &}, {@code <}
 * and {@code >}; after that no text can form a control sequence.
 */
public final class SlackText {

    /** Zero-width joiner put after every {@code @}: {@code @here} then reads the same but is no longer a mention. */
    static final char ZWJ = '\u200D';

    private SlackText() {
    }

    /**
     * For mrkdwn and a message's {@code text}: control characters dropped (LF and TAB kept),
     * {@code & < >} escaped, and {@code @channel}, {@code @here}, {@code @everyone} or any other
     * {@code @word} broken with a zero-width joiner. {@code null} becomes "".
     */
    public static String escape(String s) {
        return PlainText.escapeEach(s, c -> switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '@' -> "@" + ZWJ;
            default -> null;
        });
    }


    /**
     * For {@code plain_text} objects (the header): Slack shows them as written, entities
     * included, so nothing is entity-escaped; the text is made one line and mentions are still
     * broken, although plain_text cannot ping. {@code null} becomes "".
     */
    public static String plain(String s) {
        return PlainText.oneLine(s).replace("@", "@" + ZWJ);
    }
}
