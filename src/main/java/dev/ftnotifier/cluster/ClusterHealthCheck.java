package dev.ftnotifier.cluster;

import dev.ftnotifier.observe.NotifierHealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * {@code cluster}: the election this instance takes part in ({@code notifier.cluster}) and its
 * role in it, leader or standby, since when. Always UP: a standby is healthy and ready (it
 * answers probes and takes over when the leader goes), so this check is in
 * {@code /observe/health} only, neither a liveness nor a readiness check.
 */
final class ClusterHealthCheck extends NotifierHealthCheck {

    private final ClusterRole leadership;

    ClusterHealthCheck(ClusterRole leadership) {
        super("cluster", Probes.NEITHER);
        this.leadership = leadership;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String role = leadership.leader() ? "leader" : "standby";
        String since = leadership.since().truncatedTo(ChronoUnit.SECONDS).toString();
        builder.detail("kind", leadership.settings().kind().word());
        builder.detail("role", role);
        builder.detail("since", since);
        // no folder in the message: Camel's health body escapes its '/' twice
        builder.message(leadership.settings().kind().word() + ": " + role + (leadership.leader()
                ? " (polls, discovers and runs the schedules)" : " (the leader polls; this one takes over if it goes)")
                + " since " + since);
        builder.up();
    }
}
