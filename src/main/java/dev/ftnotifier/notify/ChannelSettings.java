package dev.ftnotifier.notify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One channel's switch and status filter, from {@code notifier.<channel>.*}: a channel is on
 * when its destination is configured, and takes the statuses listed ({@code *} = all,
 * including statuses this version does not know).
 */
public record ChannelSettings(String name, boolean enabled, Set<String> statuses) {

    public static ChannelSettings of(String name, String destination, String statusList) {
        Set<String> statuses = Arrays.stream(statusList == null ? new String[0] : statusList.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        return new ChannelSettings(name, destination != null && !destination.isBlank(), statuses);
    }

    /** Whether a notification with this status goes to this channel. */
    public boolean accepts(String status) {
        return enabled && (statuses.contains("*") || statuses.contains(status));
    }
}
