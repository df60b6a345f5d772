package dev.ftnotifier.config;

import org.apache.camel.PropertyInject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every setting the notifier reads is documented in the README and listed in application.properties,
 * and its default VALUE has one owner, src/main/resources/notifier-defaults.properties: the README's
 * default column and application.properties' commented value are checked against it, and so is which
 * keys are secrets (marked {@code # secret} on the line above the key there).
 */
class DocumentedKeysTest {

    private static final Pattern ENV_DEFAULT = Pattern.compile("\\{\\{env:[A-Z_]+:(.*)}}");
    private static final Pattern README_ROW = Pattern.compile("^\\| `([^`]+)` \\| (.*) \\| (.*) \\|$");
    private static final Pattern COMMENTED_KEY = Pattern.compile("^# ([a-z][a-zA-Z0-9.<>_-]*) =\\s?(.*)$");

    private static Properties defaults() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = DocumentedKeysTest.class.getResourceAsStream("/notifier-defaults.properties")) {
            defaults.load(in);
        }
        return defaults;
    }

    private static List<String> notifierKeys() throws IOException {
        return defaults().stringPropertyNames().stream().filter(k -> !k.startsWith("camel.")).sorted().toList();
    }

    /** The default as a user sees it: {@code {{env:OPENAI_ORG_ID:}}} is its fallback, here empty. */
    private static String defaultValue(Properties defaults, String key) {
        String value = defaults.getProperty(key).trim();
        Matcher env = ENV_DEFAULT.matcher(value);
        return env.matches() ? env.group(1) : value;
    }

    /** The README's "Configuration" section, where its tables of keys are. */
    private static String configurationSection() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Configuration\n");
        return readme.substring(start, readme.indexOf("\n## ", start + 1));
    }

    /** The README configuration table's rows: key to default cell. */
    static Map<String, String> readmeDefaults(String readme) {
        Map<String, String> rows = new TreeMap<>();
        for (String line : readme.lines().toList()) {
            Matcher row = README_ROW.matcher(line);
            if (row.matches()) {
                rows.put(row.group(1), row.group(3).trim());
            }
        }
        return rows;
    }

    /**
     * What a README default cell says the value is: the first {@code `literal`}, or empty for a cell
     * that starts with "empty" or "none"; null when it says neither.
     */
    static String readmeValue(String cell) {
        if (cell.startsWith("empty") || cell.startsWith("none")) {
            return "";
        }
        if (cell.startsWith("`")) {
            int end = cell.indexOf('`', 1);
            return end < 0 ? null : cell.substring(1, end);
        }
        return null;
    }

    @Test
    void theReadmesDefaultsAreTheDefaultsFilesValues() throws IOException {
        Properties defaults = defaults();
        Map<String, String> readme = readmeDefaults(configurationSection());
        List<String> drifted = new ArrayList<>();
        for (String key : notifierKeys()) {
            String cell = readme.get(key);
            if (cell == null) {
                continue; // everyKeyIsInTheReadmeTable says so
            }
            String documented = readmeValue(cell);
            if (!defaultValue(defaults, key).equals(documented)) {
                drifted.add(key + ": README says " + cell + ", notifier-defaults.properties '" + defaultValue(defaults, key) + "'");
            }
        }
        assertEquals(List.of(), drifted, "README.md's default column differs from notifier-defaults.properties");
    }

    @Test
    void applicationPropertiesShowsTheDefaultsFilesValues() throws IOException {
        Properties defaults = defaults();
        Map<String, String> shown = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("application.properties"))) {
            Matcher m = COMMENTED_KEY.matcher(line);
            if (m.matches()) {
                shown.putIfAbsent(m.group(1), m.group(2).trim());
            }
        }
        List<String> drifted = new ArrayList<>();
        for (String key : notifierKeys()) {
            String value = shown.get(key);
            if (value != null && !value.equals(defaultValue(defaults, key))) {
                drifted.add(key + ": application.properties shows '" + value + "', notifier-defaults.properties '"
                        + defaultValue(defaults, key) + "'");
            }
        }
        assertEquals(List.of(), drifted, "application.properties' commented values differ from notifier-defaults.properties");
    }

    /**
     * The configuration classes read every key they inject from the defaults file (or from the settings
     * NotifierMain derives from it before the routes load) and write no default of their own.
     */
    @Test
    void theConfigurationClassesHaveNoDefaultsOfTheirOwn() throws IOException {
        Properties defaults = defaults();
        Set<String> known = new TreeSet<>(defaults.stringPropertyNames());
        known.addAll(NotifierMain.derivedSettings(k -> defaults.getProperty(k, "")).keySet());
        known.add("notifier.version"); // notifier-version.properties, filled in by the build
        List<Class<?>> all = List.of(NotifierConfiguration.class, dev.ftnotifier.webhook.WebhookConfiguration.class,
                dev.ftnotifier.enrich.EnrichConfiguration.class, dev.ftnotifier.observe.ObservabilityConfiguration.class,
                dev.ftnotifier.recovery.RecoveryConfiguration.class, dev.ftnotifier.state.jdbc.StateStoreConfiguration.class,
                dev.ftnotifier.cluster.ClusterConfiguration.class);
        List<String> problems = new ArrayList<>();
        for (Class<?> type : all) {
            for (Field field : type.getDeclaredFields()) {
                PropertyInject inject = field.getAnnotation(PropertyInject.class);
                if (inject == null) {
                    continue;
                }
                if (!known.contains(inject.value())) {
                    problems.add(type.getSimpleName() + "." + field.getName() + ": " + inject.value() + " is not in notifier-defaults.properties");
                }
                if (!inject.defaultValue().isEmpty()) {
                    problems.add(type.getSimpleName() + "." + field.getName() + ": a default of its own, '" + inject.defaultValue() + "'");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The keys marked {@code # secret} in the defaults file are those the README calls a secret. */
    @Test
    void secretsAreMarkedInTheDefaultsFileAndTheReadmeAlike() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/main/resources/notifier-defaults.properties"));
        Set<String> marked = new TreeSet<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i - 1).trim().equals("# secret")) {
                marked.add(lines.get(i).split("=", 2)[0].trim());
            }
        }
        String readme = configurationSection();
        Set<String> called = new TreeSet<>();
        for (String line : readme.lines().toList()) {
            Matcher row = README_ROW.matcher(line);
            if (row.matches() && !row.group(1).startsWith("notifier.channel.<name>") && row.group(2).contains("a secret")) {
                called.add(row.group(1));
            }
        }
        assertFalse(marked.isEmpty(), "no key is marked # secret");
        assertEquals(called, marked, "keys the README calls a secret vs keys marked # secret in notifier-defaults.properties");
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
