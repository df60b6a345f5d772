package dev.ftnotifier.cluster;

import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/**
 * Whether this instance is the leader now, and since when: what the {@code cluster} health
 * check, the {@code notifier_cluster_leader} metric and the {@code poll} check read. It listens
 * to the same Camel cluster view as the leader-only routes' policy, and says each change in
 * one log line. With {@code notifier.cluster=none} there is no election: always the leader.
 */
public final class ClusterRole extends ServiceSupport implements CamelClusterEventListener.Leadership {

    private static final Logger LOG = LoggerFactory.getLogger("notifier.cluster");

    private final ClusterSettings settings;
    private final CamelClusterService service;
    private final Clock clock;
    private volatile boolean leader;
    private volatile Instant since;
    private CamelClusterView view;

    private ClusterRole(ClusterSettings settings, CamelClusterService service, Clock clock) {
        this.settings = settings;
        this.service = service;
        this.clock = clock;
        this.leader = service == null;
        this.since = clock.instant();
    }

    /** {@code notifier.cluster=none}: the only instance, the leader from the start. */
    static ClusterRole alone(ClusterSettings settings, Clock clock) {
        return new ClusterRole(settings, null, clock);
    }

    /** Follows the election {@code service} runs for {@link ClusterSettings#GROUP}. */
    static ClusterRole following(ClusterSettings settings, CamelClusterService service, Clock clock) {
        return new ClusterRole(settings, service, clock);
    }

    public boolean leader() {
        return leader;
    }

    /** When this instance last became the leader or a standby (the start, before any election). */
    public Instant since() {
        return since;
    }

    public ClusterSettings settings() {
        return settings;
    }

    @Override
    protected void doStart() throws Exception {
        if (service != null) {
            view = service.getView(ClusterSettings.GROUP);
            view.addEventListener(this);
            update(view.getLocalMember().isLeader());
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (view != null) {
            view.removeEventListener(this);
            service.releaseView(view);
            view = null;
        }
    }

    @Override
    public void leadershipChanged(CamelClusterView changed, CamelClusterMember newLeader) {
        update(changed.getLocalMember().isLeader());
    }

    private synchronized void update(boolean now) {
        if (now == leader) {
            return;
        }
        leader = now;
        since = clock.instant();
        if (now) {
            LOG.info("cluster {}: this instance is the leader now: it polls, discovers and runs the schedules", settings.kind().word());
        } else {
            LOG.info("cluster {}: this instance is a standby now: it answers probes and waits; the leader polls", settings.kind().word());
        }
    }
}
