package dev.ftnotifier.observe;

import dev.ftnotifier.config.ConfigurationException;
import dev.ftnotifier.config.JobIds;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The notifier's operations settings mapped onto Camel's, before Camel Main configures itself:
 * {@code notifier.management.port}/{@code host} become Camel Main's management server
 * ({@code camel.management.*}: health checks on /observe/health, Prometheus on /observe/metrics;
 * port 0 leaves it off), and {@code notifier.self-alert.after} the self-alert route's switch and
 * period ({@code notifier.schedule.self-alert.*}, read by routes/self-alert.camel.yaml).
 * Nothing here binds the public platform-http server ({@code camel.server.*}).
 */
public final class ObserveSettings extends MainListenerSupport {

    public static final String PORT = "notifier.management.port";
    public static final String HOST = "notifier.management.host";
    public static final String AFTER = "notifier.self-alert.after";
    public static final String LOG_FORMAT = "notifier.log.format";

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        derive(key -> properties.resolveProperty(key).orElse("")).forEach(properties::addOverrideProperty);
    }

    /** The Camel keys derived from the notifier's; {@code settings} answers a key with its value, or "" when unset. */
    public static Map<String, String> derive(UnaryOperator<String> settings) {
        Map<String, String> derived = new LinkedHashMap<>();
        int port = port(settings.apply(PORT).trim());
        String host = settings.apply(HOST).trim();
        if (port > 0) {
            if (host.isEmpty()) {
                throw new ConfigurationException(HOST + " is empty: give the address the management server binds"
                        + " (0.0.0.0 for every interface), or set " + PORT + "=0 to turn it off");
            }
            derived.put("camel.management.enabled", "true");
            derived.put("camel.management.host", host);
            derived.put("camel.management.port", String.valueOf(port));
            derived.put("camel.management.health-check-enabled", "true");
            derived.put("camel.management.metrics-enabled", "true");
            derived.put("camel.metrics.enabled", "true");
            // route metrics only: the per-endpoint timers would add a cost to every send, and label series with
            // endpoint URIs (a mail recipient, a folder)
            derived.put("camel.metrics.enable-exchange-event-notifier", "false");
            derived.put("camel.health.exposure-level", "full");
            // Camel's context check is DOWN for liveness while starting and stopping too: the
            // notifier's lifecycle check (ContextHealthCheck) takes its place
            derived.put("camel.health.exclude-pattern", "context");
        }
        long after = afterMillis(settings.apply(AFTER).trim());
        derived.put("notifier.schedule.self-alert.on", String.valueOf(after > 0));
        // checked often enough that an episode is told within a fifth of its threshold (1 s to 1 min)
        derived.put("notifier.schedule.self-alert.period", String.valueOf(Math.max(1000, Math.min(60_000, after / 5))));
        String format = settings.apply(LOG_FORMAT).trim();
        if (!format.isEmpty() && !format.equals("text") && !format.equals("json")) {
            throw new ConfigurationException(LOG_FORMAT + " must be text or json, not '" + JobIds.printable(format) + "'");
        }
        if (format.equals("json")) {
            // Camel's MDC (camel.routeId): the route of each JSON log line
            derived.put("camel.main.use-mdc-logging", "true");
        }
        return derived;
    }

    static int port(String value) {
        try {
            int port = value.isEmpty() ? 0 : Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(PORT + " must be a port number (0 = off), not '" + JobIds.printable(value) + "'");
        }
    }

    public static long afterMillis(String value) {
        try {
            long millis = value.isEmpty() || value.equals("0") ? 0 : TimeUtils.toMilliSeconds(value);
            if (millis < 0) {
                throw new IllegalArgumentException();
            }
            return millis;
        } catch (RuntimeException e) {
            throw new ConfigurationException(AFTER + " must be a duration (15m, 1h; 0 = off), not '" + JobIds.printable(value) + "'");
        }
    }
}
