package dev.ftnotifier.webhook;

import dev.ftnotifier.config.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which Camel Main HTTP server keys the webhook settings make, and what they refuse, never printing a secret. */
class WebhookSettingsTest {

    private static Map<String, String> settings(String secret) {
        Map<String, String> s = new HashMap<>(Map.of("openai.webhook-secret", secret, "notifier.webhook.port", "8088",
                "notifier.webhook.host", "0.0.0.0", "notifier.webhook.path", "/webhooks/openai", "notifier.webhook.tolerance", "5m"));
        return s;
    }

    @Test
    void withoutASecretTheServerStaysOffAndNoPortIsSet() {
        Map<String, String> derived = WebhookSettings.derive(k -> settings("").getOrDefault(k, ""));
        assertEquals(Map.of("notifier.webhook.on", "false", "camel.server.enabled", "false"), derived);
    }

    @Test
    void withASecretTheServerListensWhereTheWebhookKeysSay() {
        Map<String, String> derived = WebhookSettings.derive(k -> settings(Events.SECRET).getOrDefault(k, ""));
        assertEquals("true", derived.get("camel.server.enabled"));
        assertEquals("8088", derived.get("camel.server.port"));
        assertEquals("0.0.0.0", derived.get("camel.server.host"));
        assertEquals(String.valueOf(1 << 20), derived.get("camel.server.max-body-size"));
        assertEquals("false", derived.get("camel.server.file-upload-enabled"));
    }

    @Test
    void aMalformedSettingStopsTheStartNamingTheKeyAndNeverTheSecret() {
        String badSecret = "whsec_not*base64*test-secret-7k";
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> WebhookSettings.derive(k -> settings(badSecret).getOrDefault(k, "")));
        assertTrue(e.getMessage().contains("openai.webhook-secret"), e.getMessage());
        assertFalse(e.getMessage().contains("test-secret-7k"), e.getMessage());
        String three = Events.SECRET + "," + Events.RAW_SECRET + ",third-secret-8m";
        e = assertThrows(ConfigurationException.class, () -> WebhookSettings.derive(k -> settings(three).getOrDefault(k, "")));
        assertFalse(e.getMessage().contains("third-secret-8m") || e.getMessage().contains(Events.RAW_SECRET), e.getMessage());
        for (String[] bad : new String[][] {{"notifier.webhook.port", "80a"}, {"notifier.webhook.path", "webhooks"},
                {"notifier.webhook.tolerance", "soon"}}) {
            Map<String, String> s = settings(Events.SECRET);
            s.put(bad[0], bad[1]);
            e = assertThrows(ConfigurationException.class, () -> WebhookSettings.derive(k -> s.getOrDefault(k, "")));
            assertTrue(e.getMessage().startsWith(bad[0]), e.getMessage());
        }
    }
}
