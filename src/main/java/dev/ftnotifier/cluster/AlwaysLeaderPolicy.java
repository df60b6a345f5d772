package dev.ftnotifier.cluster;

import org.apache.camel.support.RoutePolicySupport;

/**
 * The {@code leaderOnly} route policy with {@code notifier.cluster=none}: one instance, no
 * election, so it changes nothing and the leader-only routes start and run as declared.
 */
final class AlwaysLeaderPolicy extends RoutePolicySupport {
}
