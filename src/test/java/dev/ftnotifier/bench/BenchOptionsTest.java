package dev.ftnotifier.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's command line: which pollers run. */
class BenchOptionsTest {

    @Test
    void everyPollerRunsUnlessTheCommandNamesSome() {
        assertEquals(List.of("sequential", "keep-alive", "notifier"), BenchOptions.parse(new String[0]).pollers());
        assertEquals(List.of("notifier"), BenchOptions.parse(new String[] {"--pollers", "notifier"}).pollers());
    }

    @Test
    void aPollerItDoesNotKnowIsRefusedWithTheOnesItDoes() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(new String[] {"--pollers", "notifier,wrk"}));
        assertTrue(refused.getMessage().contains("sequential, keep-alive, notifier, not wrk"), refused.getMessage());
    }
}
