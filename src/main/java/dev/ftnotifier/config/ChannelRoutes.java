package dev.ftnotifier.config;

import dev.ftnotifier.notify.ChannelSettings;
import dev.ftnotifier.notify.WebhookRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import dev.ftnotifier.threads.SlackThreads;
import dev.ftnotifier.threads.ThreadStore;
import org.apache.camel.component.slack.SlackComponent;
import java.nio.file.Path;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.RouteTemplateParameterSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes each channel instance that is on into two routes, from the templates in
 * {@code routes/channel-templates.camel.yaml}: {@code channel-<name>} (template {@code channel}:
 * filters, exactly once, retries) and {@code send-<name>} (template {@code <type>-send}: one
 * delivery behind the instance's own circuit breaker). Camel reads this
 * {@link RouteTemplateParameterSource} from the registry when the context starts.
 *
 * <p>The secrets stay out of the templates' parameters and out of every endpoint URI: a Slack
 * instance posts through its own Slack component ({@code slack-<name>}, holding the webhook
 * URL), an email instance through its own mail component ({@code smtp-<name>}, holding the
 * SMTP login), a webhook instance through {@code webhook-<name>}, which puts URL and headers
 * on each request.
 */
final class ChannelRoutes implements RouteTemplateParameterSource {

    private static final Logger LOG = LoggerFactory.getLogger("channels");

    private final Map<String, Map<String, Object>> routes = new LinkedHashMap<>();

    private ChannelRoutes(ChannelDefinitions channels) {
        for (ChannelDefinitions.Definition channel : channels.enabled()) {
            String name = channel.name();
            routes.put("channel-" + name, Map.of(TEMPLATE_ID, "channel", "name", name));
            Map<String, Object> send = new HashMap<>();
            send.put(TEMPLATE_ID, channel.slackThreads() ? "slack-thread-send" : channel.type().sendTemplate());
            send.put("name", name);
            switch (channel.type()) {
                case FILE -> send.put("dir", channel.value("dir"));
                case EMAIL -> {
                    // never blank: ChannelDefinitions refused that (defaults: notifier.email.*)
                    send.put("smtp-host", channel.value("smtp-host"));
                    send.put("smtp-port", channel.value("smtp-port"));
                    send.put("from", channel.value("from"));
                    send.put("to", channel.value("to"));
                }
                default -> {
                    // slack and webhook: everything they need is secret, on their own beans
                }
            }
            routes.put("send-" + name, send);
        }
    }

    /** Binds each instance's beans and this source of routes, and says in the log which channels are on. */
    static void install(CamelContext context, ChannelDefinitions channels, String userAgent) {
        Registry registry = context.getRegistry();
        for (ChannelDefinitions.Definition channel : channels.enabled()) {
            switch (channel.type()) {
                case SLACK -> {
                    if (channel.slackThreads()) {
                        bindSlackThreads(context, channel);
                        continue;
                    }
                    SlackComponent slack = new SlackComponent();
                    slack.setWebhookUrl(channel.value("webhook-url"));
                    registry.bind("slack-" + channel.name(), slack);
                }
                case EMAIL -> registry.bind("smtp-" + channel.name(), mailComponent(channel));
                case WEBHOOK -> registry.bind("webhook-" + channel.name(),
                        new WebhookRequest(channel.value("url"), channel.headers(), userAgent));
                case FILE -> {
                    // the file component needs nothing of its own
                }
            }
        }
        // Camel Main may configure twice; say it once
        boolean first = registry.lookupByName("channelRoutes") == null;
        ChannelRoutes source = new ChannelRoutes(channels);
        registry.bind("channelRoutes", RouteTemplateParameterSource.class, source);
        if (first) {
            LOG.info("channels: {}", describe(channels));
            // these routes are in no file: name them and their templates, so the log says what runs
            LOG.info("channel routes, made from the templates in routes/channel-templates: {}", source.describe());
        }
    }

    /** The instance's Web API poster {@code slackThreads-<name>}, its threads kept in the state folder. */
    private static void bindSlackThreads(CamelContext context, ChannelDefinitions.Definition channel) {
        String stateDir = context.getPropertiesComponent().resolveProperty("notifier.state.dir").orElseThrow();
        String server = channel.value("server-url"); // notifier.slack.server-url unless the instance sets its own
        ThreadStore store = new ThreadStore(Path.of(stateDir, "slack-threads-" + channel.name() + ".txt"));
        context.getRegistry().bind("slackThreads-" + channel.name(),
                new SlackThreads(server, channel.value("token"), channel.value("channel"), store));
    }

    /**
     * The instance's own SMTP component. Its scheme is {@code smtp-<name>}, so camel-mail is told
     * the protocol instead of reading it from the scheme. AUTH only when a username is set (an
     * empty one would still make camel-mail log in).
     */
    private static MailComponent mailComponent(ChannelDefinitions.Definition channel) {
        MailConfiguration mail = new MailConfiguration();
        mail.setIgnoreUriScheme(true);
        mail.configureProtocol("smtp");
        String username = channel.value("username");
        if (!username.isBlank()) {
            mail.setUsername(username);
            mail.setPassword(channel.value("password"));
        }
        return new MailComponent(mail);
    }

    /** Each generated route with the template it comes from: {@code channel-slack (template channel), send-slack (template slack-send)}. */
    private String describe() {
        List<String> parts = new ArrayList<>();
        routes.forEach((id, parameters) -> parts.add(id + " (template " + parameters.get(TEMPLATE_ID) + ")"));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static String describe(ChannelDefinitions channels) {
        List<String> parts = new ArrayList<>();
        for (ChannelDefinitions.Definition channel : channels.all()) {
            ChannelSettings settings = channel.settings();
            if (settings.enabled()) {
                parts.add(settings.describe());
            } else {
                parts.add(settings.name() + " off (" + channel.prefix() + channel.type().destination + " not set)");
            }
        }
        return String.join(", ", parts);
    }

    @Override
    public Set<String> routeIds() {
        return new LinkedHashSet<>(routes.keySet());
    }

    @Override
    public Map<String, Object> parameters(String routeId) {
        // Camel removes the template id from what it gets
        return new HashMap<>(routes.get(routeId));
    }
}
