package dev.ftnotifier.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckResultBuilder;

import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * {@code webhooks}, while the receiver is on: DOWN when it is not running or when verified events
 * cannot be recorded (answered 500: OpenAI sends them again for up to 72 hours), saying why and
 * since when. A readiness check too: an instance that cannot take events should not be sent any.
 */
public class WebhookHealthCheck extends NotifierHealthCheck {

    static final String RECEIVING_ROUTE = "webhook-receive";

    private final WebhookActivity activity;
    private final String listening;

    /** {@code listening}: host, port and path, for the message (no URL: the health body escapes '/'). */
    public WebhookHealthCheck(WebhookActivity activity, String listening) {
        super("webhooks", Probes.READINESS);
        this.activity = activity;
        this.listening = listening;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        for (WebhookActivity.Outcome outcome : WebhookActivity.Outcome.values()) {
            builder.detail(outcome.name().toLowerCase(java.util.Locale.ROOT), activity.count(outcome));
        }
        CamelContext context = getCamelContext();
        ServiceStatus receiving = context == null ? null : context.getRouteController().getRouteStatus(RECEIVING_ROUTE);
        if (context != null && context.isStarted() && (receiving == null || !receiving.isStarted())) {
            builder.message("the receiver (route " + RECEIVING_ROUTE + ") is " + (receiving == null ? "missing" : receiving.name().toLowerCase()));
            builder.down();
            return;
        }
        WebhookActivity.Failure failing = activity.failing();
        if (failing != null) {
            builder.detail("failing_since", failing.at().truncatedTo(ChronoUnit.SECONDS).toString());
            builder.message("verified events cannot be recorded, answered 500 (OpenAI sends them again): " + failing.reason()
                    + ", since " + failing.at().truncatedTo(ChronoUnit.SECONDS));
            builder.down();
            return;
        }
        builder.message("receiving on " + listening + "; " + (activity.lastVerified() == null ? "no verified event yet"
                : "last verified event " + activity.lastVerified().truncatedTo(ChronoUnit.SECONDS)));
        builder.up();
    }
}
