package dev.ftnotifier.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryLedgerTest {

    @TempDir
    Path stateDir;

    @Test
    void aConfirmedDeliveryIsRememberedAcrossRestarts() {
        DeliveryLedger ledger = new DeliveryLedger(stateDir);
        String key = DeliveryLedger.key("ftjob-1", "failed", "slack");
        assertTrue(ledger.add(key));
        assertFalse(ledger.add(key), "a delivery in flight is not started twice");
        ledger.confirm(key);
        assertFalse(ledger.add(key));

        DeliveryLedger restarted = new DeliveryLedger(stateDir);
        assertTrue(restarted.isDelivered(key));
        assertFalse(restarted.add(key));
    }

    @Test
    void aFailedDeliveryIsTriedAgain() {
        DeliveryLedger ledger = new DeliveryLedger(stateDir);
        String key = DeliveryLedger.key("ftjob-1", "failed", "email");
        assertTrue(ledger.add(key));
        ledger.remove(key);
        assertTrue(ledger.add(key), "retried in this process");
        ledger.remove(key);
        assertTrue(new DeliveryLedger(stateDir).add(key), "and after a restart");
    }

    @Test
    void aDeliveryInFlightWhenTheProcessDiedIsSentAgain() {
        DeliveryLedger ledger = new DeliveryLedger(stateDir);
        String key = DeliveryLedger.key("ftjob-1", "succeeded", "slack");
        assertTrue(ledger.add(key));
        // no confirm, no remove: the process died mid-send
        DeliveryLedger restarted = new DeliveryLedger(stateDir);
        assertFalse(restarted.isDelivered(key));
        assertTrue(restarted.add(key));
    }

    @Test
    void aTornLastLineIsIgnoredAndTheJournalIsCompacted() throws IOException {
        DeliveryLedger ledger = new DeliveryLedger(stateDir);
        String key = DeliveryLedger.key("ftjob-1", "failed", "file");
        ledger.add(key);
        ledger.confirm(key);
        Path journal = stateDir.resolve("deliveries.log");
        Files.writeString(journal, "sent ftjob-2|failed|fi", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        DeliveryLedger restarted = new DeliveryLedger(stateDir);
        assertTrue(restarted.isDelivered(key));
        assertFalse(restarted.isDelivered("ftjob-2|failed|fi"));
        assertEquals(List.of("sent " + key), Files.readAllLines(journal));
    }
}
