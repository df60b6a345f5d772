package dev.ftnotifier.recovery;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The beans a channel's recovery uses (README, "Delivery state": a channel that comes back gets its backlog at once). */
public class RecoveryConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        ChannelBacklogs backlogs = new ChannelBacklogs(camelContext);
        camelContext.getRegistry().bind("channelBacklogs", backlogs);
        // a service of the context: stopped with it, and the producer it starts its route with
        camelContext.addService(backlogs, true, true);
    }
}
