package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.config.ConfigurationException;
import dev.ftnotifier.state.StateStore;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.util.TimeUtils;

import java.time.Duration;

/**
 * {@code notifier.state.store}: binds {@code stateStore} (the journal, or PostgreSQL with
 * {@code notifier.state.jdbc.*}), which {@code NotifierConfiguration} makes the
 * {@code deliveryStore} from, and the {@code state-store} health check. Added before
 * {@code NotifierConfiguration}, so the store exists when the ledger is made.
 */
public class StateStoreConfiguration implements CamelConfiguration {

    @PropertyInject("notifier.state.store")
    private String store;
    @PropertyInject("notifier.state.jdbc.url")
    private String url;
    @PropertyInject("notifier.state.jdbc.username")
    private String username;
    @PropertyInject("notifier.state.jdbc.password")
    private String password;
    @PropertyInject("notifier.state.jdbc.instance-timeout")
    private String instanceTimeout;
    @PropertyInject("notifier.state.dir")
    private String stateDir;

    private JdbcState jdbc;
    private boolean chosen;

    @BindToRegistry("stateStore")
    public StateStore stateStore() {
        if (!chosen) {
            chosen = true;
            String kind = store == null ? "file" : store.trim();
            switch (kind) {
                case "file" -> jdbc = null;
                case "jdbc" -> jdbc = new JdbcState(new JdbcSettings(url, username, password, timeout()));
                default -> throw new ConfigurationException("notifier.state.store must be file or jdbc, not '"
                        + kind.replaceAll("[^\\x20-\\x7e]", "?") + "'");
            }
        }
        return jdbc == null ? StateStore.FILE : jdbc;
    }

    private Duration timeout() {
        try {
            return Duration.ofMillis(TimeUtils.toMilliSeconds(instanceTimeout.trim()));
        } catch (RuntimeException e) {
            throw new ConfigurationException("notifier.state.jdbc.instance-timeout must be a duration (30s, 1m), not '"
                    + instanceTimeout.replaceAll("[^\\x20-\\x7e]", "?") + "'");
        }
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        stateStore();
        if (jdbc != null) {
            // stopped (heartbeat ended, pool closed) with the context, after the routes
            context.addService(jdbc, true, true);
        }
        context.getRegistry().bind("state-store-health-check", new StateStoreHealthCheck(jdbc, stateDir));
    }
}
