package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.config.ConfigurationException;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** notifier.state.store and notifier.state.jdbc.*: what start-up refuses, and the password never shown. */
class StateStoreSettingsTest {

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    private static String refusal(Map<String, String> properties) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> RunningNotifier.start(properties).close());
        ConfigurationException found = ConfigurationException.findIn(e);
        assertTrue(found != null, "a configuration error, not " + e);
        return found.getMessage();
    }

    @Test
    void anUnknownStoreOrAJdbcStoreWithoutAUrlStopsTheStartNamingTheKey() {
        Map<String, String> p = world.properties();
        p.put("notifier.state.store", "mongo");
        assertEquals("notifier.state.store must be file or jdbc, not 'mongo'", refusal(p));

        p.put("notifier.state.store", "jdbc");
        assertTrue(refusal(p).startsWith("notifier.state.store=jdbc needs notifier.state.jdbc.url"));
    }

    @Test
    void theUrlMustBePostgresAndCarryNoPasswordWhichIsNeverShown() {
        Duration t = Duration.ofSeconds(30);
        String other = assertThrows(ConfigurationException.class,
                () -> new JdbcSettings("jdbc:mysql://db:3306/n", "u", "", t)).getMessage();
        assertTrue(other.contains("jdbc:postgresql:"), other);
        String leaked = assertThrows(ConfigurationException.class,
                () -> new JdbcSettings("jdbc:postgresql://db/n?user=u&password=hunter2-not-a-secret", "", "", t)).getMessage();
        assertTrue(leaked.contains("notifier.state.jdbc.password"), leaked);
        assertFalse(leaked.contains("hunter2"), leaked);
        JdbcSettings settings = new JdbcSettings("jdbc:postgresql://db:5432/n?ssl=true", "notifier", "pw-not-a-secret", t);
        assertFalse(settings.toString().contains("pw-not-a-secret"), settings.toString());
        assertEquals("jdbc:postgresql://db:5432/n", settings.where());
    }

    @Test
    void anUnreachableDatabaseAtStartUpStopsTheStartInOneLine() {
        Map<String, String> p = world.properties();
        p.put("notifier.state.store", "jdbc");
        p.put("notifier.state.jdbc.url", "jdbc:postgresql://127.0.0.1:1/notifier");
        String message = refusal(p);
        assertTrue(message.startsWith("state store jdbc:postgresql://127.0.0.1:1/notifier cannot be used at start-up: "), message);
        assertEquals(1, message.lines().count(), message);
    }
}
