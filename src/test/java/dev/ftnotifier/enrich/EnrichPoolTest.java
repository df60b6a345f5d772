package dev.ftnotifier.enrich;

import dev.ftnotifier.testing.NotifierRouteTest;
import org.apache.camel.spi.ThreadPoolProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The enrichment's thread pool (camel.threadpool.config[enrich].*) follows
 * notifier.fetch-concurrency: an operator who fetches more jobs at once enriches as many at once,
 * without a second setting to keep in step.
 */
class EnrichPoolTest extends NotifierRouteTest {

    @Override
    protected Map<String, String> properties() {
        Map<String, String> p = super.properties();
        p.put("notifier.fetch-concurrency", "13");
        return p;
    }

    @Test
    void theEnrichPoolIsAsLargeAsTheFetches() {
        ThreadPoolProfile enrich = context.getExecutorServiceManager().getThreadPoolProfile("enrich");
        assertNotNull(enrich, "thread pool enrich is configured");
        assertEquals(13, enrich.getPoolSize());
        assertEquals(13, enrich.getMaxPoolSize());
    }
}
