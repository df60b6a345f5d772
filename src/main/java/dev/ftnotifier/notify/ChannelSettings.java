package dev.ftnotifier.notify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One channel instance's switch and filters, from its settings ({@code notifier.<channel>.*}
 * for the built-in file, slack and email, {@code notifier.channel.<name>.*} for the others):
 * a channel is on when its destination is configured, takes the statuses listed ({@code *} =
 * all, including statuses this version does not know), and of those only the jobs its
 * {@link JobFilter} matches.
 *
 * @param name the instance name: in route ids ({@code channel-<name>}), delivery keys and logs
 * @param type slack, email, file or webhook
 */
public record ChannelSettings(String name, String type, boolean enabled, Set<String> statuses, JobFilter filter) {

    /** A channel named after its type, with no job filter. */
    public static ChannelSettings of(String name, String destination, String statusList) {
        return of(name, name, destination, statusList, JobFilter.NONE);
    }

    public static ChannelSettings of(String name, String type, String destination, String statusList, JobFilter filter) {
        return new ChannelSettings(name, type, destination != null && !destination.isBlank(), statuses(statusList), filter);
    }

    private static Set<String> statuses(String statusList) {
        return Arrays.stream(statusList == null ? new String[0] : statusList.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether a notification with this status goes to this channel, before the job filter. */
    public boolean accepts(String status) {
        return enabled && (statuses.contains("*") || statuses.contains(status));
    }

    /**
     * Whether this notification goes to this channel: its status, then its job. (Not an
     * overload of accepts: Camel's bean binding would stumble over the choice.)
     */
    public boolean takes(Notification n) {
        return accepts(n.topic()) && filter.matches(n.job());
    }

    /** The direct endpoint of this instance's route ({@code routes/channel-templates.camel.yaml}). */
    public String endpoint() {
        return "direct:channel-" + name;
    }

    /** For the start-up log: what this channel takes. */
    public String describe() {
        String list = statuses.contains("*") ? "every status" : "statuses " + String.join(",", statuses.stream().sorted().toList());
        return name + " (" + type + ", " + list + (filter.isEmpty() ? "" : ", " + filter.describe()) + ")";
    }
}
