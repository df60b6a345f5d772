package dev.ftnotifier.enrich;

import dev.ftnotifier.notify.TemplateValues;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JobContextsTest {

    @Test
    void theDashboardLinkIsOpenAisOnlyForOpenAisApiUnlessSet() {
        assertEquals("https://platform.openai.com/finetune/ftjob-abc",
                new JobContexts("auto", "https://api.openai.com/v1").dashboardUrl("ftjob-abc"));
        assertEquals("", new JobContexts("auto", "http://127.0.0.1:8080/v1").dashboardUrl("ftjob-abc"));
        assertEquals("", new JobContexts("", "https://api.openai.com/v1").dashboardUrl("ftjob-abc"), "empty: no link");
        assertEquals("https://ml.example.test/jobs/ftjob-a%2Fb",
                new JobContexts("https://ml.example.test/jobs/{id}", "http://127.0.0.1/v1").dashboardUrl("ftjob-a/b"));
    }

    @Test
    void metricsHaveAtLeastFourSignificantDigits() {
        assertEquals("0.8123", TemplateValues.number(0.8123456));
        assertEquals("1.310", TemplateValues.number(1.31));
        assertEquals("0.2500", TemplateValues.number(0.25));
        assertEquals("0.01235", TemplateValues.number(0.0123456789));
        assertEquals("12350", TemplateValues.number(12345.6));
    }
}
