package dev.ftnotifier.fuzz;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ftnotifier.fuzz.HostileJobs.Case;
import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.notify.EmailMessages;
import dev.ftnotifier.notify.FileDocuments;
import dev.ftnotifier.notify.Notification;
import dev.ftnotifier.notify.NotificationFactory;
import dev.ftnotifier.notify.SlackMessages;
import dev.ftnotifier.notify.Summaries;
import dev.ftnotifier.notify.Templates;
import dev.ftnotifier.openai.InvalidJobException;
import dev.ftnotifier.openai.JobCheck;
import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.status.StatusMeaning;
import dev.ftnotifier.testing.RunningNotifier;
import dev.ftnotifier.testing.ShippedRouter;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile job bodies through the real path: Jackson into {@link FineTuningJob} with the mapper
 * camel-jackson makes by default, {@link JobCheck}, then the notification and its renderings; and a
 * smaller batch served by the simulator to the running notifier. Each body is either rejected with
 * an exception the fetch route expects ({@link JacksonException}, {@link InvalidJobException}) or
 * routed to a valid document for the requested job with a safe status. Anything else is a bug.
 *
 * <p>The random mutations come from a fixed seed, so a run is reproducible; explore with
 * {@code mvn test -Dtest=JobFuzzTest -Dfuzz.seed=<any long> -Dfuzz.mutations=20000} (surefire passes -D
 * on to the tests).
 */
class JobFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20240501L);
    private static final int RANDOM_MUTATIONS = Integer.getInteger("fuzz.mutations", 400);
    private static final Pattern SAFE_STATUS = Pattern.compile("[a-z0-9_-]{1,64}");

    /**
     * What camel-jackson 4.18 unmarshals with: with no ObjectMapper configured (and registry lookup off
     * by default) JacksonDataFormat.createNewObjectMapper() makes a plain {@code new ObjectMapper()} and
     * changes no feature; FAIL_ON_UNKNOWN_PROPERTIES stays on, and the model's
     * {@code @JsonIgnoreProperties(ignoreUnknown = true)} is what lets new fields through. Jackson 2.19's
     * default StreamReadConstraints apply: 1000 levels, numbers of 1000 digits, strings of 20 M chars.
     * It reads through {@code readerFor(unmarshalType)}, as here.
     */
    private static final ObjectReader CAMEL_JACKSON = new ObjectMapper().readerFor(FineTuningJob.class);

    /**
     * Reads documents strictly (one value, no duplicate keys, no NaN) and up to 1100 levels: a job at
     * Jackson's read limit sits one level deeper in its document.
     */
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1100).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private final JobCheck check = new JobCheck();
    private final NotificationFactory notifications = new NotificationFactory(Clock.fixed(NOW, ZoneOffset.UTC));
    private final FileDocuments documents = new FileDocuments();
    private final Templates templates = new Templates(Path.of("templates"));
    private final SlackMessages slack = new SlackMessages(templates);
    private final EmailMessages email = new EmailMessages(templates);

    enum Outcome { ROUTED, REJECTED, BUG }

    /** What became of one body: the status it was routed with, or why it was rejected, or the bug. */
    record Result(Case aCase, Outcome outcome, String status, Throwable problem) {

        /** The exception and the first frame of the notifier's own code. */
        String kind() {
            if (problem == null) {
                return "none";
            }
            String frame = Stream.of(problem.getStackTrace())
                    .filter(f -> f.getClassName().startsWith("dev.ftnotifier.") && !f.getClassName().startsWith("dev.ftnotifier.fuzz."))
                    .findFirst().map(StackTraceElement::toString).orElse("?");
            return problem.getClass().getSimpleName() + " at " + frame;
        }

        String describe() {
            StringWriter trace = new StringWriter();
            if (problem != null) {
                problem.printStackTrace(new PrintWriter(trace));
            }
            String[] lines = trace.toString().split("\n");
            return aCase.shortName() + "\n    " + String.join("\n    ", List.of(lines).subList(0, Math.min(6, lines.length)));
        }
    }

    /** The route's event for a status, as route-by-status.camel.yaml decides it. */

    Result evaluate(Case c, String requestedId) {
        FineTuningJob job;
        try {
            // as get-job does: the size cap, then unmarshalling
            // camel-jackson reads the answer's bytes, where a byte-order mark is skipped
            Object body = CAMEL_JACKSON.readValue(check.withinSizeLimit(c.body()).getBytes(StandardCharsets.UTF_8));
            job = check.verify(body, requestedId);
        } catch (JacksonException | InvalidJobException expected) {
            return new Result(c, Outcome.REJECTED, null, expected);
        } catch (Throwable bug) { // NullPointerException, StackOverflowError, DateTimeException...
            return new Result(c, Outcome.BUG, null, bug);
        }
        try {
            // the route hands the body as text (${bodyAs(String)}) next to the parsed job
            StatusMeaning meaning = ShippedRouter.meaning(job.jobStatus().value());
            Notification n = notifications.create(job, c.body(), meaning.event(), meaning.terminal(), meaning.known());
            String line = Summaries.oneLine(n);
            String rendered = documents.render(n);
            slack.build(n);
            email.build(n);
            String problem = documentProblem(rendered, requestedId);
            if (problem == null && !documents.fileName(n).equals(requestedId + "." + n.status() + ".json")) {
                problem = "file name " + documents.fileName(n);
            }
            // the document has U+FFFD where the text had a lone surrogate (Java regexes see pairs as one code point)
            if (problem == null && !line.replaceAll("\\p{Cs}", "\uFFFD").equals(STRICT.readTree(rendered).get("summary").asText())) {
                problem = "summary differs from Summaries.oneLine";
            }
            if (problem != null) {
                return new Result(c, Outcome.BUG, n.status(), new AssertionError(problem));
            }
            return new Result(c, Outcome.ROUTED, n.status(), null);
        } catch (Throwable bug) { // routed, but the notification cannot be made: delivery would never succeed
            return new Result(c, Outcome.BUG, null, bug);
        }
    }

    /** Null when {@code text} is one valid JSON document for this job with a safe status; else what is wrong. */
    static String documentProblem(String text, String jobId) {
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(text)) {
            return "cannot be written as UTF-8 (camel-file's Files.writeString refuses it): a lone surrogate";
        }
        JsonNode doc;
        try {
            doc = STRICT.readTree(text);
        } catch (IOException e) {
            return "not valid JSON: " + e.getMessage();
        }
        if (doc == null || !doc.isObject()) {
            return "not a JSON object";
        }
        if (!doc.path("job_id").isTextual() || !jobId.equals(doc.get("job_id").asText())) {
            return "job_id is " + doc.get("job_id") + ", not " + jobId;
        }
        if (!doc.path("status").isTextual() || !SAFE_STATUS.matcher(doc.get("status").asText()).matches()) {
            return "unsafe status " + doc.get("status");
        }
        if (!doc.path("job").isObject()) {
            return "the job as the API sent it is missing";
        }
        return null;
    }

    @Test
    void hostileBodiesAreRejectedOrRoutedToAValidDocument() {
        System.out.println("JobFuzzTest seed " + SEED + " (rerun with -Dfuzz.seed=" + SEED + ")");
        List<Case> corpus = HostileJobs.corpus(SEED, RANDOM_MUTATIONS);
        Map<String, int[]> byCategory = new TreeMap<>();
        List<Result> bugs = new ArrayList<>();
        int routed = 0;
        int rejected = 0;
        for (Case c : corpus) {
            Result result = evaluate(c, HostileJobs.ID);
            int[] counts = byCategory.computeIfAbsent(c.name().split("[:#]", 2)[0], k -> new int[3]);
            counts[result.outcome().ordinal()]++;
            switch (result.outcome()) {
                case ROUTED -> routed++;
                case REJECTED -> rejected++;
                case BUG -> bugs.add(result);
            }
        }
        System.out.printf("JobFuzzTest unit: %d bodies, %d routed, %d rejected, %d bugs%n",
                corpus.size(), routed, rejected, bugs.size());
        byCategory.forEach((category, counts) -> System.out.printf("  %-8s routed %5d  rejected %5d  bugs %d%n",
                category, counts[0], counts[1], counts[2]));

        if (!bugs.isEmpty()) {
            // one example per kind of failure (exception and the notifier's frame that threw it)
            Map<String, List<Result>> kinds = new TreeMap<>();
            bugs.forEach(bug -> kinds.computeIfAbsent(bug.kind(), k -> new ArrayList<>()).add(bug));
            StringBuilder report = new StringBuilder(bugs.size() + " bodies broke the notifier (seed " + SEED + "):");
            kinds.forEach((kind, examples) -> report.append("\n").append(examples.size()).append(" x ").append(kind)
                    .append(", e.g. ").append(examples.get(0).describe()));
            fail(report.toString());
        }
        assertTrue(corpus.size() >= 500, "at least 500 bodies: " + corpus.size());
        assertTrue(routed > 100 && rejected > 100, "both outcomes are exercised: " + routed + " / " + rejected);
    }

    @Test
    void theNestingLimitRejectsDeepBodiesAsJacksonExceptions() {
        // Jackson 2.15+ stops at 1000 levels; without it 10 000 levels would overflow the stack
        assertEquals(1000, StreamReadConstraints.defaults().getMaxNestingDepth());
        for (String body : List.of("[".repeat(10_000) + "]".repeat(10_000), "{\"method\":" + "[".repeat(100_000))) {
            Result result = evaluate(new Case("deep", body), HostileJobs.ID);
            assertEquals(Outcome.REJECTED, result.outcome(), result.describe());
        }
    }

    @TempDir
    Path stateDir;
    @TempDir
    Path fileDir;

    /**
     * 60 hostile jobs served by the simulator to the notifier as a user runs it (file channel only),
     * while a healthy job moves through its statuses. The notifier must stay up, write the healthy
     * job's documents, and for each hostile job write exactly what the unit-level path predicts: one
     * valid document, or none.
     */
    @Test
    void theRunningNotifierSurvivesHostileJobs() {
        long seed = SEED ^ 0x5DEECE66DL;
        System.out.println("JobFuzzTest end to end, seed " + SEED);
        List<Case> corpus = HostileJobs.corpus(SEED, RANDOM_MUTATIONS);
        List<Case> batch = pickBatch(corpus, new Random(seed), 60);

        Map<String, Result> expected = new LinkedHashMap<>();
        try (FineTuningApiSimulator api = FineTuningApiSimulator.start()) {
            for (int i = 0; i < batch.size(); i++) {
                String id = String.format("ftjob-fz-%02d", i);
                Case c = batch.get(i).withId(id);
                api.putJob(id, c.body());
                expected.put(id, evaluate(c, id));
            }
            expected.values().stream().filter(r -> r.outcome() == Outcome.BUG).findFirst()
                    .ifPresent(bug -> fail("the unit-level path already breaks on " + bug.describe()));
            String healthy = "ftjob-healthy";
            api.putJob(SimulatedJob.queued(healthy, "gpt-4o-mini-2024-07-18"));

            Map<String, String> props = RunningNotifier.baseProperties(api.baseUrl(), stateDir, fileDir);
            List<String> ids = new ArrayList<>(expected.keySet());
            ids.add(healthy);
            props.put("notifier.jobs", String.join(",", ids));
            try (RunningNotifier notifier = RunningNotifier.start(props)) {
                for (String status : List.of("queued", "running", "paused", "succeeded")) {
                    if (!status.equals("queued")) {
                        api.setStatus(healthy, status);
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(fileDir.resolve(healthy + "." + status + ".json")));
                }
                // every hostile job has had its chance: a document, or fetched again after its first answer
                await().atMost(Duration.ofSeconds(60)).until(() -> expected.keySet().stream().allMatch(id ->
                        !documentsOf(id).isEmpty() || api.requestCount("/v1/fine_tuning/jobs/" + id) >= 3));
                assertEquals(ServiceStatus.Started, notifier.context().getStatus(), "the notifier is still up");
            }

            int routed = 0;
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, Result> e : expected.entrySet()) {
                String id = e.getKey();
                Result result = e.getValue();
                List<Path> docs = documentsOf(id);
                for (Path doc : docs) {
                    String problem = documentProblem(read(doc), id);
                    if (problem != null) {
                        problems.add(id + " " + result.aCase().shortName() + ": " + doc.getFileName() + ": " + problem);
                    }
                }
                List<String> names = docs.stream().map(p -> p.getFileName().toString()).toList();
                List<String> predicted = result.outcome() == Outcome.ROUTED
                        ? List.of(id + "." + result.status() + ".json") : List.of();
                if (!names.equals(predicted)) {
                    problems.add(id + " " + result.aCase().shortName() + ": wrote " + names + ", the unit path predicts "
                            + predicted + (result.problem() == null ? "" : " (" + result.problem() + ")"));
                }
                routed += result.outcome() == Outcome.ROUTED ? 1 : 0;
            }
            System.out.printf("JobFuzzTest end to end: %d bodies, %d routed, %d rejected%n",
                    expected.size(), routed, expected.size() - routed);
            assertTrue(problems.isEmpty(), String.join("\n", problems));
            for (String status : List.of("queued", "running", "paused", "succeeded")) {
                Path doc = fileDir.resolve(healthy + "." + status + ".json");
                assertEquals(null, documentProblem(read(doc), healthy), doc.toString());
            }
            assertTrue(routed >= 10 && expected.size() - routed >= 10, "both outcomes end to end: " + routed);
        }
    }

    /** A spread over every category (the megabyte, the deep, the duplicated...), then seeded random picks. */
    private static List<Case> pickBatch(List<Case> corpus, Random random, int size) {
        List<Case> batch = new ArrayList<>();
        for (String prefix : List.of("valid:succeeded", "huge:failed:error/message", "huge:running:result_files",
                "deep:running:method=999 [", "deep:succeeded:brand_new_field=999 {", "deep:failed:method=10000 [",
                "deep:body=10000 {", "dup:failed:id other first", "dup:running:status failed first",
                "dup:succeeded:status succeeded last", "number:succeeded:finished_at=31556889864403200",
                "number:running:estimated_finish=9223372036854775807", "number:failed:created_at=1e400",
                "number:cancelled:finished_at=-9223372036854775808", "status:running:../../x", "status:running:",
                "status:running:FAILED", "status:succeeded:failed\\r\\n", "status:failed:\\u0000",
                "status:running:" + "x".repeat(1000), "text:failed:error/message=\"x\\r\\nBcc",
                "text:failed:error/code=\"\\u0000\"", "text:succeeded:fine_tuned_model=\"\\ud800\"",
                "text:succeeded:result_files/0=\"../../etc", "text:running:model=\"caf",
                "type:failed:error=\"123\"", "type:succeeded:result_files=[1,\"a\",null]", "type:running:metadata/env={}",
                "type:failed:hyperparameters=[]", "type:cancelled:method=true", "absent:failed:error",
                "absent:succeeded:status", "broken:", "broken:<html>", "broken:\ufeff", "broken:truncated")) {
            corpus.stream().filter(c -> c.name().startsWith(prefix) && !batch.contains(c)).findFirst().ifPresent(batch::add);
        }
        List<Case> rest = new ArrayList<>(corpus);
        rest.removeAll(batch);
        while (batch.size() < size) {
            batch.add(rest.remove(random.nextInt(rest.size())));
        }
        return batch;
    }

    private List<Path> documentsOf(String id) {
        try (Stream<Path> files = Files.list(fileDir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(id + ".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
