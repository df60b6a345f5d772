package dev.ftnotifier.config;

import java.util.List;
import java.util.Locale;

/**
 * The kinds of channel, each with the route template that sends to it
 * ({@code routes/channel-templates.camel.yaml}) and the settings an instance of it takes
 * after its prefix ({@code notifier.channel.<name>.}, or {@code notifier.<type>.} for the
 * built-in instance of that type). Every type also takes {@code statuses} and the job filters
 * ({@code filter.model}, {@code filter.metadata.<key>}, {@code filter.fine-tuned-model-suffix}).
 */
enum ChannelType {

    // the statuses of file, slack and email: their built-in instance's default (notifier.<type>.statuses)
    FILE("dir", null, List.of("dir")),
    // token + channel instead of webhook-url: the Web API, one thread per job (threads/SlackThreads)
    SLACK("webhook-url", null, List.of("webhook-url", "token", "channel", "server-url")),
    EMAIL("to", null, List.of("to", "from", "smtp-host", "smtp-port", "username", "password")),
    // no built-in webhook instance, so no notifier.webhook.statuses: its default is here only
    WEBHOOK("url", "failed,succeeded,cancelled", List.of("url"));

    /** Settings of every type. */
    static final List<String> COMMON = List.of("statuses", "filter.model", "filter.fine-tuned-model-suffix");
    static final String METADATA_FILTER = "filter.metadata.";
    /** Webhook request headers: {@code header.<Name>}; their values are secrets. */
    static final String HEADER = "header.";

    /** The setting that turns an instance on: its destination. */
    final String destination;
    /** A type without a built-in instance: the statuses of a declared one that sets none. */
    private final String ownDefaultStatuses;
    final List<String> keys;

    ChannelType(String destination, String defaultStatuses, List<String> keys) {
        this.destination = destination;
        this.ownDefaultStatuses = defaultStatuses;
        this.keys = keys;
    }

    /**
     * The statuses of a declared instance (notifier.channel.<name>) that sets none: for a type
     * with a built-in instance, that instance's default in notifier-defaults.properties
     * ({@code notifier.<type>.statuses}), read from the file so the value lives once; an
     * application.properties that changes the built-in instance's statuses does not change it.
     */
    String defaultStatuses() {
        return ownDefaultStatuses != null ? ownDefaultStatuses : Defaults.of("notifier." + id() + ".statuses");
    }

    /**
     * Whether a second send of the same notification writes the same document again (the file
     * channel: same name, same facts) rather than a second message: its deliveries need not wait
     * for the disk ({@code DeliveryStore#rewrittenInPlace}).
     */
    boolean rewritesInPlace() {
        return this == FILE;
    }

    /** As written in settings: file, slack, email, webhook. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The route template that sends to this kind of channel. */
    String sendTemplate() {
        return id() + "-send";
    }

    static ChannelType of(String id) {
        for (ChannelType type : values()) {
            if (type.id().equals(id)) {
                return type;
            }
        }
        return null;
    }
}
