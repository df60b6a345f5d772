package dev.ftnotifier.testing;

import dev.ftnotifier.config.NotifierMain;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The notifier as a user runs it (same Main, same ./routes, same ./application.properties),
 * pointed at a simulator and at temporary folders. Closing it stops Camel.
 */
public final class RunningNotifier implements AutoCloseable {

    private final NotifierMain main;

    private RunningNotifier(NotifierMain main) {
        this.main = main;
    }

    /** Properties every test needs: a fast poll, its own folders, a key that looks like no real one. */
    public static Map<String, String> baseProperties(String apiBaseUrl, Path stateDir, Path fileDir) {
        Map<String, String> p = new HashMap<>();
        p.put("notifier.routes", Dsl.current());
        p.put("openai.api-key", "test-key-not-a-secret");
        p.put("openai.base-url", apiBaseUrl);
        p.put("openai.organization", "");
        p.put("openai.project", "");
        p.put("notifier.poll-interval", "200");
        p.put("notifier.state.dir", stateDir.toString());
        p.put("notifier.file.dir", fileDir.toString());
        p.put("notifier.file.statuses", "*");
        p.put("notifier.jobs", "");
        p.put("notifier.jobs-file", "");
        p.put("notifier.discover", "false");
        p.put("notifier.slack.webhook-url", "");
        p.put("notifier.email.to", "");
        p.put("notifier.retry.initial-backoff", "100");
        p.put("notifier.retry.max-backoff", "400");
        p.put("notifier.channel.open-seconds", "1");
        // no webhook receiver (and no port bound) unless a test asks for one, on a free port of 127.0.0.1
        p.put("openai.webhook-secret", "");
        p.put("notifier.webhook.host", "127.0.0.1");
        // no management server unless a test asks for one (notifier.management.port = a free port): none binds 8081
        p.put("notifier.management.port", "0");
        // no pacing unless a test is about it: a test's backlog is small and its timings short
        for (String channel : new String[] {"slack", "email", "webhook"}) {
            p.put("notifier.pace." + channel + ".burst", "1000");
            p.put("notifier.pace." + channel + ".period", "1s");
        }
        return p;
    }

    public static RunningNotifier start(Map<String, String> properties) {
        return start(properties, new org.apache.camel.main.MainListener[0]);
    }

    /** The same, with listeners to Camel Main's life cycle (to hold the start at a step). */
    public static RunningNotifier start(Map<String, String> properties, org.apache.camel.main.MainListener... listeners) {
        NotifierMain main = NotifierMain.withOverrides(properties);
        for (org.apache.camel.main.MainListener listener : listeners) {
            main.listening(listener);
        }
        try {
            main.start();
        } catch (RuntimeException e) {
            main.close();
            throw e;
        }
        RunningNotifier running = new RunningNotifier(main);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> main.camelContext() != null && main.camelContext().getStatus() == ServiceStatus.Started);
        return running;
    }

    public CamelContext context() {
        return main.camelContext();
    }

    @Override
    public void close() {
        main.close();
    }
}
