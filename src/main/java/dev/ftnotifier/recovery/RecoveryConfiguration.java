package dev.ftnotifier.recovery;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import java.util.concurrent.ExecutorService;

/** The beans a channel's recovery uses (README, "Delivery state": a channel that comes back gets its backlog at once). */
public class RecoveryConfiguration implements CamelConfiguration {

    /**
     * How many jobs of mail and webhook backlogs go out at once, all channels together (route
     * channel-backlog); each channel's pace still bounds its sends.
     */
    static final int BACKLOG_THREADS = 8;

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        ChannelBacklogs backlogs = new ChannelBacklogs(camelContext);
        camelContext.getRegistry().bind("channelBacklogs", backlogs);
        // a service of the context: stopped with it, and the producer it starts its route with
        camelContext.addService(backlogs, true, true);
        // Camel's own pool, shut down with the context
        ExecutorService threads = camelContext.getExecutorServiceManager()
                .newThreadPool(backlogs, "ChannelBacklog", BACKLOG_THREADS, BACKLOG_THREADS);
        camelContext.getRegistry().bind("channelBacklogThreads", ExecutorService.class, threads);
    }
}
