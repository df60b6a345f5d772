package dev.ftnotifier.routes;

import dev.ftnotifier.testing.LogLines;
import dev.ftnotifier.testing.NotifierRouteTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A route with two route configurations (list-jobs: api-failures and api-answers) takes the clause
 * that fits best from both: a 200 whose body is not a page of the job list is a JacksonException,
 * which is an IOException too, and api-failures tries an IOException again. It must be api-answers'
 * clause that takes it: one request, one line saying the answer is not a usable list, no retry.
 * One poll (NotifierRouteTest polls once an hour), so the count can only be checked, not raced.
 */
class ApiAnswersRouteTest extends NotifierRouteTest.StartedByTheTest {

    private static final String LIST = "/v1/fine_tuning/jobs";

    @RegisterExtension
    final LogLines log = new LogLines();

    @Override
    protected Map<String, String> properties() {
        Map<String, String> p = super.properties();
        p.put("notifier.discover", "true");
        p.put("openai.max-retries", "2");
        return p;
    }

    @Test
    void aListPageThatIsNotJsonIsSaidOnceAndNotTriedAgain() {
        world().api.answerListWith(200, "<html><body>502 Bad Gateway</body></html>");
        context.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> log.containing("not a usable list").size() == 1);
        assertEquals(1, world().api.requests().stream().filter(r -> r.path().equals(LIST)).count(),
                "a body that is not a list is not tried again within the poll");
        assertEquals(List.of(), log.containing("job list", "failed"), "it is no failure of the API: " + log.all());
    }
}
