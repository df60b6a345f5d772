package dev.ftnotifier.observe;

import dev.ftnotifier.notify.ChannelBreakers;
import org.apache.camel.health.HealthCheckResultBuilder;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * {@code channel-<name>}, one per channel instance that is on: DOWN while its circuit breaker is
 * not closed, or while a delivery on it has been pending longer than
 * {@code notifier.self-alert.after}. In {@code /observe/health} only.
 */
public class ChannelHealthCheck extends NotifierHealthCheck {

    private final String channel;
    private final ChannelBreakers breakers;
    private final ChannelDeliveries deliveries;
    private final Duration after;
    private final ApiHealth clock;

    public ChannelHealthCheck(String channel, ChannelBreakers breakers, ChannelDeliveries deliveries, Duration after,
                              ApiHealth clock) {
        super("channel-" + channel, Probes.NEITHER);
        this.channel = channel;
        this.breakers = breakers;
        this.deliveries = deliveries;
        this.after = after;
        this.clock = clock;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String breaker = breakers.state(channel);
        ChannelDeliveries.Backlog backlog = deliveries.backlog(channel);
        builder.detail("circuit_breaker", breaker);
        builder.detail("pending", backlog == null ? 0 : backlog.pending());
        String pending = backlog == null ? "no delivery pending"
                : backlog.pending() + " deliveries pending, the oldest since " + backlog.oldestSince().truncatedTo(ChronoUnit.SECONDS);
        boolean stale = backlog != null && !after.isZero()
                && Duration.between(backlog.oldestSince(), clock.now()).compareTo(after) > 0;
        if (!"CLOSED".equals(breaker)) {
            builder.message("circuit breaker " + breaker.toLowerCase().replace('_', '-') + "; " + pending);
            builder.down();
        } else if (stale) {
            builder.message(pending + " (longer than " + after.toString().substring(2).toLowerCase() + ")");
            builder.down();
        } else {
            builder.message(pending);
            builder.up();
        }
    }
}
