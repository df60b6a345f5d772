package dev.ftnotifier.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulator answers about a job besides the job: its result file
 * ({@code GET /v1/files/{id}/content}, raw CSV or base64), checkpoints
 * ({@code GET /v1/fine_tuning/jobs/{id}/checkpoints}) and events
 * ({@code GET /v1/fine_tuning/jobs/{id}/events}). Unset, a result file is a small plausible CSV,
 * a succeeded job has three checkpoints and a failed job one error event with its error message.
 * Faults of their own: an HTTP status, or an answer held back (a hang).
 * Every other request goes on to the job API.
 */
public final class JobArtifacts implements HttpHandler {

    /** What a fault is scripted for. */
    public enum Kind { RESULT_FILE, CHECKPOINTS, EVENTS }

    private static final Pattern FILE = Pattern.compile("/v1/files/([^/]+)/content");
    private static final Pattern JOB_LIST = Pattern.compile("/v1/fine_tuning/jobs/([^/]+)/(checkpoints|events)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpHandler next;
    private final JobStore jobs;
    private final RequestLog requestLog;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, String> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, String> events = new ConcurrentHashMap<>();
    private final Map<String, Deque<Object>> faults = new HashMap<>(); // guarded by itself
    private volatile String requiredApiKey;

    JobArtifacts(HttpHandler next, JobStore jobs, RequestLog requestLog) {
        this.next = next;
        this.jobs = jobs;
        this.requestLog = requestLog;
    }

    void requireApiKey(String key) {
        this.requiredApiKey = key;
    }

    /** Serves this CSV as it is for the file id. */
    public void resultFile(String fileId, String csv) {
        files.put(fileId, csv.getBytes(StandardCharsets.UTF_8));
    }

    /** Serves this CSV base64-encoded (in 76-character lines when {@code mimeLines}). */
    public void resultFileBase64(String fileId, String csv, boolean mimeLines) {
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        files.put(fileId, (mimeLines ? Base64.getMimeEncoder() : Base64.getEncoder()).encode(bytes));
    }

    /** Serves exactly these bytes (an oversized or malformed file). */
    public void resultFileBytes(String fileId, byte[] body) {
        files.put(fileId, body.clone());
    }

    /** Serves this body verbatim for the job's checkpoints. */
    public void checkpoints(String jobId, String body) {
        checkpoints.put(jobId, body);
    }

    /** Serves this body verbatim for the job's events. */
    public void events(String jobId, String body) {
        events.put(jobId, body);
    }

    /** The next {@code count} requests of this kind for {@code id} (a file id, or a job id) answer HTTP {@code status}. */
    public void failNext(Kind kind, String id, int count, int status) {
        script(kind, id, count, status);
    }

    /** The next {@code count} requests of this kind for {@code id} are answered only after {@code delay}. */
    public void delayNext(Kind kind, String id, int count, Duration delay) {
        script(kind, id, count, delay);
    }

    private void script(Kind kind, String id, int count, Object fault) {
        synchronized (faults) {
            Deque<Object> queue = faults.computeIfAbsent(kind + ":" + id, k -> new ArrayDeque<>());
            for (int i = 0; i < count; i++) {
                queue.add(fault);
            }
        }
    }

    private Object nextFault(Kind kind, String id) {
        synchronized (faults) {
            Deque<Object> queue = faults.get(kind + ":" + id);
            return queue == null ? null : queue.poll();
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        Matcher file = FILE.matcher(path);
        Matcher list = JOB_LIST.matcher(path);
        Kind kind = file.matches() ? Kind.RESULT_FILE
                : list.matches() ? ("events".equals(list.group(2)) ? Kind.EVENTS : Kind.CHECKPOINTS) : null;
        if (kind == null || !"GET".equals(exchange.getRequestMethod())) {
            next.handle(exchange);
            return;
        }
        try (exchange) {
            requestLog.add(record(exchange));
            if (!keyAccepted(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "application/json", ApiErrors.invalidApiKey(false).getBytes(StandardCharsets.UTF_8));
                return;
            }
            Object fault = nextFault(kind, file.matches() ? file.group(1) : list.group(1));
            if (fault instanceof Integer status) {
                send(exchange, status, "application/json", ApiErrors.forStatus(status, null).getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (fault instanceof Duration delay) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (kind != Kind.RESULT_FILE && !(kind == Kind.EVENTS ? events : checkpoints).containsKey(list.group(1))
                    && !exists(list.group(1))) {
                // as the API: the checkpoints or events of a job it does not know are a 404
                send(exchange, 404, "application/json", ApiErrors.jobNotFound(list.group(1)).getBytes(StandardCharsets.UTF_8));
                return;
            }
            switch (kind) {
                case RESULT_FILE -> {
                    String id = file.group(1);
                    byte[] body = files.get(id);
                    send(exchange, 200, "application/octet-stream", body != null ? body : defaultCsv(id));
                }
                case CHECKPOINTS -> send(exchange, 200, "application/json", checkpoints.getOrDefault(list.group(1),
                        defaultCheckpoints(list.group(1))).getBytes(StandardCharsets.UTF_8));
                case EVENTS -> send(exchange, 200, "application/json", events.getOrDefault(list.group(1),
                        defaultEvents(list.group(1))).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException clientGone) {
            // the client gave up (a hang past its timeout): nothing to tell
        }
    }

    private boolean keyAccepted(String authorization) {
        String expected = requiredApiKey;
        return expected == null || Objects.equals(authorization, "Bearer " + expected);
    }

    /** 3 epochs of 10 steps; validation every 5 steps, like OpenAI's files. */
    static byte[] defaultCsv(String fileId) {
        StringBuilder csv = new StringBuilder("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n");
        for (int step = 1; step <= 30; step++) {
            double loss = 2.0 / (1 + step * 0.25);
            double accuracy = 1 - loss / 3;
            csv.append(step).append(',').append(String.format(Locale.ROOT, "%.5f,%.5f", loss, accuracy));
            if (step % 5 == 0) {
                csv.append(String.format(Locale.ROOT, ",%.5f,%.5f", loss * 1.1, accuracy * 0.97));
            } else {
                csv.append(",,");
            }
            csv.append('\n');
        }
        return Base64.getEncoder().encode(csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    private String defaultCheckpoints(String jobId) {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        SimulatedJob job = typed(jobId);
        if (job != null && "succeeded".equals(job.status()) && job.fineTunedModel() != null) {
            for (int step = 30; step >= 10; step -= 10) {
                ObjectNode c = data.addObject().put("object", "fine_tuning.job.checkpoint")
                        .put("id", "ftckpt_" + Fingerprint.hex("checkpoint", jobId + step, 24))
                        .put("created_at", job.createdAt() + step * 60L)
                        .put("fine_tuned_model_checkpoint", job.fineTunedModel() + ":ckpt-step-" + step)
                        .put("fine_tuning_job_id", jobId)
                        .put("step_number", step);
                double loss = 2.0 / (1 + step * 0.25);
                c.putObject("metrics").put("step", step).put("train_loss", loss).put("train_mean_token_accuracy", 1 - loss / 3);
            }
        }
        root.put("has_more", false);
        return root.toString();
    }

    private String defaultEvents(String jobId) {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        SimulatedJob job = typed(jobId);
        if (job != null && "failed".equals(job.status())) {
            String message = job.error() != null && job.error().message() != null ? job.error().message() : "The job failed.";
            data.addObject().put("object", "fine_tuning.job.event").put("id", "ftevent-" + Fingerprint.hex("event", jobId, 24))
                    .put("created_at", job.finishedAt() != null ? job.finishedAt() : job.createdAt())
                    .put("level", "error").put("message", message).put("type", "message");
        }
        root.put("has_more", false);
        return root.toString();
    }

    private boolean exists(String jobId) {
        try {
            jobs.job(jobId);
            return true;
        } catch (java.util.NoSuchElementException missing) {
            return false;
        } catch (RuntimeException putAsRawBody) {
            return true;
        }
    }

    private SimulatedJob typed(String jobId) {
        try {
            return jobs.job(jobId);
        } catch (RuntimeException notTyped) {
            return null;
        }
    }

    private static RecordedRequest record(HttpExchange exchange) {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.merge(name.toLowerCase(Locale.ROOT), String.join(", ", values), (a, b) -> a + ", " + b));
        return new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, java.time.Instant.now());
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
