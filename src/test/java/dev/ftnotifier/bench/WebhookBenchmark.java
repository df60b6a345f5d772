package dev.ftnotifier.bench;

import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.simulator.SlackWebhookCapture;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.RunningNotifier;
import dev.ftnotifier.webhook.Events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How fast an OpenAI webhook event becomes a Slack post, and how a burst is answered; a program,
 * not a test (README "Webhooks" has the figures and the command):
 * <pre>
 * mvn -B -q -o test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *     -Dexec.classpathScope=test -Dexec.mainClass=dev.ftnotifier.bench.WebhookBenchmark [-Dexec.args="50 1000"]
 * </pre>
 * 1. {@code latency}: one event at a time for a job that just failed, the API simulator answering in
 *    20 ms: from the 200 to the Slack post arriving at the Slack stand-in.
 * 2. {@code burst}: a thousand events for a thousand jobs at once (64 senders): how long each
 *    answer took, and when the last file document was written.
 * Both on 127.0.0.1, with the notifier's real Main, YAML routes unless -Dnotifier.test.dsl=xml.
 */
public final class WebhookBenchmark {

    private WebhookBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int single = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int burst = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path dir = Files.createTempDirectory("webhook-bench-");
        try (FineTuningApiSimulator api = FineTuningApiSimulator.start();
             SlackWebhookCapture slack = SlackWebhookCapture.start()) {
            api.latency(Duration.ofMillis(20));
            Map<String, Long> arrived = new ConcurrentHashMap<>();
            slack.onPost(post -> {
                String text = post.path("text").asText();
                int at = text.indexOf("ftjob-bench-");
                if (at >= 0) {
                    arrived.putIfAbsent(text.substring(at).split(" ")[0], System.nanoTime());
                }
            });
            int port = Events.freePort();
            Map<String, String> p = RunningNotifier.baseProperties(api.baseUrl(), dir.resolve("data"), dir.resolve("notifications"));
            Events.receiverOn(p, Events.SECRET, port);
            p.put("notifier.poll-interval", "3600000");
            p.put("notifier.routes.reload", "false");
            p.put("notifier.slack.webhook-url", slack.url());
            try (RunningNotifier notifier = RunningNotifier.start(p)) {
                // warm-up: the first requests of a JVM pay for class loading
                for (int i = 0; i < 20; i++) {
                    String job = "ftjob-warm-" + i;
                    api.putJob(SimulatedJob.queued(job, "gpt-4o-mini-2024-07-18"));
                    api.setStatus(job, "failed");
                    Events.send(port, Events.SECRET, job, "failed");
                }
                Thread.sleep(2000);

                List<Long> toSlack = new ArrayList<>();
                for (int i = 0; i < single; i++) {
                    String job = "ftjob-bench-" + i;
                    api.putJob(SimulatedJob.queued(job, "gpt-4o-mini-2024-07-18"));
                    api.setStatus(job, "failed");
                    Events.send(port, Events.SECRET, job, "failed");
                    long answered = System.nanoTime();
                    long deadline = answered + Duration.ofSeconds(30).toNanos();
                    while (!arrived.containsKey(job) && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    toSlack.add(arrived.containsKey(job) ? arrived.get(job) - answered : Long.MAX_VALUE);
                }
                report("200 -> Slack post (API 20 ms), " + single + " events one at a time", toSlack);

                // the receiver alone: a burst of events it answers and ignores (another type), nothing to deliver
                List<Long> ignoredTimes = burstOf(port, burst, i -> {
                    byte[] body = ("{\"type\":\"batch.completed\",\"data\":{\"id\":\"batch_" + i + "\"}}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    return Events.post(Events.url(port), Events.signedHeaders(Events.SECRET, Events.newId(), body), body).statusCode();
                });
                report("burst of " + burst + " events of another type (answered, nothing delivered): each answer", ignoredTimes);

                List<String> jobs = new ArrayList<>();
                for (int i = 0; i < burst; i++) {
                    String job = "ftjob-burst-" + i;
                    api.putJob(SimulatedJob.queued(job, "gpt-4o-mini-2024-07-18"));
                    api.setStatus(job, "failed");
                    jobs.add(job);
                }
                ExecutorService senders = Executors.newFixedThreadPool(64);
                List<Future<long[]>> answers = new ArrayList<>();
                long start = System.nanoTime();
                for (String job : jobs) {
                    answers.add(senders.submit(() -> {
                        long t0 = System.nanoTime();
                        int code = Events.send(port, Events.SECRET, job, "failed");
                        return new long[] {System.nanoTime() - t0, code};
                    }));
                }
                List<Long> answerTimes = new ArrayList<>();
                long not200 = 0;
                for (Future<long[]> answer : answers) {
                    long[] r = answer.get();
                    answerTimes.add(r[0]);
                    not200 += r[1] == 200 ? 0 : 1;
                }
                long allAnswered = System.nanoTime() - start;
                senders.shutdown();
                Path files = dir.resolve("notifications");
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (Documents.names(files).stream().filter(n -> n.startsWith("ftjob-burst-")).count() < burst
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long allDelivered = System.nanoTime() - start;
                long documents = Documents.names(files).stream().filter(n -> n.startsWith("ftjob-burst-")).count();
                report("burst of " + burst + " events, 64 senders: each answer", answerTimes);
                System.out.printf("burst: %d not answered 200; all answered after %.2f s; %d of %d file documents after %.2f s%n",
                        not200, allAnswered / 1e9, documents, burst, allDelivered / 1e9);
            }
        } finally {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
        System.exit(0);
    }

    private static List<Long> burstOf(int port, int count, java.util.function.IntUnaryOperator send) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(64);
        try {
            List<Future<Long>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                answers.add(senders.submit(() -> {
                    long t0 = System.nanoTime();
                    if (send.applyAsInt(n) != 200) {
                        throw new IllegalStateException("not answered 200");
                    }
                    return System.nanoTime() - t0;
                }));
            }
            List<Long> times = new ArrayList<>();
            for (Future<Long> answer : answers) {
                times.add(answer.get());
            }
            return times;
        } finally {
            senders.shutdown();
        }
    }

    private static void report(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("%s: median %.1f ms, p99 %.1f ms, max %.1f ms%n", what, ms(sorted, 0.5), ms(sorted, 0.99),
                sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double ms(List<Long> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
    }
}
