package dev.ftnotifier.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.model.JobError;

import java.time.Instant;

/** Renders the file channel's document and names its file. */
public class FileDocuments {

    /**
     * The job goes one level below the document: a job exactly as deep as Jackson reads (1000 levels,
     * StreamReadConstraints) must still be writable, or its delivery would fail on every attempt.
     */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamWriteConstraints(StreamWriteConstraints.builder()
                            .maxNestingDepth(StreamReadConstraints.DEFAULT_MAX_DEPTH + 1).build())
                    .build())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** The file name: job id and status (a stuck episode: stuck-<status>-<since>), all already file-name-safe. */
    public String fileName(Notification n) {
        return n.jobId() + "." + n.deliveryName() + ".json";
    }

    /** A self-alert's document: {@code self-alert.<condition>-<since>.json} (or self-recovered), no job. */
    public String fileName(SelfAlert alert) {
        return alert.fileName();
    }

    /**
     * A self-alert as a document: {@code event} ({@code self-alert} or {@code self-recovered}), no
     * {@code job_id}; what is wrong in words, which condition and channel, since when, when told.
     */
    public String render(SelfAlert alert) throws JsonProcessingException {
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("event", alert.event());
        doc.put("summary", alert.summary());
        doc.put("condition", alert.condition());
        doc.put("channel", alert.broken());
        doc.put("reason", alert.words());
        doc.put("since", alert.since().toString());
        if (alert.recovered()) {
            doc.put("recovered_at", alert.at().toString());
        }
        doc.put("notified_at", alert.at().toString());
        return wellFormed(JSON.writeValueAsString(doc) + "\n");
    }

    public String render(Notification n) throws JsonProcessingException {
        FineTuningJob job = n.job();
        boolean failed = n.isFailure();
        // a failure always carries an error object, all-null when the API gave no details
        JobError error = failed ? (n.error() != null ? n.error() : new JobError(null, null, null)) : null;
        Instant estimate = job.estimatedFinishWhile(n.status());
        FileDocument doc = new FileDocument(
                n.jobId(), n.status(), n.event(), Summaries.oneLine(n), job.model(), job.fineTunedModel(), error,
                job.resultFiles(), job.trainedTokens(), job.durationSeconds(),
                estimate == null ? null : estimate.toString(),
                n.changedAt().toString(), n.notifiedAt().toString(), n.context().metrics(),
                n.context().failureEvents(),
                n.context().dashboardUrl().isEmpty() ? null : n.context().dashboardUrl(), jobAsReturned(n));
        return wellFormed(JSON.writeValueAsString(doc) + "\n");
    }

    /** The job exactly as the API returned it, or as the typed job says it when that is not at hand or not JSON. */
    private static JsonNode jobAsReturned(Notification n) {
        String text = n.rawJob();
        // a byte-order mark is not JSON to readTree, though the typed unmarshalling skipped it
        if (text != null && text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text != null) {
            try {
                return JSON.readTree(text);
            } catch (JsonProcessingException notJson) {
                // the typed job below
            }
        }
        return JSON.valueToTree(n.job());
    }

    /**
     * The text with every unpaired UTF-16 surrogate (a JSON body can carry one as an escape) made U+FFFD:
     * camel-file writes a String with Files.writeString, which refuses them, so the delivery would fail forever.
     */
    static String wellFormed(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
