package dev.ftnotifier.notify.text;

import java.util.function.Function;

/**
 * Clean-up shared by every target: text from the API may hold control characters, and a
 * value cut to fit a limit must not end in half a character or half an escape sequence.
 */
public final class PlainText {

    /** The mark left where text was cut. */
    public static final String ELLIPSIS = "\u2026";

    private PlainText() {
    }

    /**
     * Multi-line text without control characters: CR LF, a lone CR and the Unicode line and
     * paragraph separators become LF; LF and TAB stay; every other control character goes.
     * {@code null} becomes "".
     */
    public static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                out.append('\n');
                if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
            } else if (c == '\u2028' || c == '\u2029') {
                out.append('\n');
            } else if (c == '\n' || c == '\t' || !Character.isISOControl(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * {@link #clean} the text, then replace each character that {@code escape} maps to a
     * string (the others stay): the one loop behind every target's escaping.
     */
    public static String escapeEach(String s, Function<Character, String> escape) {
        String clean = clean(s);
        StringBuilder out = new StringBuilder(clean.length() + 16);
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            String replacement = escape.apply(c);
            if (replacement == null) {
                out.append(c);
            } else {
                out.append(replacement);
            }
        }
        return out.toString();
    }

    /**
     * One line: every control character (CR, LF, TAB, NEL...) and line separator becomes a
     * space, runs of whitespace become one space, and the ends are trimmed. {@code null} becomes "".
     */
    public static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c) || c == '\u2028' || c == '\u2029' || c == '\u00A0') {
                space = true;
            } else {
                if (space && out.length() > 0) {
                    out.append(' ');
                }
                space = false;
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * At most {@code max} characters, ending in {@link #ELLIPSIS} when cut. The cut never splits
     * a surrogate pair and never an entity such as {@code &amp;} (it backs off to before the
     * {@code &}), so it is safe on text already escaped for Slack or HTML.
     */
    public static String truncate(String s, int max) {
        if (s == null) {
            return "";
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        if (s.length() <= max) {
            return s;
        }
        int end = max - ELLIPSIS.length();
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        // an entity is at most 10 characters (&#x10FFFF;); back off if one straddles the cut
        int amp = s.lastIndexOf('&', end - 1);
        if (amp >= 0 && end - amp < 10) {
            int semi = s.indexOf(';', amp);
            if (semi < 0 || semi >= end) {
                end = amp;
            }
        }
        return s.substring(0, Math.max(end, 0)) + ELLIPSIS;
    }
}
