package dev.ftnotifier.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.quartz.CronExpression;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;

/**
 * {@code poll}: when the last successful poll was; DOWN when no poll has started for three poll
 * intervals (three firings of {@code notifier.poll-cron} when that is set), counted from the last
 * poll or from the start, or from when this instance became the leader (UP on a standby: README,
 * "High availability"). The one liveness check besides Camel's context: a restart can cure it.
 */
public class PollHealthCheck extends NotifierHealthCheck {

    private final ApiHealth api;
    private final Duration interval;
    private final CronExpression cron;

    private final org.apache.camel.CamelContext context;

    /** {@code cron} null: polls every {@code interval}. */
    public PollHealthCheck(ApiHealth api, Duration interval, CronExpression cron, org.apache.camel.CamelContext context) {
        super("poll", Probes.LIVENESS);
        this.api = api;
        this.interval = interval;
        this.cron = cron;
        this.context = context;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (api.lastPollStarted() == null && context != null && context.getStatus().isStarting()) {
            // no poll can start before the routes run: a slow start is not a missed poll
            builder.message("starting: no poll yet");
            builder.up();
            return;
        }
        // with leader election (README, "High availability") only the leader polls: a standby is not late,
        // and a new leader is late only three intervals after it took over
        dev.ftnotifier.cluster.ClusterRole leadership = context == null ? null
                : context.getRegistry().lookupByNameAndType("clusterRole", dev.ftnotifier.cluster.ClusterRole.class);
        if (leadership != null && !leadership.leader()) {
            builder.message("standby: the leader polls");
            builder.up();
            return;
        }
        Instant last = api.lastPollStarted();
        Instant from = last != null ? last : api.started();
        if (leadership != null && leadership.since().isAfter(from)) {
            from = leadership.since();
        }
        Instant deadline = deadline(from);
        Instant success = api.lastSuccessfulPoll();
        String said = success == null ? "no successful poll yet" : "last successful poll " + success.truncatedTo(ChronoUnit.SECONDS);
        if (success != null) {
            builder.detail("last_successful_poll", success.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        if (deadline != null && api.now().isAfter(deadline)) {
            builder.message("no poll started since " + from.truncatedTo(ChronoUnit.SECONDS) + " (3 poll intervals); " + said);
            builder.down();
        } else {
            builder.message(said);
            builder.up();
        }
    }

    /** When three polls after {@code from} have been missed; null when the cron never fires again. */
    Instant deadline(Instant from) {
        if (cron == null) {
            return from.plus(interval.multipliedBy(3));
        }
        Date t = Date.from(from);
        for (int i = 0; i < 3 && t != null; i++) {
            t = cron.getNextValidTimeAfter(t);
        }
        return t == null ? null : t.toInstant().plusSeconds(1);
    }
}
