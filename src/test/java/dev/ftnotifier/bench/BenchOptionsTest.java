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

    @Test
    void repeatsAndASecondBuildAreAskedForAndCheckedOnTheCommandLine() {
        BenchOptions options = BenchOptions.parse(new String[] {"--repeat", "3", "--against", "/tmp/older-checkout"});
        assertEquals(3, options.repeat());
        assertEquals(java.nio.file.Path.of("/tmp/older-checkout"), options.against());
        assertEquals(1, BenchOptions.parse(new String[0]).repeat());
        assertEquals(null, BenchOptions.parse(new String[0]).against());
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--repeat", "0"}));
        IllegalArgumentException noNotifier = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(new String[] {"--against", "/tmp/older-checkout", "--pollers", "keep-alive"}));
        assertTrue(noNotifier.getMessage().contains("--pollers must include notifier"), noNotifier.getMessage());
    }
}
