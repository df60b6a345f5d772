package dev.ftnotifier.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.FineTuningApiSimulator.Fault;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.simulator.SlackWebhookCapture;
import dev.ftnotifier.testing.LocalSmtp;
import dev.ftnotifier.testing.RunningNotifier;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notifier kept working under faults on every side: the real Camel Main (same
 * {@code ./routes}, same {@code ./application.properties}) against the API simulator failing
 * about 30% of requests in every way the API and the network fail, a Slack failing about 20% of
 * posts, an SMTP server down for a stretch, and two restarts (a normal stop, then a start on
 * the same state folder).
 *
 * <p>100 jobs each go through 10 distinct statuses (five the notifier knows as progress, four it
 * does not know, then a terminal one): 1,000 transitions. A driver moves a job to its next status
 * only once the current one has arrived everywhere it should, so no status is skipped between two
 * polls and exactly-once can be checked; the jobs move in parallel. Every status goes to the file
 * channel and to Slack, the terminal ones also by email: 2,100 deliveries expected.
 *
 * <p>What arrived is read from outside, as a user would see it: the Slack capture's accepted
 * posts, the SMTP server's messages (distinct Message-IDs) and the files created in the
 * notifications folder (each creation counted, so a document written twice shows). It asserts that
 * each expected (job, status, channel) arrived exactly once, that nothing unexpected arrived, and
 * that the Camel context and every route were started at every check between the restarts.
 *
 * <p>A summary table goes to standard output and to {@code target/reliability-summary.txt}.
 * Seeds and sizes can be changed with system properties ({@code -Dreliability.seed=...}, see
 * {@link Settings}); the faults are drawn from seeded sequences in the order requests arrive,
 * so a run is repeatable in its mix of faults, not request for request (threads interleave).
 */
class FaultInjectionTest {

    /** Five statuses the notifier knows as progress, four it does not know; then a terminal one. */
    static final List<String> ROUTE = List.of("validating_files", "queued", "running", "compressing", "pausing",
            "paused", "uploading", "evaluating", "finalizing");
    static final List<String> TERMINAL = List.of("succeeded", "failed", "cancelled");
    static final Set<String> UNKNOWN_TO_NOTIFIER = Set.of("compressing", "uploading", "evaluating", "finalizing");
    static final Set<String> EMAIL_STATUSES = Set.of("succeeded", "failed", "cancelled");
    static final List<String> CHANNELS = List.of("file", "slack", "email");
    static final String MODEL = "gpt-4o-mini-2024-07-18";
    static final String JOB_PREFIX = "ftjob-rel-";
    static final Pattern JOB_ID = Pattern.compile(Pattern.quote(JOB_PREFIX) + "\\d+");
    static final Pattern WORD = Pattern.compile("[a-z_]+");
    static final Set<String> STATUS_WORDS;
    static final Set<String> API_FAULT_KINDS = Set.of("http_500", "http_502", "http_503", "cut_off", "reset", "delay",
            "garbage", "http_429_retry_after_ms");

    static {
        Set<String> words = new TreeSet<>(ROUTE);
        words.addAll(TERMINAL);
        STATUS_WORDS = Set.copyOf(words);
    }

    /** What a run is made of; every value can be overridden by a system property of that name. */
    record Settings(long seed, int jobs, double apiFaultRate, double slackFaultRate, Duration deadline,
                    int readTimeoutMs, int retryAfterMs, int fetchConcurrency) {

        static Settings fromSystemProperties() {
            return new Settings(
                    Long.getLong("reliability.seed", 20_240_611L),
                    Integer.getInteger("reliability.jobs", 100),
                    Double.parseDouble(System.getProperty("reliability.api-fault-rate", "0.30")),
                    Double.parseDouble(System.getProperty("reliability.slack-fault-rate", "0.20")),
                    Duration.ofSeconds(Long.getLong("reliability.deadline-seconds", 180)),
                    Integer.getInteger("reliability.read-timeout-ms", 400),
                    Integer.getInteger("reliability.retry-after-ms", 150),
                    Integer.getInteger("reliability.fetch-concurrency", 24));
        }
    }

    @TempDir
    Path stateDir;
    @TempDir
    Path fileDir;

    private final Settings settings = Settings.fromSystemProperties();
    private final long started = System.nanoTime();
    private FineTuningApiSimulator api;
    private SlackWebhookCapture slack;
    private GreenMail smtp;
    private int smtpPort;
    private RunningNotifier notifier;
    private FileCreations files;

