package dev.ftnotifier.notify;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureReasonTest {

    @Test
    void slacksAnswerBecomesOneShortLine() {
        Exception e = new Exception("Error POSTing to Slack API: WebhookResponse(code=500, message=Internal Server Error,"
                + " headers={content-length=[12], content-type=[text/plain], date=[Thu, 26 Nov 2026 17:35:58 GMT]},"
                + " body=server_error). Exchange[4744F791768F7F7-0000000000000009]");
        assertEquals("Exception: Error POSTing to Slack API: WebhookResponse(code=500, message=Internal Server Error,"
                + " body=server_error)", FailureReason.of(e));
    }

    @Test
    void lineBreaksAreRemovedAndLengthIsCapped() {
        String reason = FailureReason.of(new IllegalStateException("a\r\nFAKE LOG LINE\n" + "x".repeat(1000)));
        assertTrue(reason.startsWith("IllegalStateException: a FAKE LOG LINE x"), reason);
        assertTrue(reason.length() <= 303);
    }
}
