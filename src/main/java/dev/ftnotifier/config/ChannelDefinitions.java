package dev.ftnotifier.config;

import dev.ftnotifier.notify.ChannelSettings;
import dev.ftnotifier.notify.JobFilter;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The channel instances, read from the settings: the built-in {@code file}, {@code slack} and
 * {@code email} from {@code notifier.file.*}, {@code notifier.slack.*} and
 * {@code notifier.email.*} (their keys as they always were), then one instance per name
 * declared with {@code notifier.channel.<name>.type}, in name order. Every mistake an operator
 * can make here (an unknown type or key, a bad name, a header that could split a request) stops
 * the start with a line naming the setting; a secret's value is never part of that line.
 */
public final class ChannelDefinitions {

    static final String DECLARED = "notifier.channel.";
    static final List<String> BUILT_IN = List.of("file", "slack", "email");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    /** An HTTP header name (RFC 9110 token). */
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

    /** The settings as Camel resolves them. */
    public interface Settings {
        /** Every key set in a properties file, an override or a system property. */
        Set<String> keys();

        /** The value (placeholders and environment variables resolved), or null when the key is not set. */
        String get(String key);
    }

    /**
     * One instance.
     *
     * @param prefix  where its settings are: {@code notifier.channel.<name>.} or {@code notifier.<type>.}
     * @param values  its type's settings ({@link ChannelType#keys}), defaults applied; missing when not set
     * @param headers webhook request headers, in the order of their names
     */
    public record Definition(ChannelSettings settings, ChannelType type, String prefix,
                             Map<String, String> values, Map<String, String> headers) {

        public String name() {
            return settings.name();
        }

        public String value(String key) {
            return values.getOrDefault(key, "");
        }

        /** A Slack instance with a bot token and a channel and no webhook URL posts in threads. */
        public boolean slackThreads() {
            return type == ChannelType.SLACK && value("webhook-url").isEmpty() && !value("token").isEmpty();
        }
    }

    private final List<Definition> definitions;

    private ChannelDefinitions(List<Definition> definitions) {
        this.definitions = List.copyOf(definitions);
    }

    public List<Definition> all() {
        return definitions;
    }

    public List<Definition> enabled() {
        return definitions.stream().filter(d -> d.settings().enabled()).toList();
    }

    public List<ChannelSettings> settings() {
        return definitions.stream().map(Definition::settings).toList();
    }

    public static ChannelDefinitions read(Settings settings) {
        List<Definition> definitions = new ArrayList<>();
        for (String name : BUILT_IN) {
            definitions.add(define(settings, name, ChannelType.of(name), "notifier." + name + ".", true));
        }
        for (String name : declaredNames(settings.keys())) {
            String prefix = DECLARED + name + ".";
            if (BUILT_IN.contains(name)) {
                throw new ConfigurationException(prefix + "* : '" + name + "' is a built-in channel, set with notifier." + name
                        + ".*; give the new channel another name");
            }
            if (!NAME.matcher(name).matches()) {
                throw new ConfigurationException(prefix + "* : a channel name is lower-case letters, digits and single"
                        + " hyphens (it names routes and components), not '" + JobIds.printable(name) + "'");
            }
            String typeId = blankToNull(settings.get(prefix + "type"));
            if (typeId == null) {
                throw new ConfigurationException(prefix + "type is not set: say which kind of channel '" + name
                        + "' is (" + typeList() + ")");
            }
            ChannelType type = ChannelType.of(typeId.trim());
            if (type == null) {
                throw new ConfigurationException(prefix + "type must be one of " + typeList() + ", not '"
                        + JobIds.printable(typeId) + "'");
            }
            definitions.add(define(settings, name, type, prefix, false));
        }
        return new ChannelDefinitions(definitions);
    }

    /** Names in {@code notifier.channel.<name>.<setting>}; the channel-wide keys (attempts-per-poll) have no setting part. */
    private static Set<String> declaredNames(Set<String> keys) {
        Set<String> names = new TreeSet<>();
        for (String key : keys) {
            if (key.startsWith(DECLARED)) {
                String rest = key.substring(DECLARED.length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    names.add(rest.substring(0, dot));
                }
            }
        }
        return names;
    }

    private static Definition define(Settings settings, String name, ChannelType type, String prefix, boolean builtIn) {
        Set<String> keys = settings.keys().stream().filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(prefix.length())).collect(Collectors.toCollection(TreeSet::new));
        for (String key : keys) {
            boolean known = type.keys.contains(key) || ChannelType.COMMON.contains(key)
                    || (key.startsWith(ChannelType.METADATA_FILTER) && key.length() > ChannelType.METADATA_FILTER.length())
                    || (type == ChannelType.WEBHOOK && key.startsWith(ChannelType.HEADER) && key.length() > ChannelType.HEADER.length())
                    || (!builtIn && key.equals("type"));
            // the built-in channels have always had keys of their own; only their filters are checked
            boolean checked = !builtIn || key.startsWith("filter.");
            if (checked && !known) {
                throw new ConfigurationException("unknown setting " + prefix + key + " (a " + type.id() + " channel takes "
                        + knownKeys(type, builtIn) + ")");
            }
        }

