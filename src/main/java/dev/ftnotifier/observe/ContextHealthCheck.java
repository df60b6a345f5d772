package dev.ftnotifier.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * {@code lifecycle}, in place of Camel's own {@code context} check (excluded in {@link ObserveSettings}),
 * which is DOWN for liveness too while the context starts or stops: a liveness probe would then
 * restart a notifier that is only starting, or kill one that is finishing its deliveries. Here
 * liveness is DOWN only when the context has stopped (a restart cures that); readiness is UP
 * only while it runs (started: routes up and state loaded).
 */
public class ContextHealthCheck extends AbstractHealthCheck implements CamelContextAware {

    private CamelContext context;

    public ContextHealthCheck() {
        super("notifier", "lifecycle");
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ServiceStatus status = context == null ? ServiceStatus.Stopped : context.getStatus();
        builder.detail("context.status", status.name());
        boolean liveness = options.get(HealthCheck.CHECK_KIND) == HealthCheck.Kind.LIVENESS;
        boolean up = liveness ? !status.isStopped() : status.isStarted();
        builder.message(liveness ? "context " + status.name().toLowerCase() : "context " + status.name().toLowerCase()
                + (up ? "" : ": not taking work"));
        if (up) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
