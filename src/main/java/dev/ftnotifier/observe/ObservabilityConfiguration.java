package dev.ftnotifier.observe;

import dev.ftnotifier.notify.ChannelBreakers;
import dev.ftnotifier.notify.ChannelSettings;
import dev.ftnotifier.notify.Channels;
import dev.ftnotifier.state.DeliveryStore;
import dev.ftnotifier.state.FinishedJobs;
import dev.ftnotifier.state.StateStore;
import dev.ftnotifier.status.StatusMeanings;
import dev.ftnotifier.watch.WatchList;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.util.TimeUtils;
import org.quartz.CronExpression;

import java.time.Clock;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What makes the notifier operable as a service (README, "Running in production"): the health
 * checks Camel's management server answers on {@code /observe/health}, the notifier's metrics
 * beside Camel's on {@code /observe/metrics}, and the self-alerts. The server itself is Camel
 * Main's, configured from {@code notifier.management.*} by {@link ObserveSettings}.
 */
public class ObservabilityConfiguration implements CamelConfiguration {

    @PropertyInject("openai.base-url")
    private String baseUrl;
    @PropertyInject("notifier.poll-interval")
    private String pollInterval;
    @PropertyInject("notifier.poll-cron")
    private String pollCron;
    @PropertyInject("notifier.self-alert.after")
    private String selfAlertAfter;
    @PropertyInject("notifier.self-alert.channels")
    private String selfAlertChannels;
    @PropertyInject("notifier.state.dir")
    private String stateDir;
    @PropertyInject("notifier.log.format")
    private String logFormat;
    @PropertyInject("notifier.webhook.on")
    private String webhooksOn;
    @PropertyInject("notifier.webhook.port")
    private String webhookPort;

    @Override
    public void configure(CamelContext context) throws Exception {
        MeterRegistry registry = context.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (registry == null) {
            // Camel's metrics (camel.metrics.enabled) find and use this one
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
        }
        Channels channels = context.getRegistry().lookupByNameAndType("channels", Channels.class);
        Set<String> on = new LinkedHashSet<>();
        if (channels != null) {
            channels.all().stream().filter(ChannelSettings::enabled).map(ChannelSettings::name).forEach(on::add);
        }
        // the status label: a status the router knows keeps its name (routes/route-by-status, status-meaning)
        StatusMeanings meanings = context.getRegistry().lookupByNameAndType("statusMeanings", StatusMeanings.class);
        NotifierMetrics metrics = new NotifierMetrics(registry, on, meanings == null ? status -> false : meanings::known);
        Clock clock = Clock.systemUTC();
        ApiHealth api = new ApiHealth(clock);
        context.getRegistry().bind("apiHealth", api);
        context.getRegistry().bind("notifierMetrics", metrics);
        context.getManagementStrategy().addEventNotifier(new ApiObserver(baseUrl, api, metrics));
        if ("json".equals(logFormat.trim())) {
            context.getManagementStrategy().addEventNotifier(new LogContext());
        }

        DeliveryStore ledger = context.getRegistry().lookupByNameAndType("deliveryStore", DeliveryStore.class);
        ChannelDeliveries deliveries = new ChannelDeliveries(ledger, clock);
        ledger.listen(deliveries);
        context.getRegistry().bind("channelDeliveries", deliveries);

        WatchList watchList = context.getRegistry().lookupByNameAndType("watchList", WatchList.class);
        FinishedJobs finished = context.getRegistry().lookupByNameAndType("finishedJobs", FinishedJobs.class);
        metrics.gauge("notifier.deliveries.pending", "Deliveries that failed or were refused and wait for a later attempt",
                ledger::pendingCount);
        metrics.gauge("notifier.jobs.watched", "Jobs fetched on every poll (configured and discovered, not finished)",
                () -> watchList.watched().stream().filter(id -> !watchList.isFinished(id)).count());
        metrics.gauge("notifier.jobs.finished", "Jobs finished and delivered everywhere, no longer fetched", finished::size);
        metrics.gauge("notifier.last.successful.poll.timestamp.seconds",
                "When the last poll that met no API trouble ended (Unix time, seconds; 0 before the first)",
                () -> NotifierMetrics.epochSeconds(api.lastSuccessfulPoll()));

        Duration after = Duration.ofMillis(ObserveSettings.afterMillis(selfAlertAfter.trim()));
        ContextHealthCheck contextCheck = new ContextHealthCheck();
        contextCheck.setCamelContext(context);
        context.getRegistry().bind("context-health-check", contextCheck);
        context.getRegistry().bind("openai-api-health-check", new OpenAiApiHealthCheck(api));
        String cron = pollCron == null ? "" : pollCron.trim();
        context.getRegistry().bind("poll-health-check", new PollHealthCheck(api,
                Duration.ofMillis(TimeUtils.toMilliSeconds(pollInterval.trim())), cron.isEmpty() ? null : new CronExpression(cron),
                context));
        List<String> told = selfAlertChannels == null || selfAlertChannels.isBlank() ? List.of()
                : Arrays.stream(selfAlertChannels.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
        // notifier.state.store: self-alerts.json here, or PostgreSQL shared with the other instances
        StateStore store = context.getRegistry().lookupByNameAndType("stateStore", StateStore.class);
        context.getRegistry().bind("selfAlerts", new SelfAlerts((store == null ? StateStore.FILE : store).documents(Path.of(stateDir)), after,
                channels == null ? List.of() : channels.all(), told, api, deliveries, ledger, clock));

        // the receiver's route counts what it answers; the counters and the check exist while it is on
        boolean receiving = Boolean.parseBoolean(webhooksOn.trim());
        WebhookActivity webhooks = new WebhookActivity(receiving ? registry : null, clock);
        context.getRegistry().bind("webhookActivity", webhooks);
        if (receiving) {
            WebhookHealthCheck webhookCheck = new WebhookHealthCheck(webhooks, "port " + webhookPort.trim());
            webhookCheck.setCamelContext(context);
            context.getRegistry().bind("webhooks-health-check", webhookCheck);
        }

        ChannelBreakers breakers = context.getRegistry().lookupByNameAndType("channelBreakers", ChannelBreakers.class);
        for (String channel : on) {
            context.getRegistry().bind("channel-" + channel + "-health-check",
                    new ChannelHealthCheck(channel, breakers, deliveries, after, api));
        }
    }
}
