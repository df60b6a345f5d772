package dev.ftnotifier.testing;

import dev.ftnotifier.config.NotifierConfiguration;
import dev.ftnotifier.config.NotifierMain;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A route-level test with Camel Test JUnit5 for Camel Main: the notifier's real
 * configuration ({@link NotifierConfiguration}, its property files) and the real
 * {@code routes/} in the test run's DSL ({@link Dsl}), in one Camel context per test,
 * with the local world of servers on 127.0.0.1. Subclasses add properties
 * ({@link #properties}) and, where a test needs a seam, advice ({@code isUseAdviceWith}).
 */
public abstract class NotifierRouteTest extends CamelMainTestSupport {

    // Camel Test reads the properties while the test object is being made, before field
    // initialisers run: the world is started on first use, from there.
    private Path dir;
    private LocalWorld world;

    /** The servers on 127.0.0.1 and the folders of this test, started before the Camel context. */
    protected LocalWorld world() {
        if (world == null) {
            try {
                dir = Files.createTempDirectory("notifier-route-test-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            world = LocalWorld.start(dir);
        }
        return world;
    }

    /** The settings for this test; by default nothing watched, the file channel on, no poll for an hour. */
    protected Map<String, String> properties() {
        Map<String, String> p = world().properties();
        p.put("notifier.poll-interval", "3600000");
        p.put("notifier.routes.reload", "false");
        return p;
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(dev.ftnotifier.state.jdbc.StateStoreConfiguration.class); // before: it binds stateStore
        configuration.addConfiguration(NotifierConfiguration.class);
        configuration.addConfiguration(dev.ftnotifier.enrich.EnrichConfiguration.class);
        configuration.addConfiguration(dev.ftnotifier.webhook.WebhookConfiguration.class);
        configuration.addConfiguration(dev.ftnotifier.observe.ObservabilityConfiguration.class);
        configuration.addConfiguration(dev.ftnotifier.cluster.ClusterConfiguration.class);
        configuration.addConfiguration(dev.ftnotifier.recovery.RecoveryConfiguration.class);
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return NotifierMain.PROPERTY_LOCATIONS;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Map<String, String> settings = properties();
        Properties defaults = new Properties();
        try (var in = NotifierRouteTest.class.getResourceAsStream("/notifier-defaults.properties")) {
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties overrides = new Properties();
        overrides.putAll(settings);
        // what NotifierMain's listeners add before the routes load, which Camel Test does not run
        overrides.putAll(NotifierMain.derivedSettings(key -> settings.getOrDefault(key, defaults.getProperty(key, "")).trim()));
        return overrides;
    }

    @AfterEach
    void stopTheWorld() throws IOException {
        if (context != null) {
            context.stop(); // before its servers go, so no poll meets a closed port
        }
        if (world != null) {
            world.close();
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /**
     * A route test that starts the context itself, once its jobs and faults are in place: Camel Test
     * leaves the context unstarted when told that advice comes ({@code isUseAdviceWith}); nothing is
     * advised.
     */
    public abstract static class StartedByTheTest extends NotifierRouteTest {

        @Override
        public boolean isUseAdviceWith() {
            return true;
        }
    }
}
