package dev.ftnotifier.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A journal's ticket counts the bytes that reached the file. A write that fails (here: the
 * writing thread is interrupted, so the channel refuses the bytes) adds nothing to it, and
 * the journal goes on writing afterwards: an interrupt (Camel stopping a thread) does not leave
 * every later delivery unrecordable until a restart.
 */
class JournalTicketTest {

    @TempDir
    Path dir;

    @Test
    void aFailedWriteAddsNothingToTheTicket() throws Exception {
        Path file = dir.resolve("test.log");
        Journal journal = new Journal(file);
        try {
            long first = journal.write(List.of("first record"));
            assertEquals(Files.size(file), first, "the ticket is the bytes in the file");

            Thread.currentThread().interrupt();
            try {
                assertThrows(UncheckedIOException.class, () -> journal.write(List.of("never written")));
            } finally {
                Thread.interrupted();
            }
            assertEquals(List.of("first record"), Files.readAllLines(file));
            assertEquals(first, journal.written(), "a failed write counts no byte it did not write");

            // the interrupt closed the file's channel; the journal opens it again for the next record
            long next = journal.write(List.of("after the interrupt"));
            journal.sync(next);
            assertEquals(List.of("first record", "after the interrupt"), Files.readAllLines(file));
            assertEquals(Files.size(file), next);
        } finally {
            journal.close();
        }
    }
}
