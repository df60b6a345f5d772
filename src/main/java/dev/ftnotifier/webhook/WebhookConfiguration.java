package dev.ftnotifier.webhook;

import dev.ftnotifier.state.StateStore;
import dev.ftnotifier.state.WebhookIds;
import dev.ftnotifier.watch.WatchList;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import dev.ftnotifier.status.StatusMeanings;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The beans routes/webhooks.camel.yaml calls: the verifier, the journal of events received, the
 * follow-up rules. At start the jobs named by events still kept join the watch list, so an event
 * recorded before a restart is followed to its delivery after it.
 */
public class WebhookConfiguration implements CamelConfiguration {

    @PropertyInject("openai.webhook-secret")
    private String secret;
    @PropertyInject("notifier.webhook.tolerance")
    private String tolerance;
    @PropertyInject("notifier.webhook.host")
    private String host;
    @PropertyInject("notifier.webhook.port")
    private String port;
    @PropertyInject("notifier.webhook.path")
    private String path;
    @PropertyInject("notifier.state.dir")
    private String stateDir;

    /** notifier.state.store: the journal or PostgreSQL (dev.ftnotifier.state.jdbc.StateStoreConfiguration). */
    @BeanInject("stateStore")
    private StateStore stateStore;

    private WebhookIds events;

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        if (webhookIds() instanceof AutoCloseable journal) {
            // the journal's file is closed (after a last flush) when Camel stops, after the routes
            camelContext.addService(new ServiceSupport() {
                @Override
                protected void doStop() throws Exception {
                    journal.close();
                }
            }, true, true);
        }
        if (secret == null || secret.isBlank()) {
            return;
        }
        WatchList watchList = camelContext.getRegistry().lookupByNameAndType("watchList", WatchList.class);
        WebhookIds kept = webhookIds();
        if (watchList != null) {
            kept.jobIds().forEach(watchList::watchNamedByEvent);
        }
        LoggerFactory.getLogger("webhooks").info("webhooks: receiving OpenAI events at http://{}:{}{} (tolerance {});"
                        + " {} event id(s) kept from the last 73 h, naming {} job(s)", host.trim(), port.trim(), path.trim(),
                tolerance.trim(), kept.size(), kept.jobIds().size());
    }

    @BindToRegistry("webhookVerifier")
    public WebhookVerifier webhookVerifier() {
        return new WebhookVerifier(secret, Duration.ofMillis(WebhookSettings.tolerance(tolerance)), Clock.systemUTC());
    }

    @BindToRegistry("webhookIds")
    public WebhookIds webhookIds() {
        if (events == null) {
            events = stateStore.webhookIds(Path.of(stateDir), Clock.systemUTC());
        }
        return events;
    }

    @BindToRegistry("webhookFollowUp")
    public WebhookFollowUp webhookFollowUp(CamelContext camelContext) {
        StatusMeanings meanings = camelContext.getRegistry().lookupByNameAndType("statusMeanings", StatusMeanings.class);
        return new WebhookFollowUp(camelContext, meanings::terminal);
    }
}
