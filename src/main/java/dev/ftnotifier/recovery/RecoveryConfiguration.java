package dev.ftnotifier.recovery;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The beans a channel's recovery uses (README, "Delivery state": a channel that comes back gets its backlog at once). */
public class RecoveryConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camelContext) {
        camelContext.getRegistry().bind("channelBacklogs", new ChannelBacklogs(camelContext));
    }
}
