package dev.ftnotifier.config;

import dev.ftnotifier.cluster.ClusterRole;
import dev.ftnotifier.cluster.ClusterSettings;
import dev.ftnotifier.notify.ChannelSettings;
import dev.ftnotifier.notify.Channels;
import dev.ftnotifier.state.StateStore;
import org.apache.camel.CamelContext;
import org.slf4j.LoggerFactory;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The Camel Main process the notifier is: {@code ./application.properties} first, the
 * built-in defaults after it, routes from {@code ./routes/}. Tests boot it the same way,
 * with a few properties overridden.
 */
public final class NotifierMain implements AutoCloseable {

    /** The first location wins on a duplicate key, so the operator's file beats the defaults. */
    public static final String PROPERTY_LOCATIONS =
            "file:application.properties;optional=true,classpath:notifier-defaults.properties,classpath:notifier-version.properties";

    private final Main main;
    private final List<AutoCloseable> resources = new ArrayList<>();

    private NotifierMain(Map<String, String> overrides) {
        // no main class: Camel would scan its package and add NotifierConfiguration a second time
        main = new Main();
        main.setPropertyPlaceholderLocations(PROPERTY_LOCATIONS);
        main.configure().addConfiguration(dev.ftnotifier.state.jdbc.StateStoreConfiguration.class); // before: it binds stateStore
        main.configure().addConfiguration(NotifierConfiguration.class);
        main.configure().addConfiguration(dev.ftnotifier.enrich.EnrichConfiguration.class);
        main.configure().addConfiguration(dev.ftnotifier.webhook.WebhookConfiguration.class);
        main.configure().addConfiguration(dev.ftnotifier.observe.ObservabilityConfiguration.class);
        main.configure().addConfiguration(dev.ftnotifier.cluster.ClusterConfiguration.class);
        main.configure().addConfiguration(dev.ftnotifier.recovery.RecoveryConfiguration.class);
        // always a set of override properties, even empty: StartupChecks adds the routes' real folder to it
        // before the routes load, and Camel sees additions only to the set it was given
        main.setOverrideProperties(new Properties());
        overrides.forEach(main::addOverrideProperty);
        if (!overrides.isEmpty()) {
            main.addMainListener(new OverridesWin());
        }
        main.addMainListener(new StartupChecks());
        main.addMainListener(new Schedules());
        main.addMainListener(new dev.ftnotifier.webhook.WebhookSettings());
        main.addMainListener(new dev.ftnotifier.observe.ObserveSettings());
        main.addMainListener(new dev.ftnotifier.cluster.ClusterSettings.Check());
        main.addMainListener(new Announcement());
    }

    /** One line once everything runs, saying what this notifier does. */
    private static final class Announcement extends MainListenerSupport {
        @Override
        public void afterStart(BaseMainSupport main) {
            CamelContext context = main.getCamelContext();
            PropertiesComponent properties = (PropertiesComponent) context.getPropertiesComponent();
            Channels channels = context.getRegistry().lookupByNameAndType("channels", Channels.class);
            String on = channels == null ? "?" : channels.all().stream().filter(ChannelSettings::enabled)
                    .map(ChannelSettings::name).toList().toString();
            StateStore store = context.getRegistry().findSingleByType(StateStore.class);
            LoggerFactory.getLogger("notifier").info(
                    "fine-tuning-notifier {} started: polling {} {}{}, {} configured job(s), discovery {}, channels {}, state in {}",
                    value(properties, "notifier.version"), value(properties, "openai.base-url"),
                    value(properties, "notifier.poll-cron").isEmpty() ? "every " + value(properties, "notifier.poll-interval")
                            : "on cron '" + value(properties, "notifier.poll-cron") + "'",
                    whileLeading(context.getRegistry().findSingleByType(ClusterRole.class)),
                    JobIds.parseList(value(properties, "notifier.jobs"), "notifier.jobs").size(),
                    Boolean.parseBoolean(value(properties, "notifier.discover")) ? "on" : "off", on,
                    store == null || !store.shared() ? value(properties, "notifier.state.dir") : store.toString());
        }

        /** In a cluster only the leader polls: a standby's start line says so, not that it polls. */
        private static String whileLeading(ClusterRole role) {
            if (role == null || role.settings().kind() == ClusterSettings.Kind.NONE) {
                return "";
            }
            return " while this instance leads the cluster (" + role.settings().kind().word() + " election; a standby only waits)";
        }

        private static String value(PropertiesComponent properties, String key) {
            return properties.resolveProperty(key).orElse("").trim();
        }
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

    /**
     * The keys the notifier derives from its settings before the routes load (which schedule
     * routes start, and their crons), for a Camel Main that does not run this class's listeners
     * (Camel Test's). {@code settings} answers a key with its value, or "" when unset.
     */
    public static Map<String, String> derivedSettings(java.util.function.UnaryOperator<String> settings) {
        Map<String, String> derived = new java.util.LinkedHashMap<>(Schedules.derive(settings::apply));
        derived.putAll(dev.ftnotifier.webhook.WebhookSettings.derive(settings));
        derived.putAll(dev.ftnotifier.observe.ObserveSettings.derive(settings));
        return derived;
    }

    /** As an operator runs it: configuration from the working directory and the environment. */
    public static NotifierMain fromWorkingDirectory() {
        return new NotifierMain(Map.of());
    }

    /** With some properties overridden; they win over the file, -D and the environment. */
    public static NotifierMain withOverrides(Map<String, String> overrides) {
        return new NotifierMain(overrides);
    }

    /** Adds a listener to Camel Main's life cycle (a test holding the start at a given step). */
    public NotifierMain listening(org.apache.camel.main.MainListener listener) {
        main.addMainListener(listener);
        return this;
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

    /** Asks {@link #run()} to return: Camel shuts down gracefully, letting in-flight work finish. */
    public void stop() {
        main.completed();
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
