package dev.ftnotifier;

import dev.ftnotifier.config.NotifierMain;
import dev.ftnotifier.simulator.DemoScenario;
import dev.ftnotifier.simulator.DemoMailbox;
import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.FineTuningApiSimulator.Fault;
import dev.ftnotifier.simulator.SlackWebhookCapture;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code --demo}: the whole pipeline with no key and no network. The built-in API simulator
 * serves jobs that fail, succeed, get cancelled and pause; the notifier polls it every 5 s, and the
 * simulator POSTs the signed webhook event of each job that ends to the notifier's receiver.
 * Delivery state goes to a temporary folder, so every demo run shows every notification again.
 */
final class DemoMode {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMode.class);
    private static final String DEMO_KEY = "demo-key-not-a-secret";
    /** The demo's webhook signing secret: whsec_ and the base64 of a key that is no secret. */
    private static final String DEMO_WEBHOOK_SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("demo-webhook-key-not-a-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    private DemoMode() {
    }

    /**
     * @param faults also fail about 30% of API requests (5xx, 429 with Retry-After, dropped
     *               connections, garbage) and 20% of Slack posts, to watch the notifier retry
     *               and still deliver everything once
     */
    static NotifierMain create(boolean faults) {
        FineTuningApiSimulator simulator = FineTuningApiSimulator.start();
        simulator.requireApiKey(DEMO_KEY);
        // the jobs wait in their first status until the notifier has started (below), so on a slow
        // machine too their events find its webhook receiver up
        DemoScenario.putJobs(simulator);
        SlackWebhookCapture slack = SlackWebhookCapture.start();
        if (faults) {
            simulator.failRandomly(0.3, 42, List.of(Fault.status(500), Fault.status(503), Fault.retryAfterSeconds(429, 1),
                    Fault.cutOff(), Fault.garbage("<html>502 Bad Gateway</html>")));
            slack.failRandomly(0.2, 42);
            LOG.info("demo: faults on: about 30% of API requests and 20% of Slack posts fail");
        }
        slack.onPost(post -> LOG.info("demo Slack received:\n  {}", post.path("text").asText().replace("\n", "\n  ")));
        DemoMailbox mailbox = DemoMailbox.start(mail -> LOG.info("demo mailbox received:\n  {}", mail.strip().replace("\n", "\n  ")));
        Path stateDir = temporaryStateDir();
        // push: the simulator POSTs OpenAI's signed webhook event when a job ends, to the
        // notifier's receiver on a loopback port, so a terminal status is told at once, not at the next poll
        int webhookPort = freeLoopbackPort();
        String webhookUrl = "http://127.0.0.1:" + webhookPort + "/webhooks/openai";
        simulator.sendWebhooksTo(webhookUrl, DEMO_WEBHOOK_SECRET);
        LOG.info("demo: the simulator sends OpenAI webhook events to {} when a job ends; polls run every {}:"
                + " a terminal status arrives with its event, before the next poll", webhookUrl, DEMO_POLL_INTERVAL);
        LOG.info("demo: simulated OpenAI API at {}, watching {}; a local Slack webhook and SMTP server show what"
                + " would be sent; documents go to ./notifications", simulator.baseUrl(), DemoScenario.jobIds());
        Map<String, String> settings = new HashMap<>();
        settings.put("notifier.demo", "true");
        // the DSL, as the files say unless the operator chooses (NOTIFIER_ROUTES=xml)
        operatorMayChoose(settings, "notifier.routes", null);
        // the management server only when asked for (NOTIFIER_MANAGEMENT_PORT): a demo binds no fixed port
        operatorMayChoose(settings, "notifier.management.port", "0");
        settings.put("openai.api-key", DEMO_KEY);
        settings.put("openai.base-url", simulator.baseUrl());
        settings.put("notifier.jobs", String.join(",", DemoScenario.jobIds()));
        settings.put("notifier.jobs-file", "");
        settings.put("notifier.discover", "false");
        settings.put("notifier.poll-interval", DEMO_POLL_INTERVAL);
        settings.put("openai.webhook-secret", DEMO_WEBHOOK_SECRET);
        settings.put("notifier.webhook.host", "127.0.0.1");
        settings.put("notifier.webhook.port", String.valueOf(webhookPort));
        settings.put("notifier.state.dir", stateDir.toString());
        settings.put("notifier.slack.webhook-url", slack.url());
        settings.put("notifier.email.to", "ml-team@demo.invalid");
        settings.put("notifier.email.smtp-host", "127.0.0.1");
        settings.put("notifier.email.smtp-port", String.valueOf(mailbox.port()));
        settings.put("notifier.email.username", "");
        return NotifierMain.withOverrides(settings)
                .listening(new MainListenerSupport() {
                    @Override
                    public void afterStart(BaseMainSupport main) {
                        DemoScenario.start(simulator, Duration.ofSeconds(2));
                    }
                })
                .closing(simulator)
                .closing(slack)
                .closing(mailbox)
                .closing(() -> deleteTree(stateDir));
    }

    /**
     * A key the operator still chooses in a demo. The demo's settings are overrides, and overrides
     * beat the environment and -D (they must beat application.properties and the defaults file,
     * and Camel has no layer between those and the environment), so the operator's choice is read
     * here, by Camel's rule for the environment ({@code notifier.routes}: {@code NOTIFIER_ROUTES}),
     * and passed on; without one the demo's value stands, or with none the files decide.
     */
    private static void operatorMayChoose(Map<String, String> settings, String key, String demoValue) {
        String environment = key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
        String chosen = System.getProperty(key, System.getenv(environment));
        String value = chosen == null || chosen.isBlank() ? demoValue : chosen.trim();
        if (value != null) {
            settings.put(key, value);
        }
    }

    /** Polls further apart than the scenario's two-second steps, so the events visibly come first. */
    private static final String DEMO_POLL_INTERVAL = "5s";

    private static int freeLoopbackPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path temporaryStateDir() {
        try {
            return Files.createTempDirectory("fine-tuning-notifier-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
