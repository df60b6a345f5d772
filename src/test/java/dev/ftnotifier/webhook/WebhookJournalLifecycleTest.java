package dev.ftnotifier.webhook;

import dev.ftnotifier.state.WebhookEvents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The webhook journal's life: its file is closed when the notifier stops (nothing else closed
 * it), and the poll's question "which jobs did events name" costs nothing between events with
 * the file store, where this instance's receiver has already handed each job to the watch list.
 */
class WebhookJournalLifecycleTest {

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    /** This JVM's open files that are {@code file} (Linux: /proc/self/fd). */
    private static long openHandles(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException | UnsupportedOperationException gone) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void theJournalFileIsClosedWhenTheNotifierStops() throws IOException {
        world.putJob("ftjob-named", "running");
        int port = Events.freePort();
        Path journal = world.stateDir.resolve("webhook-events.log");
        try (RunningNotifier notifier = RunningNotifier.start(Events.receiverOn(world.properties(), Events.SECRET, port))) {
            assertEquals(200, Events.send(port, Events.SECRET, "ftjob-named", "succeeded"));
            assertEquals(1, openHandles(journal), "the journal is open while the notifier runs");
        }
        assertEquals(1, Files.readAllLines(journal).size(), "the event is in the journal");
        assertEquals(0, openHandles(journal), "closed with the notifier");
    }

    @Test
    void theJobsEventsNamedAreWorkedOutAgainOnlyAfterAnEvent(@org.junit.jupiter.api.io.TempDir Path dir) {
        WebhookEvents events = new WebhookEvents(dir, Clock.systemUTC());
        try {
            events.record("wh_1", "ftjob-a");
            Set<String> first = events.jobIds();
            assertEquals(List.of("ftjob-a"), List.copyOf(first));
            assertSame(first, events.jobIds(), "no event since: the same answer, not worked out again for each poll");
            events.record("wh_2", "ftjob-b");
            assertEquals(Set.of("ftjob-a", "ftjob-b"), events.jobIds(), "an event since: worked out again");
            events.record("wh_2", "ftjob-b");
            assertEquals(Set.of("ftjob-a", "ftjob-b"), events.jobIds());
        } finally {
            events.close();
        }
    }
}
