package dev.ftnotifier.notify;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PossibleDuplicatesTest {

    @Test
    void anAnswerLostAfterTheRequestWentOutMayBeADuplicate() {
        assertTrue(PossibleDuplicates.answerLost(new IOException("unexpected end of stream")));
        assertTrue(PossibleDuplicates.answerLost(new RuntimeException("send failed", new SocketTimeoutException("Read timed out"))));
    }

    @Test
    void aConnectionNeverMadeOrAnAnswerOfAnyStatusIsNot() {
        assertFalse(PossibleDuplicates.answerLost(new ConnectException("Connection refused")));
        assertFalse(PossibleDuplicates.answerLost(new IOException("wrapped", new UnknownHostException("hooks.slack.invalid"))));
        assertFalse(PossibleDuplicates.answerLost(new SocketTimeoutException("Connect timed out")));
        assertFalse(PossibleDuplicates.answerLost(new WebhookRejectedException("webhook ops answered HTTP 500")));
        assertFalse(PossibleDuplicates.answerLost(null));
    }
}
