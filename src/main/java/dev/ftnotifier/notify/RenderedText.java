package dev.ftnotifier.notify;

/** Tidies what a template rendered: Mustache section tags on their own lines leave blank lines and stray spaces. */
final class RenderedText {

    private RenderedText() {
    }

    /** Trailing spaces dropped from each line, at most one blank line in a row, no blank lines at either end. */
    static String tidy(String s) {
        String text = s.replace("\r\n", "\n").replace('\r', '\n').replaceAll("[ \\t]+\n", "\n");
        return text.replaceAll("\n{3,}", "\n\n").strip();
    }
}
