package dev.ftnotifier.observe;

import org.apache.camel.health.HealthCheckResultBuilder;

import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * {@code openai-api}: DOWN while the API keeps the notifier from its job (key rejected, quota
 * exhausted, unreachable or failing), saying which and since when. In {@code /observe/health}
 * only: neither a liveness check (a restart cures none of these) nor a readiness one.
 */
public class OpenAiApiHealthCheck extends NotifierHealthCheck {

    private final ApiHealth api;

    public OpenAiApiHealthCheck(ApiHealth api) {
        super("openai-api", Probes.NEITHER);
        this.api = api;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ApiHealth.Trouble trouble = api.trouble();
        if (trouble != null) {
            builder.detail("trouble", trouble.kind());
            builder.detail("reason", trouble.words());
            builder.detail("since", trouble.since().truncatedTo(ChronoUnit.SECONDS).toString());
            // no URL in the message: Camel's health body escapes its '/' twice
            builder.message(trouble.said() + ", since " + trouble.since().truncatedTo(ChronoUnit.SECONDS));
            builder.down();
            return;
        }
        builder.message(api.lastAnswer() == null ? "no answer yet"
                : "last usable answer " + api.lastAnswer().truncatedTo(ChronoUnit.SECONDS));
        builder.up();
    }
}
