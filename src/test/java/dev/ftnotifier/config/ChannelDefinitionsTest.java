package dev.ftnotifier.config;

import dev.ftnotifier.notify.ChannelSettings;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Channel instances from settings, and the mistakes they refuse. */
class ChannelDefinitionsTest {

    /** The built-in defaults, as notifier-defaults.properties has them. */
    private static Map<String, String> defaults() {
        Map<String, String> s = new HashMap<>();
        s.put("notifier.slack.webhook-url", "");
        s.put("notifier.slack.statuses", "failed,succeeded,cancelled");
        s.put("notifier.email.to", "");
        s.put("notifier.email.from", "fine-tuning-notifier@localhost");
        s.put("notifier.email.smtp-host", "localhost");
        s.put("notifier.email.smtp-port", "25");
        s.put("notifier.email.username", "");
        s.put("notifier.email.password", "");
        s.put("notifier.email.statuses", "failed,succeeded,cancelled");
        s.put("notifier.file.dir", "notifications");
        s.put("notifier.file.statuses", "*");
        s.put("notifier.channel.attempts-per-poll", "3");
        s.put("notifier.channel.open-seconds", "30");
        return s;
    }

    private static ChannelDefinitions read(Map<String, String> settings) {
        return ChannelDefinitions.read(new ChannelDefinitions.Settings() {
            @Override
            public Set<String> keys() {
                return settings.keySet();
            }

            @Override
            public String get(String key) {
                return settings.get(key);
            }
        });
    }