        Map<String, String> values = new LinkedHashMap<>();
        for (String key : type.keys) {
            String value = settings.get(prefix + key);
            if (value == null && !builtIn && type == ChannelType.EMAIL) {
                value = inheritedEmailSetting(settings, prefix, key);
            }
            if (value == null && !builtIn && type == ChannelType.SLACK && key.equals("server-url")) {
                value = settings.get("notifier.slack.server-url"); // Slack's address, one default for every Slack channel
            }
            if (value != null && !value.isBlank()) {
                values.put(key, value.trim());
            }
        }
        String statuses = settings.get(prefix + "statuses");
        if (statuses == null) {
            statuses = type.defaultStatuses();
        }
        Map<String, List<String>> metadata = new TreeMap<>();
        for (String key : keys) {
            if (key.startsWith(ChannelType.METADATA_FILTER)) {
                List<String> wanted = JobFilter.values(settings.get(prefix + key));
                if (!wanted.isEmpty()) {
                    metadata.put(key.substring(ChannelType.METADATA_FILTER.length()), wanted);
                }
            }
        }
        JobFilter filter = new JobFilter(JobFilter.values(settings.get(prefix + "filter.model")), metadata,
                JobFilter.values(settings.get(prefix + "filter.fine-tuned-model-suffix")));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String key : keys) {
            if (type == ChannelType.WEBHOOK && key.startsWith(ChannelType.HEADER)) {
                String header = key.substring(ChannelType.HEADER.length());
                String value = settings.get(prefix + key);
                if (!HEADER_NAME.matcher(header).matches() || header.regionMatches(true, 0, "Camel", 0, 5)) {
                    throw new ConfigurationException(prefix + key + ": '" + JobIds.printable(header) + "' is not a header"
                            + " name that can be sent (letters, digits and !#$%&'*+.^_`|~- ; not Camel...)");
                }
                if (value != null && value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                    throw new ConfigurationException(prefix + key + " contains a line break or another control character");
                }
                if (value != null && !value.isBlank()) {
                    headers.put(header, value.trim());
                }
            }
        }

        String destination = values.get(type.destination);
        if (type == ChannelType.SLACK && destination == null && values.containsKey("token") && values.containsKey("channel")) {
            destination = "chat.postMessage"; // a Slack app's bot token: threads (threads/SlackThreads)
        }
        ChannelSettings channel = ChannelSettings.of(name, type.id(), destination, statuses, filter);
        if (channel.enabled()) {
            check(type, prefix, values);
        }
        return new Definition(channel, type, prefix, values, headers);
    }

    /**
     * A second email channel uses the first one's server unless told otherwise; its credentials
     * only go with it, never to another server.
     */
    private static String inheritedEmailSetting(Settings settings, String prefix, String key) {
        return switch (key) {
            case "from", "smtp-host", "smtp-port" -> settings.get("notifier.email." + key);
            case "username", "password" -> blankToNull(settings.get(prefix + "smtp-host")) == null
                    ? settings.get("notifier.email." + key) : null;
            default -> null;
        };
    }

    private static void check(ChannelType type, String prefix, Map<String, String> values) {
        if (type == ChannelType.WEBHOOK) {
            // the URL is a secret: the message names the setting, never its value
            URI uri;
            try {
                uri = URI.create(values.get("url"));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(prefix + "url is not a valid URL");
            }
            if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))
                    || uri.getHost() == null) {
                throw new ConfigurationException(prefix + "url must be an absolute http:// or https:// URL");
            }
        }
        if (type == ChannelType.SLACK && values.containsKey("webhook-url") && !values.get("webhook-url").matches("(?i)https?://\\S+")) {
            throw new ConfigurationException(prefix + "webhook-url must be an http:// or https:// URL");
        }
        if (type == ChannelType.SLACK && values.containsKey("token") && !values.containsKey("server-url")) {
            throw new ConfigurationException(prefix + "server-url is empty: a Slack channel with a token needs Slack's address");
        }
        if (type == ChannelType.EMAIL) {
            // the server and the sender default to notifier.email.* (notifier-defaults.properties): one left blank is refused
            for (String key : List.of("smtp-host", "smtp-port", "from")) {
                if (!values.containsKey(key)) {
                    throw new ConfigurationException(prefix + key + " is empty: an email channel needs its " + key);
                }
            }
            String port = values.get("smtp-port");
            if (!port.matches("[0-9]{1,5}")) {
                throw new ConfigurationException(prefix + "smtp-port must be a port number, not '" + JobIds.printable(port) + "'");
            }
        }
    }

    private static String knownKeys(ChannelType type, boolean builtIn) {
        List<String> keys = new ArrayList<>();
        if (!builtIn) {
            keys.add("type");
            keys.addAll(type.keys);
            keys.add("statuses");
        }
        keys.addAll(List.of("filter.model", "filter.metadata.<key>", "filter.fine-tuned-model-suffix"));
        if (type == ChannelType.WEBHOOK) {
            keys.add("header.<Name>");
        }
        return String.join(", ", keys);
    }

    private static String typeList() {
        return Arrays.stream(ChannelType.values()).map(ChannelType::id).collect(Collectors.joining(", "));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
