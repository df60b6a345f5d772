package dev.ftnotifier.notify;

import dev.ftnotifier.model.FineTuningJob;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which jobs a channel takes, besides their status: {@code filter.model},
 * {@code filter.metadata.<key>} and {@code filter.fine-tuned-model-suffix} of a channel's
 * settings. Each is a comma-separated list of values, any of which may match; {@code *} in a
 * value matches any characters. Every filter that is set must match; a job that lacks the
 * field (no metadata key, no suffix yet) does not. No filter set: every job matches.
 *
 * @param models   patterns for the base model ({@code model})
 * @param metadata patterns per metadata key ({@code metadata.<key>})
 * @param suffixes patterns for the suffix of the fine-tuned model name
 *                 ({@code ft:<base>:<org>:<suffix>:<id>}); a job without a fine-tuned model yet
 *                 (a failure, a cancellation) is matched on {@code user_provided_suffix} when the
 *                 API sends it
 */
public record JobFilter(List<String> models, Map<String, List<String>> metadata, List<String> suffixes) {

    public static final JobFilter NONE = new JobFilter(List.of(), Map.of(), List.of());

    public JobFilter {
        models = List.copyOf(models);
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        suffixes = List.copyOf(suffixes);
    }

    /** The values of one filter setting: comma-separated, trimmed, empty ones dropped. */
    public static List<String> values(String list) {
        if (list == null) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public boolean isEmpty() {
        return models.isEmpty() && metadata.isEmpty() && suffixes.isEmpty();
    }

    public boolean matches(FineTuningJob job) {
        if (!models.isEmpty() && !anyMatches(models, job.model())) {
            return false;
        }
        for (Map.Entry<String, List<String>> wanted : metadata.entrySet()) {
            if (!anyMatches(wanted.getValue(), job.metadata().get(wanted.getKey()))) {
                return false;
            }
        }
        return suffixes.isEmpty() || anyMatches(suffixes, suffixOf(job));
    }

    /**
     * The suffix the job's fine-tuned model carries: the fourth part of
     * {@code ft:<base>:<org>:<suffix>:<id>}, or {@code user_provided_suffix} while there is no
     * fine-tuned model. Null when neither says.
     */
    static String suffixOf(FineTuningJob job) {
        String name = job.fineTunedModel();
        if (name != null && name.startsWith("ft:")) {
            String[] parts = name.split(":", -1);
            if (parts.length >= 5) {
                // from the end: the base model part is the one that could hold more colons
                String suffix = parts[parts.length - 2];
                return suffix.isEmpty() ? null : suffix;
            }
        }
        String given = job.userProvidedSuffix();
        return given == null || given.isEmpty() ? null : given;
    }

    private static boolean anyMatches(List<String> patterns, String value) {
        if (value == null) {
            return false;
        }
        for (String pattern : patterns) {
            if (glob(pattern).matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** The filters in one line for the start-up log, e.g. {@code model gpt-4o*, metadata env=prod}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (!models.isEmpty()) {
            parts.add("model " + String.join("|", models));
        }
        metadata.forEach((key, values) -> parts.add("metadata " + key + "=" + String.join("|", values)));
        if (!suffixes.isEmpty()) {
            parts.add("suffix " + String.join("|", suffixes));
        }
        return String.join(", ", parts);
    }
}
