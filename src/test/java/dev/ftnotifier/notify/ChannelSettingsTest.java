package dev.ftnotifier.notify;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelSettingsTest {

    @Test
    void aChannelTakesOnlyTheStatusesListed() {
        ChannelSettings slack = ChannelSettings.of("slack", "https://hooks.example.invalid/x", " Failed , succeeded,cancelled ");
        assertTrue(slack.accepts("failed"));
        assertTrue(slack.accepts("succeeded"));
        assertFalse(slack.accepts("running"));
        assertFalse(slack.accepts("exploding"));
    }

    @Test
    void starTakesEveryStatusEvenUnknownOnes() {
        ChannelSettings file = ChannelSettings.of("file", "notifications", "*");
        assertTrue(file.accepts("running"));
        assertTrue(file.accepts("exploding"));
    }

    @Test
    void aStatusThisVersionDoesNotKnowCanBeListed() {
        assertTrue(ChannelSettings.of("file", "n", "paused,exploding").accepts("exploding"));
    }

    @Test
    void aChannelWithoutDestinationIsOff() {
        assertFalse(ChannelSettings.of("email", "", "*").accepts("failed"));
        assertFalse(ChannelSettings.of("email", null, "*").accepts("failed"));
    }
}
