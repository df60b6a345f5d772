package dev.ftnotifier.observe;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * One of the notifier's checks in {@code /observe/health} (group {@code notifier}), and which of
 * the two probes it counts for: readiness (take this instance out of the Service) and liveness
 * (restart it). Most count for neither: they say what is wrong for the alerts, where neither a
 * restart nor draining would cure it.
 */
public abstract class NotifierHealthCheck extends AbstractHealthCheck {

    /** Which probes a check counts for. */
    public enum Probes {
        NEITHER(false, false), READINESS(true, false), LIVENESS(false, true);

        private final boolean readiness;
        private final boolean liveness;

        Probes(boolean readiness, boolean liveness) {
            this.readiness = readiness;
            this.liveness = liveness;
        }
    }

    private final Probes probes;

    protected NotifierHealthCheck(String id, Probes probes) {
        super("notifier", id);
        this.probes = probes;
    }

    @Override
    public final boolean isReadiness() {
        return probes.readiness;
    }

    @Override
    public final boolean isLiveness() {
        return probes.liveness;
    }
}
