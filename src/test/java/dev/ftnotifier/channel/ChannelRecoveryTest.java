package dev.ftnotifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.testing.LocalSmtp;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RecordingWebhook;
import dev.ftnotifier.testing.RunningNotifier;
import dev.ftnotifier.notify.ChannelBreakers;
import dev.ftnotifier.recovery.ChannelBacklogs;
import dev.ftnotifier.state.DeliveryLedger;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guarantee of README "Delivery state": after a channel recovers, every delivery pending on
 * it arrives within notifier.channel.open-seconds plus one poll interval (plus its pace),
 * whatever the outage length and however many attempts met the open breaker. Short timings:
 * a poll every 200 ms, the breaker open for 1 s, a backoff that could grow to 20 s (the
 * stand-in for notifier.retry.max-backoff's 10 min) if refusals counted as failures.
 */
class ChannelRecoveryTest {

    private static final int POLL_MS = 200;
    /** The poll interval of the test that makes a poll's delivery likely to meet the breaker as it half-opens. */
    private static final int RACE_POLL_MS = 50;
    private static final int OPEN_MS = 1000;
    private static final int SLACK_BURST = 3;
    private static final int SLACK_PERIOD_MS = 1000;
    /** What the notifier itself needs to notice and send, on 2 busy cores: the test's tolerance, not part of the figure. */
    private static final int MARGIN_MS = 1000;
    /** How long the slow webhook service takes to answer each request. */
    private static final int SLOW_SERVICE_MS = 800;
    private static final List<String> JOBS = IntStream.rangeClosed(1, 6).mapToObj(i -> "ftjob-r" + i).toList();

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    private final List<Long> slackArrivals = Collections.synchronizedList(new ArrayList<>());

    private Map<String, String> properties() {
        return properties(POLL_MS);
    }

    private Map<String, String> properties(int pollMs) {
        List<String> watched = new ArrayList<>(JOBS);
        watched.add(LocalWorld.CLOCK);
        Map<String, String> p = world.allChannels(watched.toArray(String[]::new));
        p.put("notifier.poll-interval", String.valueOf(pollMs));
        p.put("notifier.channel.open-seconds", String.valueOf(OPEN_MS / 1000));
        p.put("notifier.retry.initial-backoff", "500");
        p.put("notifier.retry.max-backoff", "20s");
        p.put("notifier.pace.slack.burst", String.valueOf(SLACK_BURST));
        p.put("notifier.pace.slack.period", SLACK_PERIOD_MS + "ms");
        return p;
    }

    private void putJobs() {
        world.startClock();
        JOBS.forEach(id -> world.putJob(id, "failed"));
        world.slack.onPost(post -> slackArrivals.add(System.nanoTime()));
    }

    /** The bound for a backlog of {@code n} on a channel paced {@code burst} per {@code periodMs}. */
    private static long boundMs(int n, int burst, int periodMs) {
        long pacing = (long) ((n + burst - 1) / burst - 1) * periodMs;
        return OPEN_MS + POLL_MS + pacing;
    }

    /** Waits until every job has its Slack post; returns the milliseconds since {@code recoveredAt}. */
    private long slackBacklogArrivesAfter(long recoveredAt, long boundMs) {
        await().atMost(Duration.ofMillis(boundMs + MARGIN_MS)).pollInterval(Duration.ofMillis(20))
                .until(() -> JOBS.stream().allMatch(id -> world.slackPosts(id) >= 1));
        return (System.nanoTime() - recoveredAt) / 1_000_000;
    }

    /**
     * Counts the attempts the channel's breaker refuses from now on (resilience4j's own count
     * starts again on every state change).
     */
    private static AtomicLong countRefusals(RunningNotifier notifier, String channel) {
        ResilienceProcessor breaker = notifier.context().getRegistry().lookupByNameAndType("channelBreakers", ChannelBreakers.class)
                .breaker(channel);
        AtomicLong refused = new AtomicLong();
        breaker.getCircuitBreaker().getEventPublisher().onCallNotPermitted(e -> refused.incrementAndGet());
        return refused;
    }

    private int attemptsRecorded() throws IOException {
        Path status = world.stateDir.resolve("status.json");
        if (!Files.exists(status)) {
            return 0;
        }
        int sum = 0;
        for (JsonNode p : new ObjectMapper().readTree(status.toFile()).get("pending")) {
            sum += p.get("attempts").asInt();
        }
        return sum;
    }

    private void assertExactlyOnceEverywhere() {
        for (String id : JOBS) {
            assertEquals(1, world.slackPosts(id), id + " on Slack");
            assertEquals(1, world.mails(id), id + " by email");
        }
    }

    /** Never more than the burst within one period: the backlog does not arrive as a herd. */
    private void assertSlackPaced() {
        List<Long> at = new ArrayList<>(slackArrivals);
        Collections.sort(at);
        long window = (SLACK_PERIOD_MS - 100) * 1_000_000L;
        for (int i = 0; i + SLACK_BURST < at.size(); i++) {
            assertTrue(at.get(i + SLACK_BURST) - at.get(i) >= window,
                    "more than " + SLACK_BURST + " Slack posts within " + SLACK_PERIOD_MS + " ms");
        }
    }

    private static void report(String scenario, long measuredMs, long boundMs) {
        System.out.printf("channel recovery: %-40s backlog arrived %5d ms after recovery (bound %d ms)%n", scenario, measuredMs, boundMs);
    }

    /**
     * The case: Slack answers 500 to its first three posts, then 200. Three failures do
     * not open the breaker (it judges only once it has seen 10 calls).
     */
    @Test
    void threeFailedPostsCostSecondsNotMinutes() {
        world.slack.failNext(3, 500);
        long bound = boundMs(JOBS.size(), SLACK_BURST, SLACK_PERIOD_MS);
        try (RunningNotifier notifier = RunningNotifier.start(properties())) {
            // the jobs appear once the breaker is watched (until then the API answers 404 for them)
            AtomicLong refused = countRefusals(notifier, "slack");
            putJobs();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> world.slack.attempts() >= 3);
            long recoveredAt = System.nanoTime();
            long measured = slackBacklogArrivesAfter(recoveredAt, bound);
            report("3 failed posts", measured, bound);
            assertTrue(measured <= bound + MARGIN_MS, measured + " ms");
            assertEquals(0, refused.get(), "attempts the breaker refused after three failures");
        }
        assertExactlyOnceEverywhere();
        assertSlackPaced();
    }

    /**
     * Slack down for {@code polls} polls and until the open breaker refused {@code refusals}
     * attempts, then back; with {@code restart}, the notifier is stopped and started again in
     * the middle of the outage (half the polls and refusals each side).
     */
    private void slackOutage(String scenario, int polls, long refusals, boolean restart) throws IOException {
        putJobs();
        world.slack.failNext(1_000_000, 500);
        long bound = boundMs(JOBS.size(), SLACK_BURST, SLACK_PERIOD_MS);
        if (restart) {
            try (RunningNotifier first = RunningNotifier.start(properties())) {
                AtomicLong refused = countRefusals(first, "slack");
                world.waitForPolls(polls / 2);
                await().atMost(Duration.ofSeconds(60)).until(() -> refused.get() >= refusals / 2);
            }
        }
        try (RunningNotifier notifier = RunningNotifier.start(properties())) {
            AtomicLong refused = countRefusals(notifier, "slack");
            world.waitForPolls(restart ? polls - polls / 2 : polls);
            await().atMost(Duration.ofSeconds(60)).until(() -> refused.get() >= (restart ? refusals - refusals / 2 : refusals));
            int recorded = attemptsRecorded();
            assertTrue(recorded <= world.slack.attempts(),
                    recorded + " failed attempts recorded but only " + world.slack.attempts() + " posts reached Slack");
            world.slack.recover();
            long recoveredAt = System.nanoTime();
            long measured = slackBacklogArrivesAfter(recoveredAt, bound);
            report(scenario + " (" + refused.get() + " refused)", measured, bound);
            assertTrue(measured <= bound + MARGIN_MS, measured + " ms");
            await().atMost(Duration.ofSeconds(10)).until(() -> attemptsRecorded() == 0);
        }
        assertExactlyOnceEverywhere();
        assertSlackPaced();
    }

    /** About "30 s" in these timings: 15 polls. */
    @Test
    void aShortSlackOutage() throws IOException {
        slackOutage("Slack down 15 polls", 15, 10, false);
    }

    /** About "10 min" in these timings: 60 polls, long after the backoff would have reached its ceiling. */
    @Test
    void aLongSlackOutage() throws IOException {
        slackOutage("Slack down 60 polls", 60, 60, false);
    }

    /** Slack down 30 polls, the notifier restarted after 15 of them: the backlog still arrives within the bound. */
    @Test
    void aSlackOutageWithARestartInTheMiddle() throws IOException {
        slackOutage("Slack down 30 polls, restart in the middle", 30, 20, true);
    }

    /**
     * The SMTP server down for {@code polls} polls and until the open breaker refused
     * {@code refusals} attempts (the notifier restarted in the middle of the outage with
     * {@code restart}), then back: every mail arrives within the bound.
     */
    private void smtpOutage(String scenario, int polls, long refusals, boolean restart) {
        putJobs();
        int port = world.smtp.getSmtp().getPort();
        long bound = boundMs(JOBS.size(), 10, 1000);
        Map<String, String> p = properties();
        p.put("notifier.pace.email.burst", "10");
        p.put("notifier.pace.email.period", "1s");
        world.smtp.stop();
        if (restart) {
            try (RunningNotifier first = RunningNotifier.start(p)) {
                AtomicLong refused = countRefusals(first, "email");
                world.waitForPolls(polls / 3);
                await().atMost(Duration.ofSeconds(60)).until(() -> refused.get() >= refusals / 2);
            }
        }
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            AtomicLong refused = countRefusals(notifier, "email");
            world.waitForPolls(restart ? polls - polls / 3 : polls);
            await().atMost(Duration.ofSeconds(60)).until(() -> refused.get() >= (restart ? refusals - refusals / 2 : refusals));
            world.smtp = LocalSmtp.start(port);
            long recoveredAt = System.nanoTime();
            await().atMost(Duration.ofMillis(bound + MARGIN_MS)).pollInterval(Duration.ofMillis(20))
                    .until(() -> JOBS.stream().allMatch(id -> world.mails(id) >= 1));
            long measured = (System.nanoTime() - recoveredAt) / 1_000_000;
            report(scenario + " (" + refused.get() + " refused)", measured, bound);
            assertTrue(measured <= bound + MARGIN_MS, measured + " ms");
        }
        assertExactlyOnceEverywhere();
    }

    /** The SMTP server down, the notifier restarted in the middle of the outage, then the server back. */
    @Test
    void anSmtpOutageWithARestartInTheMiddle() {
        smtpOutage("SMTP down 30 polls, restart in the middle", 30, 18, true);
    }

    /** About "10 min" in these timings: the SMTP server down 60 polls, long after the backoff would have reached its ceiling. */
    @Test
    void aLongSmtpOutage() {
        smtpOutage("SMTP down 60 polls", 60, 60, false);
    }

    /**
     * A webhook service down for 30 polls, then back but slow: each answer takes
     * {@code SLOW_SERVICE_MS}. After the trial call, the rest of the backlog goes out at once
     * (at the channel's pace, 10 a second), not one request after the other: it arrives within
     * the bound plus the time one request takes (the trial call's), where one after the other
     * would take six of them.
     */
    @Test
    void aSlowWebhookServiceGetsTheRestOfItsBacklogAtOnce() {
        putJobs();
        long bound = boundMs(JOBS.size(), 10, 1000) + SLOW_SERVICE_MS;
        try (RecordingWebhook hook = RecordingWebhook.start()) {
            hook.failNext(1_000_000, 503);
            Map<String, String> p = properties();
            p.put("notifier.channel.hook.type", "webhook");
            p.put("notifier.channel.hook.url", hook.baseUrl() + "/in");
            try (RunningNotifier notifier = RunningNotifier.start(p)) {
                AtomicLong refused = countRefusals(notifier, "hook");
                world.waitForPolls(30);
                await().atMost(Duration.ofSeconds(60)).until(() -> refused.get() >= 20);
                hook.answerAfter(SLOW_SERVICE_MS);
                hook.stopFailing();
                long recoveredAt = System.nanoTime();
                await().atMost(Duration.ofMillis(bound + MARGIN_MS)).pollInterval(Duration.ofMillis(20))
                        .until(() -> JOBS.stream().allMatch(id -> accepted(hook, id) >= 1));
                long measured = (System.nanoTime() - recoveredAt) / 1_000_000;
                report("slow webhook down 30 polls (" + refused.get() + " refused)", measured, bound);
                assertTrue(measured <= bound + MARGIN_MS, measured + " ms");
                await().atMost(Duration.ofSeconds(10)).until(() -> pendingJobs(notifier, "hook").isEmpty());
            }
            for (String id : JOBS) {
                assertEquals(1, accepted(hook, id), id + " on the webhook");
            }
        }
        assertExactlyOnceEverywhere();
    }

    /** The requests about the job the service accepted (counted on arrival). */
    private static long accepted(RecordingWebhook hook, String jobId) {
        return hook.accepted().stream()
                .filter(r -> jobId.equals(r.json().path("job_id").asText())).count();
    }

    private static ResilienceProcessor breaker(RunningNotifier notifier, String channel) {
        return notifier.context().getRegistry().lookupByNameAndType("channelBreakers", ChannelBreakers.class).breaker(channel);
    }

    private static DeliveryLedger ledger(RunningNotifier notifier) {
        return notifier.context().getRegistry().lookupByNameAndType("deliveryStore", DeliveryLedger.class);
    }

    /** The jobs of the deliveries pending on the channel, in the ledger's order (by next attempt). */
    private static List<String> pendingJobs(RunningNotifier notifier, String channel) {
        return ledger(notifier).pending().stream().map(DeliveryLedger.Pending::delivery)
                .filter(k -> k.endsWith("|" + channel)).map(k -> k.substring(0, k.indexOf('|'))).toList();
    }

    /** The attempts the ledger counts for the deliveries pending on the channel. */
    private static int attemptsOn(RunningNotifier notifier, String channel) {
        return ledger(notifier).pending().stream().filter(p -> p.delivery().endsWith("|" + channel))
                .mapToInt(DeliveryLedger.Pending::attempts).sum();
    }

    /** The job each accepted Slack post is about, in the order they arrived. */
    private List<String> slackOrder() {
        List<String> order = new ArrayList<>();
        for (JsonNode post : world.slack.posts()) {
            String text = post.get("text").asText();
            JOBS.stream().filter(id -> text.contains(id + " ")).forEach(order::add);
        }
        return order;
    }

    /**
     * The backlog goes out in the order its deliveries became due, not in the order the jobs are
     * watched or fetched, and its first delivery is the trial call: the deliveries become pending
     * in the order r4, r2, r6, r1, r5, r3 while the breaker is held open, and once it half-opens
     * the posts follow that order from the first one on. Polls every 50 ms, each bringing the six
     * pending deliveries to the breaker, make it likely that one of them reaches the breaker the
     * moment it half-opens; none may take the trial call from the backlog.
     */
    @Test
    void theBacklogGoesOutInTheOrderItBecameDue() {
        List<String> dueOrder = List.of("ftjob-r4", "ftjob-r2", "ftjob-r6", "ftjob-r1", "ftjob-r5", "ftjob-r3");
        ChannelBacklogs backlogs;
        try (RunningNotifier notifier = RunningNotifier.start(properties(RACE_POLL_MS))) {
            backlogs = notifier.context().getRegistry().lookupByNameAndType("channelBacklogs", ChannelBacklogs.class);
            assertTrue(backlogs.isStarted(), "channelBacklogs is a service of the context");
            world.startClock();
            CircuitBreaker breaker = breaker(notifier, "slack").getCircuitBreaker();
            // held open while the backlog builds (the test's shortcut for an outage), then open for open-seconds
            breaker.transitionToForcedOpenState();
            for (String id : dueOrder) {
                world.putJob(id, "failed");
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                        .until(() -> pendingJobs(notifier, "slack").contains(id));
            }
            assertEquals(dueOrder, pendingJobs(notifier, "slack"), "the ledger's due order");
            breaker.transitionToOpenState();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> JOBS.stream().allMatch(id -> world.slackPosts(id) >= 1));
            assertEquals(dueOrder, slackOrder(), "Slack posts, the trial call first");
        }
        // stopped with the context, and the producer it starts its route with
        assertTrue(backlogs.isStopped(), "channelBacklogs stopped with the context");
        assertExactlyOnceEverywhere();
        assertSlackPaced();
    }

    /**
     * The half-open breaker's trial call gets no answer for a while (Slack hangs) and then fails
     * (500): the deliveries held back meanwhile count no attempt, the failed trial counts one, the
     * breaker opens again, the next half-open tries again, and the backlog then arrives once each.
     */
    @Test
    void aTrialCallThatFailsIsOneFailedAttempt() {
        putJobs();
        world.slack.failNext(1_000_000, 500);
        List<String> transitions = Collections.synchronizedList(new ArrayList<>());
        // The failed trial's retry (0.5 s later, +-15%) must meet the breaker still open, and the
        // ledger must record it, before the breaker half-opens again: with 1 s open that margin
        // is under half a second, which a loaded CI machine overran. 3 s leaves room.
        int openMs = 3000;
        Map<String, String> p = properties();
        p.put("notifier.channel.open-seconds", String.valueOf(openMs / 1000));
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            AtomicLong refused = countRefusals(notifier, "slack");
            breaker(notifier, "slack").getCircuitBreaker().getEventPublisher()
                    .onStateTransition(e -> transitions.add(e.getStateTransition().getToState().name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> refused.get() >= 6 && pendingJobs(notifier, "slack").size() == JOBS.size());
            // the next post Slack gets hangs until released, then fails; the ones after it are answered
            int posts = world.slack.attempts();
            world.slack.answerHungWith(500);
            world.slack.hangNext(1);
            world.slack.recover();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> world.slack.attempts() > posts);
            // the trial call hangs: the breaker is half-open, and the deliveries of the next polls are held back
            int counted = attemptsOn(notifier, "slack");
            world.waitForPolls(3);
            assertEquals("HALF_OPEN", transitions.get(transitions.size() - 1));
            assertEquals(counted, attemptsOn(notifier, "slack"), "deliveries held back while the trial call hangs count no attempt");
            transitions.clear();
            world.slack.releaseHangs();
            // it fails: the breaker opens again, and the delivery is counted one failed attempt (before the next trial, openMs later)
            try {
                await("the failed trial call counted as one failed attempt").atMost(Duration.ofMillis(openMs)).pollInterval(Duration.ofMillis(5))
                        .until(() -> attemptsOn(notifier, "slack") == counted + 1);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // what to look at when it does not hold (CI saw it twice before the half-open race was fixed)
                throw new AssertionError("the failed trial call was not counted as one failed attempt: attempts " + counted + " -> "
                        + attemptsOn(notifier, "slack") + "; breaker transitions since the release " + transitions
                        + "; posts Slack got " + world.slack.attempts() + ", accepted " + slackOrder(), e);
            }
            assertEquals("OPEN", transitions.get(0), "the breaker opened again after the failed trial: " + transitions);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> JOBS.stream().allMatch(id -> world.slackPosts(id) >= 1));
            assertEquals("CLOSED", transitions.get(transitions.size() - 1), "the next trial succeeded: " + transitions);
            await().atMost(Duration.ofSeconds(10)).until(() -> ledger(notifier).pendingCount() == 0);
        }
        assertExactlyOnceEverywhere();
        assertSlackPaced();
    }
}
