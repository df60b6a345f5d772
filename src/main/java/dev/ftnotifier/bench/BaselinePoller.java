package dev.ftnotifier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The yardsticks the notifier is measured against: the poller a team would write in an
 * afternoon. Each poll fetches every watched job that has not finished (with {@code concurrency}
 * requests in flight on one keep-alive HTTP/1.1 client; 1 is the naive sequential poller), or
 * pages through {@code GET /fine_tuning/jobs} 100 at a time ({@code --discover}), and writes one
 * small JSON file per job whose status changed, as the notifier's file channel does (with
 * {@code --discover}, jobs already finished on the first poll are recorded, not written). No
 * retries, no journal, no exactly-once: a floor, not a rival.
 *
 * <pre>
 * java -cp fine-tuning-notifier.jar dev.ftnotifier.bench.BaselinePoller --base-url URL --out DIR
 *      (--ids FILE [--sample K] | --discover) [--concurrency C] [--polls 2] [--pause-ms 1000]
 * </pre>
 * {@code --sample K} polls only every (n/K)-th id, for a sequential run that would take minutes;
 * the benchmark scales its times up. After the last poll it prints {@code done} and waits to be
 * stopped, so its CPU and memory can be read.
 */
public final class BaselinePoller {

    private static final Set<String> FINISHED = Set.of("succeeded", "failed", "cancelled");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client;
    private final String baseUrl;
    private final Path out;
    private final int concurrency;
    private final Map<String, String> lastStatus = new ConcurrentHashMap<>();

    private BaselinePoller(String baseUrl, Path out, int concurrency) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.baseUrl = baseUrl;
        this.out = out;
        this.concurrency = concurrency;
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = null;
        Path out = null;
        Path ids = null;
        boolean discover = false;
        int concurrency = 1;
        int polls = 2;
        long pauseMs = 1000;
        int sample = Integer.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--base-url" -> baseUrl = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--ids" -> ids = Path.of(args[++i]);
                case "--discover" -> discover = true;
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--polls" -> polls = Integer.parseInt(args[++i]);
                case "--pause-ms" -> pauseMs = Long.parseLong(args[++i]);
                case "--sample" -> sample = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (baseUrl == null || out == null || (ids == null) == !discover) {
            throw new IllegalArgumentException("need --base-url, --out and one of --ids FILE or --discover");
        }
        Files.createDirectories(out);
        BaselinePoller poller = new BaselinePoller(baseUrl, out, concurrency);
        List<String> watched = ids == null ? List.of() : sampled(readIds(ids), sample);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        for (int poll = 1; poll <= polls; poll++) {
            long start = System.nanoTime();
            int requests = discover ? poller.discover(poll == 1) : poller.fetchAll(watched, pool);
            System.out.printf("poll %d: %d requests in %.3f s%n", poll, requests, (System.nanoTime() - start) / 1e9);
            if (poll < polls) {
                Thread.sleep(pauseMs);
            }
        }
        pool.shutdown();
        System.out.println("done");
        System.out.flush();
        Thread.sleep(60_000); // the benchmark reads CPU and memory, then stops us
    }

    private static List<String> readIds(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    /** Every (n/k)-th id, spread over the whole list, so finished and running jobs are both in. */
    private static List<String> sampled(List<String> ids, int k) {
        if (k >= ids.size()) {
            return ids;
        }
        List<String> picked = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            picked.add(ids.get((int) ((long) i * ids.size() / k)));
        }
        return picked;
    }

    private int fetchAll(List<String> ids, ExecutorService pool) throws Exception {
        List<String> due = ids.stream().filter(id -> !FINISHED.contains(lastStatus.getOrDefault(id, ""))).toList();
        if (concurrency == 1) {
            for (String id : due) {
                fetch(id);
            }
            return due.size();
        }
        List<Future<?>> pending = new ArrayList<>(due.size());
        for (String id : due) {
            pending.add(pool.submit(() -> {
                fetch(id);
                return null;
            }));
        }
        for (Future<?> each : pending) {
            each.get();
        }
        return due.size();
    }

    private void fetch(String id) throws IOException, InterruptedException {
        String body = get("/fine_tuning/jobs/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        JsonNode job = MAPPER.readTree(body);
        changed(id, job.path("status").asText(), job, true);
    }

    /** Pages through the whole list, one page after the other (a cursor cannot be fetched ahead). */
    private int discover(boolean firstPoll) throws IOException, InterruptedException {
        int requests = 0;
        String after = null;
        while (true) {
            String page = get("/fine_tuning/jobs?limit=100"
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)));
            requests++;
            JsonNode list = MAPPER.readTree(page);
            for (JsonNode job : list.path("data")) {
                String status = job.path("status").asText();
                // the first poll records jobs that had finished already, without a notification
                changed(job.path("id").asText(), status, job, !(firstPoll && FINISHED.contains(status)));
                after = job.path("id").asText();
            }
            if (!list.path("has_more").asBoolean(false) || list.path("data").isEmpty()) {
                return requests;
            }
        }
    }

    private void changed(String id, String status, JsonNode job, boolean notify) throws IOException {
        String before = lastStatus.put(id, status);
        if (notify && !status.equals(before)) {
            Path file = out.resolve(id.replaceAll("[^A-Za-z0-9_-]", "_") + "." + status + ".json");
            Files.writeString(file, MAPPER.writeValueAsString(Map.of("job_id", id, "status", status, "job", job)));
        }
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer test-key-not-a-secret")
                .timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " for " + path);
        }
        return response.body();
    }
}
