package dev.ftnotifier.notify;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.component.resilience4j.ResilienceProcessor;

/**
 * The state of each channel instance's circuit breaker ({@code <name>-circuit-breaker} in the
 * route {@code send-<name>}, routes/channel-templates.camel.yaml), for the routes to decide
 * with: CLOSED, OPEN, HALF_OPEN (resilience4j's names). A channel whose breaker is not found
 * (its route is being reloaded) reads as CLOSED, which leaves the deliveries' own backoff in
 * charge. Looked up on every call, so a reloaded route's new breaker is the one read.
 */
public class ChannelBreakers {

    private final CamelContext context;

    public ChannelBreakers(CamelContext context) {
        this.context = context;
    }

    public String state(String channel) {
        ResilienceProcessor breaker = breaker(channel);
        return breaker == null ? "CLOSED" : breaker.getCircuitBreakerState();
    }

    /**
     * The breaker of the channel instance, or null. Routes made from a template have their node
     * ids prefixed (route-4slack-circuit-breaker), so it is found in its route by suffix.
     */
    public ResilienceProcessor breaker(String channel) {
        Route route = context.getRoute("send-" + channel);
        if (route == null) {
            return null;
        }
        String id = channel + "-circuit-breaker";
        for (Processor p : route.filter("*")) {
            if (p instanceof ResilienceProcessor breaker && breaker.getId() != null && breaker.getId().endsWith(id)) {
                return breaker;
            }
        }
        return null;
    }
}
