package dev.ftnotifier.observe;

import java.time.Clock;
import java.time.Instant;

/**
 * Whether the OpenAI API lets the notifier do its job, from the outcome of every request
 * ({@link ApiObserver}): the key rejected (HTTP 401/403), the quota exhausted (429
 * insufficient_quota), or the API unreachable or failing (timeouts, refused or reset connections,
 * 5xx), each since when; cleared by the next usable answer. A plain 429 or a missing job is no
 * trouble of the notifier's. Also when the last poll started and the last one succeeded.
 */
public class ApiHealth {

    /**
     * A kind of trouble, said short ("API key rejected: HTTP 401") and in full words naming the API
     * ("API key rejected by https://api.openai.com/v1: HTTP 401"), since when.
     */
    public record Trouble(String kind, String said, String words, Instant since) {
    }

    private final Clock clock;
    private final Instant started;
    private volatile Trouble trouble;
    private volatile Instant lastAnswer;
    private volatile Instant lastPollStarted;
    private volatile Instant lastSuccessfulPoll;
    private volatile boolean asked;
    private volatile boolean everAsked;

    public ApiHealth(Clock clock) {
        this.clock = clock;
        this.started = clock.instant();
    }

    public Instant now() {
        return clock.instant();
    }

    /** When the notifier started: what the poll check measures from before the first poll. */
    public Instant started() {
        return started;
    }

    /** The current trouble, or null while the API lets the notifier work. */
    public Trouble trouble() {
        return trouble;
    }

    /** A usable answer: the poll it belongs to (the latest one started) succeeded. */
    void usable() {
        Instant now = clock.instant();
        lastAnswer = now;
        trouble = null;
        Instant poll = lastPollStarted;
        lastSuccessfulPoll = poll != null ? poll : now;
    }

    /** Kinds: key-rejected, quota-exhausted, unreachable; the same kind keeps its first time. */
    void trouble(String kind, String said, String words) {
        Trouble before = trouble;
        trouble = new Trouble(kind, said, words, before != null && before.kind().equals(kind) ? before.since() : clock.instant());
        lastAnswer = null;
    }

    public Instant lastAnswer() {
        return lastAnswer;
    }

    void pollStarted() {
        lastPollStarted = clock.instant();
        asked = false;
    }

    /** The poll queued a job for a fetch, or asked the API itself (discovery). */
    void asked() {
        asked = true;
        everAsked = true;
    }

    /**
     * A poll ended. One that asked the API nothing (no job due) succeeded when the API's last answer was
     * usable (or nothing was ever asked); one that asked succeeds with the first usable answer ({@link #usable}).
     */
    void pollEnded() {
        if (!asked && trouble == null && (lastAnswer != null || !everAsked)) {
            lastSuccessfulPoll = lastPollStarted;
        }
    }

    public Instant lastPollStarted() {
        return lastPollStarted;
    }

    public Instant lastSuccessfulPoll() {
        return lastSuccessfulPoll;
    }
}
