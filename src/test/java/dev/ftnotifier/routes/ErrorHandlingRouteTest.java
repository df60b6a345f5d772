package dev.ftnotifier.routes;

import dev.ftnotifier.simulator.FineTuningApiSimulator.Fault;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LogLines;
import dev.ftnotifier.testing.NotifierRouteTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

/**
 * The route configurations of routes/error-handling.camel.yaml, on the real routes: what
 * api-failures does with each kind of answer within one poll, and what channel-failures
 * does with a channel that fails and then takes the post. Each test has exactly one poll
 * (the interval is an hour), so once what the poll delivers has arrived, counts can only
 * be checked, not raced.
 *
 * <p>Not NotifyBuilder: "exactly three exchanges done on fetch-job" is not one exchange per
 * job here. The fan-out's copies complete on fetch-job too, and the original takes their
 * properties back when the recipient list aggregates, so no filter on the exchange tells
 * one from the other (tried: correlation id, multicast index, wereSentTo("direct:get-job"),
 * each matched before the retries or never).
 */
class ErrorHandlingRouteTest extends NotifierRouteTest.StartedByTheTest {

    @RegisterExtension
    final LogLines log = new LogLines();

    @Override
    protected Map<String, String> properties() {
        Map<String, String> p = super.properties();
        p.putAll(world().allChannels("ftjob-flaky", "ftjob-gone", "ftjob-junk"));
        p.put("notifier.poll-interval", "3600000"); // one poll in each test
        p.put("openai.max-retries", "2");
        return p;
    }

    @Test
    void apiFailuresRetriesA5xxWithinThePollAndEndsTheFetchOfA404OrAJunkBody() {
        world().putJob("ftjob-flaky", "succeeded");
        world().api.failNext("ftjob-flaky", 2, Fault.status(503));
        // ftjob-gone is not on the simulator: 404
        world().putJob("ftjob-junk", "running");
        world().api.failNext("ftjob-junk", 1, Fault.garbage("{\"object\": \"list\", \"data\": []}"));
        context.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> Documents.names(world().fileDir).size() == 1
                && log.containing("ftjob-gone", "not found").size() == 1 && log.containing("ftjob-junk", "not a usable job").size() == 1);
        assertEquals(3, world().fetches("ftjob-flaky"), "two 503s tried again within the poll (openai.max-retries=2), then 200");
        assertEquals(1, world().fetches("ftjob-gone"), "a 404 is not tried again within the poll");
        assertEquals(1, world().fetches("ftjob-junk"), "a body that is not the job is not tried again within the poll");
        assertEquals(List.of("ftjob-flaky.succeeded.json"), Documents.names(world().fileDir),
                "only the job that was fetched in the end was routed");
        assertEquals(1, log.containing("ftjob-gone", "not found").size(), "the 404 is said once");
        assertEquals(1, log.containing("ftjob-junk", "not a usable job").size(), "the junk body is said once");
    }

    @Test
    void anAnswerOverTheSizeLimitIsSaidOnceAndGoesNoFurther() {
        world().putJob("ftjob-junk", "running");
        String huge = "{\"id\": \"ftjob-junk\", \"object\": \"fine_tuning.job\", \"status\": \"running\", \"padding\": \""
                + "x".repeat(1_100_000) + "\"}";
        world().api.failNext("ftjob-junk", 1, Fault.garbage(huge));
        context.start();

        String line = log.awaitLine("ftjob-junk", "not a usable job");
        assertTrue(line.contains("over the 1 MiB limit"), line);
        assertEquals(1, world().fetches("ftjob-junk"), "an answer over the limit is not tried again within the poll");
        assertEquals(List.of(), Documents.names(world().fileDir), "nothing is notified of it");
    }

    @Test
    void channelFailuresTriesAFailedPostAgainWithinThePollAndRecordsItDeliveredOnce() {
        world().putJob("ftjob-flaky", "failed");
        world().slack.failNext(2, 500);
        context.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> world().slack.posts().size() == 1 && world().mails("ftjob-flaky") == 1);
        assertEquals(3, world().slack.attempts(), "two 500s, then the post Slack took, all in the first poll");
        assertEquals(1, world().slackPosts("ftjob-flaky"));
        assertEquals(List.of(), log.containing("delivery failed"), "a post that went through in the end is no failed delivery");
        assertEquals(List.of(), log.containing("possible duplicate"), "Slack answered 500: it did not take those posts");
    }

    @Test
    void aDeliveryIsNamedByItsJobAndStatusInTheLineThatSaysItFailedAndTheOtherChannelsSayWhatTheyDelivered() {
        world().putJob("ftjob-flaky", "failed");
        world().slack.failNext(100, 500);
        context.start();

        String failed = log.awaitLine("channel-slack: delivery failed for job ftjob-flaky (failed): ");
        assertTrue(failed.contains("pending, tried again on a later poll"), failed);
        String delivered = log.awaitLine("channel-file", "delivered to file: ");
        assertTrue(delivered.contains("Fine-tuning job ftjob-flaky (") && delivered.contains(") failed: "),
                "the delivered line carries the notification's summary: " + delivered);
        assertEquals(List.of(), log.containing("delivered to slack"), "Slack took no post");
    }
}
