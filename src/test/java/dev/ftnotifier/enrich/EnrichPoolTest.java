package dev.ftnotifier.enrich;

import dev.ftnotifier.testing.NotifierRouteTest;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The enrichment's thread pool (camel.threadpool.config[enrich].*) follows
 * notifier.fetch-concurrency: an operator who fetches more jobs at once may enrich as many at once,
 * without a second setting to keep in step. Its threads start as they are needed
 * (PipelineTest.jobsThatSucceedOneAtATimeAreEnrichedOnOneThread).
 */
class EnrichPoolTest extends NotifierRouteTest {

    @Override
    protected Map<String, String> properties() {
        Map<String, String> p = super.properties();
        p.put("notifier.fetch-concurrency", "13");
        return p;
    }

    @Test
    void theEnrichPoolCanGrowAsLargeAsTheFetches() {
        ThreadPoolProfile enrich = context.getExecutorServiceManager().getThreadPoolProfile("enrich");
        assertNotNull(enrich, "thread pool enrich is configured");
        assertEquals(13, enrich.getMaxPoolSize());
        // no queue, and more at once than the pool holds run on the thread that asks
        assertEquals(0, enrich.getMaxQueueSize());
        assertEquals(ThreadPoolRejectedPolicy.CallerRuns, enrich.getRejectedPolicy());
        // a thread idle for 5 s ends (PipelineTest.aPollInWhichManyJobsSucceededReadsTheirResultFilesAtOnce)
        assertEquals(5L, enrich.getKeepAliveTime());
        assertEquals(java.util.concurrent.TimeUnit.SECONDS, enrich.getTimeUnit());
    }
}
