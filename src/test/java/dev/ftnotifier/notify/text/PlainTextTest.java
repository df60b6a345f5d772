package dev.ftnotifier.notify.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlainTextTest {

    @Test
    void shortTextIsNotTouched() {
        assertEquals("abc", PlainText.truncate("abc", 3));
    }

    @Test
    void cutTextEndsInAnEllipsisWithinTheLimit() {
        String cut = PlainText.truncate("abcdef", 4);
        assertEquals("abc" + PlainText.ELLIPSIS, cut);
    }

    @Test
    void neverCutsAnEntityInHalf() {
        String escaped = SlackText.escape("<".repeat(100));
        for (int max = 2; max < 60; max++) {
            String cut = PlainText.truncate(escaped, max);
            assertTrue(cut.length() <= max, cut);
            String body = cut.substring(0, cut.length() - 1);
            assertEquals("", body.replace("&lt;", ""), "max " + max + ": " + cut);
        }
    }

    @Test
    void neverCutsASurrogatePairInHalf() {
        String emoji = "\uD83D\uDE80".repeat(10);
        String cut = PlainText.truncate(emoji, 6);
        assertEquals("\uD83D\uDE80\uD83D\uDE80" + PlainText.ELLIPSIS, cut);
    }

    @Test
    void cleanKeepsLineBreaksAndTabsOnly() {
        assertEquals("a\nb\nc\td", PlainText.clean("a\r\nb\rc\td\u0007"));
        assertEquals("", PlainText.clean(null));
    }
}