    // what arrived, from outside
    private final ConcurrentLinkedQueue<String> slackTexts = new ConcurrentLinkedQueue<>();
    private final Map<String, Integer> arrivals = new HashMap<>(); // "job|status|channel" -> times
    private final Map<String, String> mailIds = new HashMap<>(); // Message-ID -> key
    private final List<String> unreadable = new ArrayList<>();

    // the driver's plan and progress
    private final Map<String, List<String>> plans = new LinkedHashMap<>();
    private final Map<String, Integer> position = new HashMap<>();
    private final Set<String> expected = new TreeSet<>();
    private int transitionsMade;
    private int transitionsDelivered;

    // events
    private final List<String> events = new ArrayList<>();
    private final List<Double> restartSeconds = new ArrayList<>();
    private long smtpDownAt;
    private double smtpDownSeconds;
    private boolean smtpDown;
    private boolean smtpOutageOver;
    private int terminalWhileSmtpDown;
    private int contextChecks;

    @AfterEach
    void stopEverything() {
        if (notifier != null) {
            notifier.close();
        }
        if (files != null) {
            files.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (slack != null) {
            slack.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    // its own deadline (reliability.deadline-seconds, 3 min) decides, with time to stop; not the suite's 2 min
    @Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
    void everyStatusArrivesExactlyOnceOnEveryChannelUnderFaultsAndRestarts() throws Exception {
        api = FineTuningApiSimulator.start();
        slack = SlackWebhookCapture.start();
        smtp = LocalSmtp.start();
        smtpPort = smtp.getSmtp().getPort();
        slack.onPost(post -> slackTexts.add(post.path("text").asText()));
        files = FileCreations.watch(fileDir);

        for (int i = 0; i < settings.jobs(); i++) {
            String id = JOB_PREFIX + String.format(Locale.ROOT, "%03d", i);
            List<String> plan = new ArrayList<>(ROUTE);
            plan.add(TERMINAL.get(i % TERMINAL.size()));
            plans.put(id, plan);
            position.put(id, 0);
            for (String status : plan) {
                for (String channel : CHANNELS) {
                    if (wants(channel, status)) {
                        expected.add(key(id, status, channel));
                    }
                }
            }
            api.putJob(SimulatedJob.queued(id, MODEL).withStatus(plan.get(0)));
            transitionsMade++;
        }

        api.failRandomly(settings.apiFaultRate(), settings.seed(), List.of(
                Fault.status(500),
                Fault.status(502),
                Fault.status(503),
                Fault.cutOff(),
                Fault.reset(), // the HTTP client sends a GET once more after a reset: often unseen
                Fault.delay(Duration.ofMillis(settings.readTimeoutMs() * 3L)),
                Fault.garbage("<html><body><h1>502 Bad Gateway</h1></body></html>"),
                Fault.retryAfterMs(429, settings.retryAfterMs())));
        slack.failRandomly(settings.slackFaultRate(), settings.seed() + 1);

        notifier = RunningNotifier.start(properties());
        checkRunning();

        String outcome = "completed";
        try {
            runDriver();
            awaitQuiet();
        } catch (ConditionTimeoutException e) {
            outcome = "DEADLINE (" + settings.deadline().toSeconds() + " s) PASSED: " + e.getMessage();
        }
        observe();
        List<String> badDocuments = checkDocuments();
        Summary summary = summarize(outcome);
        summary.print();

        assertTrue(unreadable.isEmpty(), "arrivals that name no single (job, status): " + unreadable + "\n" + summary.table);
        assertEquals("completed", outcome, summary.table);
        assertTrue(badDocuments.isEmpty(), "documents missing or naming another job or status: " + badDocuments);
        assertEquals(0, summary.duplicated, "duplicated deliveries: " + summary.duplicatedKeys + "\n" + summary.table);
        assertEquals(0, summary.lost, "lost deliveries: " + summary.lostKeys + "\n" + summary.table);
        assertEquals(0, summary.unexpected, "unexpected deliveries: " + summary.unexpectedKeys + "\n" + summary.table);
        assertEquals(settings.jobs() * (ROUTE.size() + 1), transitionsMade, summary.table);
        assertEquals(2, restartSeconds.size(), "two restarts\n" + summary.table);
        assertTrue(smtpOutageOver, "the SMTP outage happened and ended\n" + summary.table);
        assertTrue(!files.overflowed(), "every file creation was seen\n" + summary.table);
        // the faults really were there, in about the shares asked for
        assertEquals(API_FAULT_KINDS, api.faultsInjected().keySet(), "every kind of API fault was injected\n" + summary.table);
        assertTrue(Math.abs(summary.apiFaultShare - settings.apiFaultRate())
                <= tolerance(settings.apiFaultRate(), summary.apiRequests), "API fault share\n" + summary.table);
        assertTrue(Math.abs(summary.slackFaultShare - settings.slackFaultRate())
                <= tolerance(settings.slackFaultRate(), summary.slackPosts), "Slack fault share\n" + summary.table);
        assertTrue(terminalWhileSmtpDown > 0, "mail was due while the SMTP server was down\n" + summary.table);
    }

    /** Four standard deviations of a share drawn {@code n} times with probability {@code p}, at least 3 points. */
    private static double tolerance(double p, long n) {
        return Math.max(0.03, 4 * Math.sqrt(p * (1 - p) / Math.max(1, n)));
    }

    private Map<String, String> properties() {
        Map<String, String> p = RunningNotifier.baseProperties(api.baseUrl(), stateDir, fileDir);
        p.put("notifier.jobs", String.join(",", plans.keySet()));
        p.put("notifier.poll-interval", "200");
        p.put("notifier.file.statuses", "*");
        p.put("notifier.slack.webhook-url", slack.url());
        p.put("notifier.slack.statuses", "*");
        p.put("notifier.email.to", "team@example.test");
        p.put("notifier.email.smtp-host", "127.0.0.1");
        p.put("notifier.email.smtp-port", String.valueOf(smtpPort));
        p.put("notifier.email.statuses", String.join(",", EMAIL_STATUSES));
        p.put("notifier.retry.initial-backoff", "100");
        p.put("notifier.retry.max-backoff", "1s");
        p.put("notifier.channel.open-seconds", "1");
        p.put("openai.read-timeout-ms", String.valueOf(settings.readTimeoutMs()));
        p.put("openai.connect-timeout-ms", "2000");
        p.put("notifier.fetch-concurrency", String.valueOf(settings.fetchConcurrency()));
        return p;
    }

    private static boolean wants(String channel, String status) {
        return !channel.equals("email") || EMAIL_STATUSES.contains(status);
    }

    private static String key(String job, String status, String channel) {
        return job + "|" + status + "|" + channel;
    }

    private Duration remaining() {
        Duration left = settings.deadline().minusNanos(System.nanoTime() - started);
        return left.isNegative() ? Duration.ofMillis(1) : left;
    }

    // ---- the driver ----

    /** Moves every job through its plan, with the outage and the restarts on the way; bounded by the deadline. */
    private void runDriver() {
        int total = settings.jobs() * (ROUTE.size() + 1);
        List<Event> plan = List.of(
                new Event("restart 1", () -> transitionsDelivered >= total / 3, this::restart),
                new Event("SMTP down", () -> transitionsDelivered >= total * 45 / 100, this::smtpGoesDown),
                new Event("restart 2", () -> transitionsDelivered >= total * 2 / 3, this::restart),
                new Event("SMTP up", () -> smtpDown && (transitionsDelivered >= total * 75 / 100 || onlyMailIsMissing()),
                        this::smtpComesBack));
        await("all " + total + " transitions delivered")
                .atMost(remaining())
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    checkRunning();
                    observe();
                    advance();
                    for (Event event : plan) {
                        event.fireOnceWhenDue(this);
                    }
                    return transitionsDelivered == total && plan.stream().allMatch(Event::fired);
                });
    }

    private record Event(String name, BooleanSupplier due, Runnable action, AtomicBoolean done) {
        Event(String name, BooleanSupplier due, Runnable action) {
            this(name, due, action, new AtomicBoolean());
        }

        void fireOnceWhenDue(FaultInjectionTest run) {
            if (!done.get() && due.getAsBoolean()) {
                done.set(true);
                run.events.add(String.format(Locale.ROOT, "%-10s at %4d transitions delivered, %5.1f s",
                        name, run.transitionsDelivered, run.elapsedSeconds()));
                action.run();
            }
        }

        boolean fired() {
            return done.get();
        }
    }

    /** A job moves on once its current status arrived on every channel that takes it. */
    private void advance() {
        int delivered = 0;
        for (Map.Entry<String, List<String>> job : plans.entrySet()) {
            String id = job.getKey();
            List<String> plan = job.getValue();
            int at = position.get(id);
            while (at + 1 < plan.size() && arrivedEverywhere(id, plan.get(at))) {
                at++;
                position.put(id, at);
                api.setStatus(id, plan.get(at));
                transitionsMade++;
                if (smtpDown && EMAIL_STATUSES.contains(plan.get(at))) {
                    terminalWhileSmtpDown++;
                }
            }
            delivered += at + (arrivedEverywhere(id, plan.get(at)) ? 1 : 0);
        }
        transitionsDelivered = delivered;
    }

    private boolean arrivedEverywhere(String job, String status) {
        return CHANNELS.stream().filter(c -> wants(c, status))
                .allMatch(c -> arrivals.getOrDefault(key(job, status, c), 0) > 0);
    }

    /** Every job not done waits for nothing but its email: the outage must end for the run to go on. */
    private boolean onlyMailIsMissing() {
        return plans.entrySet().stream().allMatch(job -> {
            String status = job.getValue().get(position.get(job.getKey()));
            return arrivedEverywhere(job.getKey(), status)
                    || (EMAIL_STATUSES.contains(status)
                    && arrivals.getOrDefault(key(job.getKey(), status, "file"), 0) > 0
                    && arrivals.getOrDefault(key(job.getKey(), status, "slack"), 0) > 0);
        });
    }

    private void restart() {
        long t0 = System.nanoTime();
        notifier.close();
        notifier = null;
        notifier = RunningNotifier.start(properties());
        restartSeconds.add((System.nanoTime() - t0) / 1e9);
        checkRunning();
    }

    private void smtpGoesDown() {
        observeMail(); // this server's messages go with it
        smtp.stop();
        smtp = null;
        smtpDown = true;
        smtpDownAt = System.nanoTime();
    }

    private void smtpComesBack() {
        smtp = LocalSmtp.start(smtpPort);
        smtpDown = false;
        smtpOutageOver = true;
        smtpDownSeconds = (System.nanoTime() - smtpDownAt) / 1e9;
    }

    /** The process never died: Camel and every route that starts were started at every check. */
    private void checkRunning() {
        CamelContext context = notifier.context();
        contextChecks++;
        assertEquals(ServiceStatus.Started, context.getStatus(), "the Camel context at check " + contextChecks);
        for (Route route : context.getRoutes()) {
            // a schedule that is off (poll-cron, digest) leaves its route stopped on purpose
            assertEquals(route.isAutoStartup() ? ServiceStatus.Started : ServiceStatus.Stopped,
                    context.getRouteController().getRouteStatus(route.getRouteId()),
                    "route " + route.getRouteId() + " at check " + contextChecks);
        }
    }

    /** After the last delivery: nothing pending, every job finished, and a few more polls bring nothing new. */
    private void awaitQuiet() {
        Path status = stateDir.resolve("status.json");
        ObjectMapper json = new ObjectMapper();
        await("every job finished, nothing pending").atMost(remaining()).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    JsonNode s = readJson(json, status);
                    return s != null && s.path("finished_jobs").asInt() == settings.jobs()
                            && s.path("pending").isArray() && s.path("pending").isEmpty();
                });
        String[] seen = {readJson(json, status).path("written_at").asText()};
        int[] polls = {0};
        await("three more polls").atMost(remaining()).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode s = readJson(json, status);
            String at = s == null ? seen[0] : s.path("written_at").asText();
            if (!at.equals(seen[0])) {
                seen[0] = at;
                polls[0]++;
            }
            return polls[0] >= 3;
        });
        checkRunning();
    }

    private static JsonNode readJson(ObjectMapper json, Path file) {
        try {
            return Files.exists(file) ? json.readTree(file.toFile()) : null;
        } catch (IOException e) {
            return null; // being replaced: read it again next time
        }
    }

    // ---- what arrived ----

    private void observe() {
        for (String text; (text = slackTexts.poll()) != null; ) {
            record(text, "slack");
        }
        observeMail();
        files.drain().forEach((name, times) -> {
            // <job>.<status>.json
            String[] parts = name.split("\\.");
            if (parts.length == 3 && plans.containsKey(parts[0])) {
                arrivals.merge(key(parts[0], parts[1], "file"), times, Integer::sum);
            } else {
                unreadable.add("file " + name);
            }
        });
    }

    /** Each document created is in the folder at the end, and names the job and status of its file name. */
    private List<String> checkDocuments() {
        ObjectMapper json = new ObjectMapper();
        List<String> bad = new ArrayList<>();
        for (String k : expected) {
            String[] parts = k.split("\\|");
            if (parts[2].equals("file") && arrivals.getOrDefault(k, 0) > 0) {
                JsonNode doc = readJson(json, fileDir.resolve(parts[0] + "." + parts[1] + ".json"));
                if (doc == null || !parts[0].equals(doc.path("job_id").asText()) || !parts[1].equals(doc.path("status").asText())) {
                    bad.add(k);
                }
            }
        }
        return bad;
    }

    private void observeMail() {
        if (smtp == null) {
            return;
        }
        for (MimeMessage message : smtp.getReceivedMessages()) {
            try {
                String id = message.getMessageID();
                if (!mailIds.containsKey(id)) {
                    String key = record(message.getSubject(), "email");
                    mailIds.put(id, key);
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Counts one arrival named by this text (a Slack text, a mail subject); null when it names no single (job, status). */
    private String record(String text, String channel) {
        String key = keyOf(text, channel);
        if (key == null) {
            unreadable.add(channel + ": " + text);
            return null;
        }
        arrivals.merge(key, 1, Integer::sum);
        return key;
    }

    /** The (job, status, channel) key a Slack text or mail subject names; null when it names no single job and status. */
    static String keyOf(String text, String channel) {
        Set<String> jobs = new TreeSet<>();
        Matcher job = JOB_ID.matcher(text);
        while (job.find()) {
            jobs.add(job.group());
        }
        Set<String> statuses = new TreeSet<>();
        Matcher word = WORD.matcher(text);
        while (word.find()) {
            if (STATUS_WORDS.contains(word.group())) {
                statuses.add(word.group());
            }
        }
        if (jobs.size() != 1 || statuses.size() != 1) {
            return null;
        }
        return key(jobs.iterator().next(), statuses.iterator().next(), channel);
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    // ---- the summary ----

    private record Summary(String table, int duplicated, int lost, int unexpected, List<String> duplicatedKeys,
                           List<String> lostKeys, List<String> unexpectedKeys, long apiRequests,
                           double apiFaultShare, long slackPosts, double slackFaultShare) {
        void print() throws IOException {
            System.out.println(table);
            Path out = Path.of("target", "reliability-summary.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, table + "\n");
        }
    }

    private Summary summarize(String outcome) {
        Map<String, Long> apiFaults = api.faultsInjected();
        long apiFaultCount = apiFaults.values().stream().mapToLong(Long::longValue).sum();
        // the requests random faults apply to: jobs and the job list (not the enrichment's result
        // files, checkpoints and events, which fail only as a test scripts them)
        long apiRequests = api.requests().stream().filter(r -> r.path().equals(FineTuningApiSimulator.LIST)
                || r.path().startsWith(FineTuningApiSimulator.LIST + "/") && !r.path().substring(FineTuningApiSimulator.LIST.length() + 1).contains("/")).count();
        Map<String, Long> slackFaults = slack.faultsInjected();
        long slackFaultCount = slackFaults.values().stream().mapToLong(Long::longValue).sum();
        int slackAttempts = slack.attempts();

        Map<String, int[]> perChannel = new LinkedHashMap<>(); // expected, delivered, duplicated, lost, unexpected
        CHANNELS.forEach(c -> perChannel.put(c, new int[5]));
        List<String> duplicatedKeys = new ArrayList<>();
        List<String> lostKeys = new ArrayList<>();
        List<String> unexpectedKeys = new ArrayList<>();
        for (String k : expected) {
            int[] row = perChannel.get(channelOf(k));
            row[0]++;
            int times = arrivals.getOrDefault(k, 0);
            if (times > 0) {
                row[1]++;
            } else {
                row[3]++;
                lostKeys.add(k);
            }
            if (times > 1) {
                row[2]++;
                duplicatedKeys.add(k + " x" + times);
            }
        }
        new TreeMap<>(arrivals).forEach((k, times) -> {
            if (!expected.contains(k)) {
                perChannel.get(channelOf(k))[4]++;
                unexpectedKeys.add(k + " x" + times);
            }
        });
        int[] totals = new int[5];
        perChannel.values().forEach(row -> IntStream.range(0, 5).forEach(i -> totals[i] += row[i]));

        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Fault-injection run: %s in %.1f s (seed %d)%n", outcome, elapsedSeconds(),
                settings.seed()));
        t.append(String.format(Locale.ROOT, "%-34s %8d   (%d jobs x %d statuses, %d of them unknown to the notifier)%n",
                "transitions", transitionsMade, settings.jobs(), ROUTE.size() + 1, UNKNOWN_TO_NOTIFIER.size()));
        t.append(String.format(Locale.ROOT, "%-34s %8d%n", "API requests", apiRequests));
        t.append(String.format(Locale.ROOT, "%-34s %8d   (%.1f%% of requests)%n", "API faults injected", apiFaultCount,
                100.0 * apiFaultCount / Math.max(1, apiRequests)));
        apiFaults.forEach((kind, n) -> t.append(String.format(Locale.ROOT, "  %-32s %8d%n", kind, n)));
        t.append(String.format(Locale.ROOT, "%-34s %8d%n", "Slack posts", slackAttempts));
        t.append(String.format(Locale.ROOT, "%-34s %8d   (%.1f%% of posts)%n", "Slack faults injected", slackFaultCount,
                100.0 * slackFaultCount / Math.max(1, slackAttempts)));
        slackFaults.forEach((kind, n) -> t.append(String.format(Locale.ROOT, "  %-32s %8d%n", kind, n)));
        t.append(String.format(Locale.ROOT, "%-34s %8.1f s (%d terminal statuses reached meanwhile)%n",
                "SMTP server down", smtpDownSeconds, terminalWhileSmtpDown));
        t.append(String.format(Locale.ROOT, "%-34s %8d   (%s s each)%n", "restarts (stop, start)", restartSeconds.size(),
                restartSeconds.stream().map(s -> String.format(Locale.ROOT, "%.1f", s)).collect(Collectors.joining(", "))));
        t.append(String.format(Locale.ROOT, "%-34s %8d   (context and every route started at each)%n",
                "process checks", contextChecks));
        events.forEach(e -> t.append("  ").append(e).append('\n'));
        t.append('\n');
        t.append(String.format(Locale.ROOT, "%-8s %9s %10s %11s %6s %11s%n",
                "channel", "expected", "delivered", "duplicated", "lost", "unexpected"));
        perChannel.forEach((c, row) -> t.append(row(c, row)));
        t.append(row("total", totals));
        return new Summary(t.toString().stripTrailing(), totals[2], totals[3], totals[4],
                limit(duplicatedKeys), limit(lostKeys), limit(unexpectedKeys),
                apiRequests, (double) apiFaultCount / Math.max(1, apiRequests),
                slackAttempts, (double) slackFaultCount / Math.max(1, slackAttempts));
    }

    private static String row(String name, int[] r) {
        return String.format(Locale.ROOT, "%-8s %9d %10d %11d %6d %11d%n", name, r[0], r[1], r[2], r[3], r[4]);
    }

    private static String channelOf(String key) {
        return key.substring(key.lastIndexOf('|') + 1);
    }

    private static List<String> limit(List<String> keys) {
        return keys.size() <= 20 ? keys : keys.subList(0, 20);
    }

    /**
     * Counts the documents the file channel creates: a rename of {@code <name>.part} to
     * {@code <name>} is a creation of {@code <name>}, so a document written twice counts twice,
     * although the folder then holds one file.
     */
    static final class FileCreations implements AutoCloseable {

        private final WatchService watcher;
        private final Thread reader;
        private final Map<String, Integer> created = new ConcurrentHashMap<>();
        private final AtomicBoolean overflowed = new AtomicBoolean();

        private FileCreations(WatchService watcher) {
            this.watcher = watcher;
            this.reader = new Thread(this::read, "file-creations");
            reader.setDaemon(true);
        }

        static FileCreations watch(Path dir) throws IOException {
            WatchService watcher = dir.getFileSystem().newWatchService();
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            FileCreations creations = new FileCreations(watcher);
            creations.reader.start();
            return creations;
        }

        private void read() {
            try {
                while (true) {
                    WatchKey key = watcher.take();
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                            overflowed.set(true);
                        } else if (event.context() instanceof Path name && name.toString().endsWith(".json")) {
                            created.merge(name.toString(), event.count(), Integer::sum);
                        }
                    }
                    key.reset();
                }
            } catch (InterruptedException | ClosedWatchServiceException stopped) {
                // closed
            }
        }

        /** Creations seen since the last call, per file name. */
        Map<String, Integer> drain() {
            Map<String, Integer> out = new HashMap<>();
            for (String name : List.copyOf(created.keySet())) {
                Integer n = created.remove(name);
                if (n != null) {
                    out.put(name, n);
                }
            }
            return out;
        }

        boolean overflowed() {
            return overflowed.get();
        }

        @Override
        public void close() {
            try {
                watcher.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
