package dev.ftnotifier.notify;

import java.time.Instant;
import java.util.Set;

/**
 * A notification about the notifier itself, not about a job: it cannot do its job (the API
 * rejects the key, the quota is exhausted, the API is unreachable, a channel's deliveries stay
 * pending) and has not for longer than {@code notifier.self-alert.after} ({@code self-alert}), or
 * that episode is over ({@code self-recovered}). Delivered once per episode and channel through
 * the delivery ledger: its key is {@code ~self-alert|<condition>-<since, epoch seconds>[-recovered]|<channel>}
 * ({@code ~} is in no job id).
 *
 * @param condition   {@code api} or {@code channel-<name>}
 * @param broken      the channel instance that is failing, or null (it is not told)
 * @param words       what is wrong, in words ("API key rejected by https://...: HTTP 401")
 * @param since       when the condition began
 * @param at          when it was found to last too long, or to be over
 * @param channels    the instances that are told
 */
public record SelfAlert(String event, String condition, String broken, String words, Instant since, Instant at,
                        Set<String> channels) implements Deliverable {

    public SelfAlert {
        channels = Set.copyOf(channels);
    }

    public static final String JOB = "~self-alert";
    public static final String ALERT = "self-alert";
    public static final String RECOVERED = "self-recovered";
    public static final String RECOVERED_SUFFIX = "-recovered";

    public boolean recovered() {
        return RECOVERED.equals(event);
    }

    @Override
    public String jobId() {
        return JOB;
    }

    /** The episode: its condition and when it began. */
    public String episode() {
        return condition + "-" + since.getEpochSecond();
    }

    @Override
    public String deliveryName() {
        return episode() + (recovered() ? RECOVERED_SUFFIX : "");
    }

    @Override
    public String summary() {
        return recovered() ? "fine-tuning-notifier recovered: " + words + " (since " + since + ") is over at " + at
                : "fine-tuning-notifier cannot do its job: " + words + ", since " + since;
    }

    @Override
    public boolean terminal() {
        return false;
    }

    /** The same episode, now over: told to the channels that were told it began. */
    public SelfAlert recoveredAt(Instant when) {
        return new SelfAlert(RECOVERED, condition, broken, words, since, when, channels);
    }

    /** The file channel's document name: event and episode ({@code self-alert.api-1765000000.json}). */
    public String fileName() {
        return event + "." + episode() + ".json";
    }
}
