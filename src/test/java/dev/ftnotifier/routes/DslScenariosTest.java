package dev.ftnotifier.routes;

import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The same end-to-end scenario through the YAML pipeline and through the XML one: the same notifications. */
class DslScenariosTest {

    private static final List<String> STATUSES = List.of("failed", "succeeded", "cancelled", "running", "paused", "exploding");

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    @ParameterizedTest
    @ValueSource(strings = {"yaml", "xml"})
    void eachStatusReachesEachChannel(String dsl) {
        STATUSES.forEach(status -> world.putJob("ftjob-" + status, status));
        String[] jobs = STATUSES.stream().map(s -> "ftjob-" + s).toArray(String[]::new);
        Map<String, String> p = world.allChannels(jobs);
        p.put("notifier.routes", dsl);
        p.put("notifier.slack.statuses", "*");
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            assertEquals("poll.camel." + dsl, notifier.context().getRoute("poll").getSourceLocationShort().replaceAll(":\\d+$", ""));
            await().atMost(Duration.ofSeconds(30)).until(() -> world.slack.posts().size() == STATUSES.size()
                    && world.smtp.getReceivedMessages().length == 3 && Documents.names(world.fileDir).size() == STATUSES.size());
        }
        Set<String> documents = new TreeSet<>(Documents.names(world.fileDir));
        assertEquals(STATUSES.stream().map(s -> "ftjob-" + s + "." + s + ".json").collect(Collectors.toCollection(TreeSet::new)),
                documents);
        for (String status : STATUSES) {
            assertEquals(1, world.slackPosts("ftjob-" + status), "Slack " + status);
        }
        Set<String> subjects = Arrays.stream(world.smtp.getReceivedMessages()).map(m -> {
            try {
                return m.getSubject().replaceAll(":.*", "");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("[fine-tuning] ftjob-cancelled cancelled", "[fine-tuning] ftjob-failed failed",
                "[fine-tuning] ftjob-succeeded succeeded")), subjects);
    }
}
