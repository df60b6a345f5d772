package dev.ftnotifier.notify.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailTextTest {

    @Test
    void headerSafeTurnsCrLfIntoASpaceSoNoHeaderCanBeAdded() {
        String header = MailText.headerSafe("hello\r\nBcc: victim@example.com");
        assertEquals("hello Bcc: victim@example.com", header);
    }

    @Test
    void headerSafeRemovesEveryKindOfLineBreakAndControlCharacter() {
        String header = MailText.headerSafe("a\rb\nc\u0085d\u2028e\u2029f\u000bg\u0000h\t\ti");
        assertEquals("a b c d e f g h i", header);
        header.chars().forEach(c -> assertFalse(Character.isISOControl(c), "control character " + c));
    }

    @Test
    void headerSafeIsCappedAndCollapsed() {
        String header = MailText.headerSafe("  x   y  " + "z".repeat(10_000));
        assertTrue(header.startsWith("x y z"), header);
        assertEquals(MailText.HEADER_MAX, header.length());
        assertTrue(header.endsWith(PlainText.ELLIPSIS));
    }

    @Test
    void headerSafeOfNullIsEmpty() {
        assertEquals("", MailText.headerSafe(null));
    }

    @Test
    void htmlEscapesAllFiveCharacters() {
        assertEquals("&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;",
                MailText.html("<script>alert(\"x\" & 'y')</script>"));
    }

    @Test
    void htmlOfNullIsEmpty() {
        assertEquals("", MailText.html(null));
    }
}
