package dev.ftnotifier.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every setting the notifier reads is documented in the README and listed in application.properties. */
class DocumentedKeysTest {

    private static List<String> notifierKeys() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = DocumentedKeysTest.class.getResourceAsStream("/notifier-defaults.properties")) {
            defaults.load(in);
        }
        return defaults.stringPropertyNames().stream().filter(k -> !k.startsWith("camel.")).sorted().toList();
    }

    @Test
    void everyKeyIsInTheReadmeTable() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<String> missing = notifierKeys().stream()
                .filter(k -> !k.equals("notifier.demo") && !k.equals("notifier.version"))
                .filter(k -> !readme.contains("| `" + k + "`")).toList();
        assertEquals(List.of(), missing, "keys without a row in README.md's configuration table");
    }

    /** Settings of notifier.channel.<name>, documented as a pattern: one row per setting. */
    @Test
    void everyChannelInstanceSettingIsInTheReadmeTable() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        java.util.Set<String> settings = new java.util.TreeSet<>(List.of("type", "filter.metadata.<key>", "header.<Name>"));
        settings.addAll(ChannelType.COMMON);
        for (ChannelType type : ChannelType.values()) {
            settings.addAll(type.keys);
        }
        List<String> missing = settings.stream().map(k -> "notifier.channel.<name>." + k)
                .filter(k -> !readme.contains("| `" + k + "`")).toList();
        assertEquals(List.of(), missing, "channel settings without a row in README.md's configuration table");
    }

    @Test
    void everyKeyIsListedInApplicationProperties() throws IOException {
        String file = Files.readString(Path.of("application.properties"));
        List<String> missing = notifierKeys().stream()
                .filter(k -> !k.equals("notifier.demo") && !k.equals("notifier.version"))
                .filter(k -> !file.contains(k + " =")).toList();
        assertEquals(List.of(), missing, "keys not listed in application.properties");
    }
}
