package dev.ftnotifier.config;

import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Camel Main process the notifier is: {@code ./application.properties} first, the
 * built-in defaults after it, routes from {@code ./routes/}. Tests boot it the same way,
 * with a few properties overridden.
 */
public final class NotifierMain implements AutoCloseable {

    /** The first location wins on a duplicate key, so the operator's file beats the defaults. */
    static final String PROPERTY_LOCATIONS =
            "file:application.properties;optional=true,classpath:notifier-defaults.properties,classpath:notifier-version.properties";

    private final Main main;
    private final List<AutoCloseable> resources = new ArrayList<>();

    private NotifierMain(Map<String, String> overrides) {
        // no main class: Camel would scan its package and add NotifierConfiguration a second time
        main = new Main();
        main.setPropertyPlaceholderLocations(PROPERTY_LOCATIONS);
        main.configure().addConfiguration(NotifierConfiguration.class);
        overrides.forEach(main::addOverrideProperty);
        if (!overrides.isEmpty()) {
            main.addMainListener(new OverridesWin());
        }
        main.addMainListener(new StartupChecks());
    }

    /**
     * Camel lets environment variables and -D beat even override properties. The demo and the
     * tests must not be steered by whatever OPENAI_BASE_URL the machine has, so there the
     * environment only fills keys nothing else sets.
     */
    private static final class OverridesWin extends MainListenerSupport {
        @Override
        public void beforeConfigure(BaseMainSupport main) {
            PropertiesComponent properties = (PropertiesComponent) main.getCamelContext().getPropertiesComponent();
            properties.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK);
            properties.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_FALLBACK);
        }
    }

    /** As an operator runs it: configuration from the working directory and the environment. */
    public static NotifierMain fromWorkingDirectory() {
        return new NotifierMain(Map.of());
    }

    /** With some properties overridden; they win over the file, -D and the environment. */
    public static NotifierMain withOverrides(Map<String, String> overrides) {
        return new NotifierMain(overrides);
    }

    /** Closes this resource when the notifier is closed (the demo's simulator, for one). */
    public NotifierMain closing(AutoCloseable resource) {
        resources.add(resource);
        return this;
    }

    /** Runs until the process is stopped (Ctrl-C, SIGTERM). */
    public void run() throws Exception {
        main.run();
    }

    /** Starts and returns once the routes run; for tests and embedding. */
    public void start() {
        main.start();
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // the process is going away; nothing left to tell
            }
        }
    }
}
