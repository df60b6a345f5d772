package dev.ftnotifier.webhook;

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
 * Turns the webhook receiver on or off before the routes load: on exactly when
 * {@code openai.webhook-secret} is set. Derives {@code notifier.webhook.on} (the receiving
 * route's autoStartup) and Camel Main's HTTP server keys ({@code camel.server.enabled, host, port,
 * max-body-size}) from {@code notifier.webhook.*}, so the server is never started, nor a port
 * bound, without a secret. Only {@code camel.server.*} is set here; the management server
 * ({@code camel.management.*}) is another owner's.
 */
public final class WebhookSettings extends MainListenerSupport {

    /** A verified event is a few hundred bytes; anything over this is answered 413 before it is read whole. */
    public static final long MAX_BODY_BYTES = 1L << 20;

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        derive(key -> properties.resolveProperty(key).orElse("")).forEach(main::addOverrideProperty);
    }

    /** The derived keys; {@code settings} answers a key with its value, or "" when unset. */
    public static Map<String, String> derive(UnaryOperator<String> settings) {
        boolean on = !settings.apply("openai.webhook-secret").isBlank();
        Map<String, String> derived = new LinkedHashMap<>();
        derived.put("notifier.webhook.on", String.valueOf(on));
        derived.put("camel.server.enabled", String.valueOf(on));
        if (!on) {
            return derived;
        }
        // refuses a malformed secret now, naming the key and never the value
        WebhookVerifier.parseSecrets(settings.apply("openai.webhook-secret"));
        String port = settings.apply("notifier.webhook.port").trim();
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new ConfigurationException("notifier.webhook.port must be a port number, not '" + JobIds.printable(port) + "'");
        }
        String path = settings.apply("notifier.webhook.path").trim();
        if (!path.matches("/[A-Za-z0-9/_.~-]*")) {
            throw new ConfigurationException("notifier.webhook.path must start with / and hold only letters, digits and / _ . ~ -, not '"
                    + JobIds.printable(path) + "'");
        }
        tolerance(settings.apply("notifier.webhook.tolerance"));
        derived.put("camel.server.host", settings.apply("notifier.webhook.host").trim());
        derived.put("camel.server.port", port);
        derived.put("camel.server.max-body-size", String.valueOf(MAX_BODY_BYTES));
        // a public endpoint that takes JSON: no multipart upload is ever written to disk
        derived.put("camel.server.file-upload-enabled", "false");
        return derived;
    }

    static long tolerance(String value) {
        try {
            long millis = TimeUtils.toMilliSeconds(value.trim());
            if (millis < 1000) {
                throw new IllegalArgumentException("too short");
            }
            return millis;
        } catch (RuntimeException e) {
            throw new ConfigurationException("notifier.webhook.tolerance must be a duration of at least 1s (5m, 300s), not '"
                    + JobIds.printable(value) + "'");
        }
    }
}
