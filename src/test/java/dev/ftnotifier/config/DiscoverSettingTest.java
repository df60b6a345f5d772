package dev.ftnotifier.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code notifier.discover} is read by the poll route's filter and by the discovery bean; only
 * {@code true} and {@code false} mean the same to both, so anything else stops start-up.
 */
class DiscoverSettingTest {

    private static void check(String discover) {
        Map<String, String> settings = Map.of("openai.api-key", "test-key-not-a-secret",
                "openai.base-url", "http://127.0.0.1:1/v1", "notifier.discover", discover,
                "camel.main.routes-include-pattern", "file:routes/*.camel.yaml", "notifier.routes", "yaml");
        StartupChecks.check(key -> settings.getOrDefault(key, ""));
    }

    @Test
    void trueAndFalseAreAccepted() {
        assertDoesNotThrow(() -> check("true"));
        assertDoesNotThrow(() -> check("false"));
        assertDoesNotThrow(() -> check(""));
    }

    @Test
    void anythingElseIsRefusedByName() {
        ConfigurationException refused = assertThrows(ConfigurationException.class, () -> check("yes"));
        assertTrue(refused.getMessage().contains("notifier.discover") && refused.getMessage().contains("'yes'"),
                refused.getMessage());
    }
}
