package dev.ftnotifier.routes;

import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.testing.NotifierRouteTest;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a job's GET and a list page's GET leave on the message for the rest of the pipeline: the
 * job or the page, and none of the request's headers (the API key's among them) or the answer's.
 * Every later step, log line and exception message then has no key to show, and no step copies
 * a dozen headers it does not read.
 */
class ApiAnswerHeadersRouteTest extends NotifierRouteTest {

    private static List<String> nonCamelHeaders(Exchange exchange) {
        return exchange.getMessage().getHeaders().keySet().stream().filter(name -> !name.startsWith("Camel")).toList();
    }

    @Test
    void aJobsGetLeavesTheJobAndNoHeaders() {
        world().putJob("ftjob-headers", "running");
        Exchange done = template.send("direct:get-job", (Exchange e) -> {
            e.setVariable("jobId", "ftjob-headers");
            e.getMessage().setHeader("X-Before", "from an earlier step");
        });
        assertNull(done.getException());
        FineTuningJob job = done.getMessage().getBody(FineTuningJob.class);
        assertEquals("ftjob-headers", job.id());
        assertEquals(List.of(), nonCamelHeaders(done), "headers after the GET");
        assertTrue(done.getVariable("requestId", String.class) != null, "the answer's request id is kept, as a variable");
    }

    @Test
    void aListPagesGetLeavesThePageAndNoHeaders() {
        world().putJob("ftjob-listed", "running");
        Exchange done = template.send("direct:list-jobs", (Exchange e) -> e.setVariable("after", null));
        assertNull(done.getException());
        assertTrue(done.getMessage().getBody() != null, "the page");
        assertEquals(List.of(), nonCamelHeaders(done), "headers after the GET");
    }
}
