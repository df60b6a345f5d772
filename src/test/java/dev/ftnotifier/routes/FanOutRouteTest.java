package dev.ftnotifier.routes;

import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.NotifierRouteTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.awaitility.Awaitility.await;

/**
 * One poll of three jobs through the real routes: each notification fans out to the
 * channels whose statuses list it, once, read from the Slack capture, the SMTP server and
 * the folder.
 */
class FanOutRouteTest extends NotifierRouteTest.StartedByTheTest {

    @Override
    protected Map<String, String> properties() {
        Map<String, String> p = super.properties();
        p.putAll(world().allChannels("ftjob-bad", "ftjob-good", "ftjob-busy"));
        p.put("notifier.poll-interval", "3600000");
        return p;
    }

    @Test
    void eachNotificationReachesEveryChannelThatListsItsStatusOnce() {
        world().putJob("ftjob-bad", "failed");
        world().putJob("ftjob-good", "succeeded");
        world().putJob("ftjob-busy", "running");
        context.start();

        // Camel's own counts (NotifyBuilder) see the copies the recipient list and the circuit
        // breaker make, and are done before the post is: what arrived is read where it arrived
        await().atMost(Duration.ofSeconds(20)).until(() -> world().slack.posts().size() == 2
                && world().smtp.getReceivedMessages().length == 2 && Documents.names(world().fileDir).size() == 3);

        assertEquals(1, world().slackPosts("ftjob-bad"));
        assertEquals(1, world().slackPosts("ftjob-good"));
        assertEquals(0, world().slackPosts("ftjob-busy"), "running is not a Slack status by default");
        assertEquals(1, world().mails("ftjob-bad"));
        assertEquals(1, world().mails("ftjob-good"));
        assertEquals(0, world().mails("ftjob-busy"));
        assertEquals(List.of("ftjob-bad.failed.json", "ftjob-busy.running.json", "ftjob-good.succeeded.json"),
                Documents.names(world().fileDir));
    }
}
