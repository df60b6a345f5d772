package dev.ftnotifier.notify;

import dev.ftnotifier.model.FineTuningJob;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobFilterTest {

    private static FineTuningJob job(String model, String fineTunedModel, String suffix, String metadataJson) {
        return Fixtures.job("""
                {"id": "ftjob-1", "object": "fine_tuning.job", "model": "%s", "status": "succeeded",
                 "fine_tuned_model": %s, "user_provided_suffix": %s, "metadata": %s}""".formatted(model,
                fineTunedModel == null ? "null" : "\"" + fineTunedModel + "\"",
                suffix == null ? "null" : "\"" + suffix + "\"", metadataJson));
    }

    private static JobFilter filter(String models, Map<String, String> metadata, String suffixes) {
        Map<String, List<String>> wanted = new java.util.TreeMap<>();
        metadata.forEach((k, v) -> wanted.put(k, JobFilter.values(v)));
        return new JobFilter(JobFilter.values(models), wanted, JobFilter.values(suffixes));
    }

    @Test
    void noFilterTakesEveryJob() {
        assertTrue(JobFilter.NONE.matches(job("gpt-4o-mini", null, null, "null")));
        assertTrue(JobFilter.NONE.isEmpty());
    }

    @Test
    void aModelFilterTakesAnyOfItsValuesWithStars() {
        JobFilter mini = filter("gpt-4o-mini*, gpt-3.5-turbo-0125", Map.of(), "");
        assertTrue(mini.matches(job("gpt-4o-mini-2024-07-18", null, null, "null")));
        assertTrue(mini.matches(job("gpt-3.5-turbo-0125", null, null, "null")));
        assertFalse(mini.matches(job("gpt-4o-2024-08-06", null, null, "null")));
        assertFalse(mini.matches(job("xgpt-4o-mini", null, null, "null")), "a value matches the whole model, not a part");
        assertFalse(filter("gpt-4o", Map.of(), "").matches(job("gpt-4o-2024-08-06", null, null, "null")));
    }

    @Test
    void metadataFiltersMustAllMatchAndAMissingKeyDoesNot() {
        JobFilter prodRanking = filter("", Map.of("env", "prod", "team", "ranking,search"), "");
        assertTrue(prodRanking.matches(job("m", null, null, "{\"env\": \"prod\", \"team\": \"search\"}")));
        assertFalse(prodRanking.matches(job("m", null, null, "{\"env\": \"prod\"}")));
        assertFalse(prodRanking.matches(job("m", null, null, "{\"env\": \"dev\", \"team\": \"ranking\"}")));
        assertFalse(prodRanking.matches(job("m", null, null, "null")), "no metadata: not a production job");
    }

    @Test
    void theSuffixComesFromTheFineTunedModelOrElseTheSuffixAsked() {
        assertEquals("recsys", JobFilter.suffixOf(job("m", "ft:gpt-4o-mini-2024-07-18:acme:recsys:9abcDEF", null, "null")));
        assertNull(JobFilter.suffixOf(job("m", "ft:gpt-4o-mini-2024-07-18:acme::9abcDEF", null, "null")));
        assertEquals("recsys", JobFilter.suffixOf(job("m", null, "recsys", "null")), "a failed job has no fine-tuned model");
        assertNull(JobFilter.suffixOf(job("m", null, null, "null")));
        JobFilter recsys = filter("", Map.of(), "recsys*");
        assertTrue(recsys.matches(job("m", "ft:gpt-4o-mini-2024-07-18:acme:recsys-v2:9abcDEF", null, "null")));
        assertFalse(recsys.matches(job("m", "ft:gpt-4o-mini-2024-07-18:acme:search:9abcDEF", null, "null")));
        assertFalse(recsys.matches(job("m", null, null, "null")));
    }

    @Test
    void regexCharactersInAValueAreLiteral() {
        assertFalse(filter("gpt.4o", Map.of(), "").matches(job("gpt-4o", null, null, "null")));
        assertTrue(filter("gpt.4o", Map.of(), "").matches(job("gpt.4o", null, null, "null")));
    }

    @Test
    void aChannelTakesANotificationWhenStatusAndJobMatch() {
        JobFilter prod = filter("", Map.of("env", "prod"), "");
        ChannelSettings email = ChannelSettings.of("email", "email", "team@example.test", "failed,succeeded", prod);
        Notification prodDone = Fixtures.notification("completion", """
                {"id": "ftjob-1", "object": "fine_tuning.job", "model": "m", "status": "succeeded", "metadata": {"env": "prod"}}""");
        Notification devDone = Fixtures.notification("completion", """
                {"id": "ftjob-2", "object": "fine_tuning.job", "model": "m", "status": "succeeded", "metadata": {"env": "dev"}}""");
        Notification prodRunning = Fixtures.notification("progress", """
                {"id": "ftjob-3", "object": "fine_tuning.job", "model": "m", "status": "running", "metadata": {"env": "prod"}}""");
        assertTrue(email.takes(prodDone));
        assertFalse(email.takes(devDone));
        assertFalse(email.takes(prodRunning));
        assertEquals("email (email, statuses failed,succeeded, metadata env=prod)", email.describe());
    }
}