    private static ChannelDefinitions.Definition channel(ChannelDefinitions definitions, String name) {
        return definitions.all().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    private static String refused(Map<String, String> settings) {
        return assertThrows(ConfigurationException.class, () -> read(settings)).getMessage();
    }

    /** The defaults live in notifier-defaults.properties only: a server or sender left blank is refused, not guessed. */
    @Test
    void anEmailChannelWithABlankServerOrSenderIsRefused() {
        for (String key : List.of("smtp-host", "smtp-port", "from")) {
            Map<String, String> s = defaults();
            s.put("notifier.email.to", "team@example.test");
            s.put("notifier.email." + key, " ");
            assertTrue(refused(s).contains("notifier.email." + key + " is empty"), key);
        }
        Map<String, String> s = defaults();
        s.put("notifier.slack.token", "test-token-not-a-secret");
        s.put("notifier.slack.channel", "#ml");
        s.put("notifier.slack.server-url", "");
        assertTrue(refused(s).contains("notifier.slack.server-url is empty"));
        // a declared Slack instance takes Slack's address from notifier.slack.server-url
        s.put("notifier.slack.server-url", "http://127.0.0.1:9/slack");
        s.put("notifier.channel.ops.type", "slack");
        s.put("notifier.channel.ops.token", "test-token-not-a-secret");
        s.put("notifier.channel.ops.channel", "#ops");
        assertEquals("http://127.0.0.1:9/slack", channel(read(s), "ops").value("server-url"));
    }

    @Test
    void theBuiltInChannelsKeepTheirKeysAndComeFirst() {
        Map<String, String> s = defaults();
        s.put("notifier.slack.webhook-url", "https://hooks.slack.com/services/T/B/x");
        ChannelDefinitions definitions = read(s);
        assertEquals(List.of("file", "slack", "email"), definitions.all().stream().map(ChannelDefinitions.Definition::name).toList());
        assertEquals(List.of("file", "slack"), definitions.enabled().stream().map(ChannelDefinitions.Definition::name).toList());
        assertTrue(channel(definitions, "file").settings().accepts("running"));
        assertFalse(channel(definitions, "slack").settings().accepts("running"));
        assertEquals("notifier.email.", channel(definitions, "email").prefix());
    }

    @Test
    void anInstanceIsDeclaredByItsTypeAndGetsItsTypesDefaults() {
        Map<String, String> s = defaults();
        s.put("notifier.channel.zeta.type", "file");
        s.put("notifier.channel.zeta.dir", "/tmp/zeta");
        s.put("notifier.channel.alpha-2.type", "webhook");
        s.put("notifier.channel.alpha-2.url", "https://example.test/hook?sig=abc");
        s.put("notifier.channel.alpha-2.header.Authorization", "Bearer x");
        s.put("notifier.channel.alpha-2.filter.metadata.env", "prod");
        ChannelDefinitions definitions = read(s);
        assertEquals(List.of("file", "slack", "email", "alpha-2", "zeta"),
                definitions.all().stream().map(ChannelDefinitions.Definition::name).toList(), "built-in first, then by name");
        ChannelSettings zeta = channel(definitions, "zeta").settings();
        assertEquals("file", zeta.type());
        assertTrue(zeta.accepts("running"), "a file channel takes every status by default");
        ChannelDefinitions.Definition hook = channel(definitions, "alpha-2");
        assertFalse(hook.settings().accepts("running"), "other types: the terminal statuses");
        assertTrue(hook.settings().accepts("failed"));
        assertEquals(Map.of("Authorization", "Bearer x"), hook.headers());
        assertEquals(Map.of("env", List.of("prod")), hook.settings().filter().metadata());
    }

    /**
     * A declared file, Slack or email instance that sets no statuses takes its type's default from
     * notifier-defaults.properties ({@code notifier.<type>.statuses}), the one owner of that value:
     * not a copy in Java that could drift, and not the built-in instance's value in force (here the
     * settings give slack and email other lists than the file does).
     */
    @Test
    void aDeclaredInstanceTakesItsTypesDefaultStatusesFromTheDefaultsFile() throws Exception {
        java.util.Properties file = new java.util.Properties();
        try (java.io.InputStream in = getClass().getResourceAsStream("/notifier-defaults.properties")) {
            file.load(in);
        }
        Map<String, String> s = defaults();
        s.put("notifier.channel.f2.type", "file");
        s.put("notifier.channel.f2.dir", "/tmp/f2");
        s.put("notifier.channel.s2.type", "slack");
        s.put("notifier.channel.s2.webhook-url", "http://127.0.0.1:9/hook");
        s.put("notifier.channel.e2.type", "email");
        s.put("notifier.channel.e2.to", "e2@example.test");
        ChannelDefinitions definitions = read(s);
        for (String[] declared : List.of(new String[] {"f2", "file"}, new String[] {"s2", "slack"}, new String[] {"e2", "email"})) {
            Set<String> expected = Set.of(file.getProperty("notifier." + declared[1] + ".statuses").trim().split("\\s*,\\s*"));
            assertEquals(expected, channel(definitions, declared[0]).settings().statuses(), declared[0]);
        }
        assertEquals(Set.of("failed", "succeeded", "cancelled"), channel(read(s), "slack").settings().statuses(),
                "the built-in instance takes the value in force");
    }

    @Test
    void aSecondEmailChannelUsesTheFirstOnesServerButTakesItsLoginOnlyToIt() {
        Map<String, String> s = defaults();
        s.put("notifier.email.smtp-host", "smtp.example.test");
        s.put("notifier.email.username", "notifier");
        s.put("notifier.email.password", "pw");
        s.put("notifier.channel.list.type", "email");
        s.put("notifier.channel.list.to", "list@example.test");
        s.put("notifier.channel.other.type", "email");
        s.put("notifier.channel.other.to", "other@example.test");
        s.put("notifier.channel.other.smtp-host", "smtp.elsewhere.test");
        ChannelDefinitions definitions = read(s);
        ChannelDefinitions.Definition list = channel(definitions, "list");
        assertEquals("smtp.example.test", list.value("smtp-host"));
        assertEquals("notifier", list.value("username"));
        assertEquals("pw", list.value("password"));
        ChannelDefinitions.Definition other = channel(definitions, "other");
        assertEquals("smtp.elsewhere.test", other.value("smtp-host"));
        assertEquals("25", other.value("smtp-port"));
        assertEquals("", other.value("username"), "the login is not sent to another server");
        assertEquals("", other.value("password"));
    }

    @Test
    void anInstanceWithoutItsDestinationIsOff() {
        Map<String, String> s = defaults();
        s.put("notifier.channel.later.type", "slack");
        s.put("notifier.channel.later.webhook-url", "");
        assertFalse(channel(read(s), "later").settings().enabled());
    }

    @Test
    void mistakesNameTheSettingAndNeverASecret() {
        Map<String, String> s = defaults();
        s.put("notifier.channel.feed.webhook-url", "https://hooks.slack.com/services/T/B/secret-1");
        assertTrue(refused(s).contains("notifier.channel.feed.type"));

        s.put("notifier.channel.feed.type", "teams");
        assertTrue(refused(s).contains("one of file, slack, email, webhook, not 'teams'"));

        s.put("notifier.channel.feed.type", "slack");
        s.put("notifier.channel.feed.filter.metdata.env", "prod");
        assertTrue(refused(s).contains("notifier.channel.feed.filter.metdata.env"));
        s.remove("notifier.channel.feed.filter.metdata.env");

        s.put("notifier.channel.feed.header.Authorization", "Bearer x");
        assertTrue(refused(s).contains("notifier.channel.feed.header.Authorization"), "headers are for webhooks");
        s.remove("notifier.channel.feed.header.Authorization");

        s.put("notifier.email.filter.env", "prod");
        assertTrue(refused(s).contains("notifier.email.filter.env"), "the built-in channels' filters are checked too");
        s.remove("notifier.email.filter.env");

        Map<String, String> named = defaults();
        named.put("notifier.channel.ML_Feed.type", "slack");
        assertTrue(refused(named).contains("lower-case"));
        Map<String, String> builtIn = defaults();
        builtIn.put("notifier.channel.slack.type", "slack");
        assertTrue(refused(builtIn).contains("built-in"));

        Map<String, String> hook = defaults();
        hook.put("notifier.channel.hook.type", "webhook");
        hook.put("notifier.channel.hook.url", "ftp://user:secret-2@example.test/x");
        String message = refused(hook);
        assertTrue(message.contains("notifier.channel.hook.url"), message);
        assertFalse(message.contains("secret-2"), message);

        hook.put("notifier.channel.hook.url", "https://example.test/x");
        hook.put("notifier.channel.hook.header.X-Key", "a\r\nInjected: yes");
        assertTrue(refused(hook).contains("line break"));
        hook.remove("notifier.channel.hook.header.X-Key");
        hook.put("notifier.channel.hook.header.Bad Name", "x");
        assertTrue(refused(hook).contains("header"));
        hook.remove("notifier.channel.hook.header.Bad Name");
        hook.put("notifier.channel.hook.header.CamelHttpUri", "https://elsewhere.test");
        assertTrue(refused(hook).contains("CamelHttpUri"));
    }

    @Test
    void theChannelWideSettingsAreNotInstances() {
        assertEquals(3, read(defaults()).all().size());
    }
}
