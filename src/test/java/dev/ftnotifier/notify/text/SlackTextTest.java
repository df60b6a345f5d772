package dev.ftnotifier.notify.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlackTextTest {

    @Test
    void escapesTheThreeCharactersSlackReadsAsControl() {
        assertEquals("a &amp; b &lt;c&gt;", SlackText.escape("a & b <c>"));
    }

    @Test
    void ampersandIsEscapedFirstSoEntitiesInTheInputStayVisibleText() {
        assertEquals("&amp;lt;", SlackText.escape("&lt;"));
    }

    @Test
    void aSpecialMentionCannotBeFormed() {
        String escaped = SlackText.escape("<!channel> please look");
        assertFalse(escaped.contains("<"), escaped);
        assertTrue(escaped.startsWith("&lt;!channel&gt;"), escaped);
    }

    @Test
    void aLinkCannotBeForged() {
        String escaped = SlackText.escape("<https://evil.example|click here>");
        assertEquals("&lt;https://evil.example|click here&gt;", escaped);
    }

    @Test
    void atMentionsAreBrokenWithAZeroWidthJoiner() {
        for (String mention : new String[] {"@here", "@channel", "@everyone"}) {
            String escaped = SlackText.escape("hey " + mention + " look");
            assertFalse(escaped.contains(mention), escaped);
            assertTrue(escaped.contains("@\u200D" + mention.substring(1)), escaped);
        }
    }

    @Test
    void nullIsEmpty() {
        assertEquals("", SlackText.escape(null));
        assertEquals("", SlackText.plain(null));
    }

    @Test
    void controlCharactersGoButLineBreaksStay() {
        assertEquals("a\nb\tc\nd", SlackText.escape("a\r\nb\tc\rd\u0000\u001b"));
    }

    @Test
    void plainTextIsOneLineWithoutEntitiesAndWithoutMentions() {
        String plain = SlackText.plain("a & <b>\r\n@here");
        assertEquals("a & <b> @\u200Dhere", plain);
    }
}
