package dev.ftnotifier.pipeline;

import dev.ftnotifier.simulator.RecordedRequest;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** openai.max-requests-per-second (issue 11): fast by default, and a cap an operator can set. */
class RequestRateTest {

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    @Test
    void noSecondHasMoreRequestsThanTheCap() {
        String[] jobs = IntStream.range(0, 12).mapToObj(i -> "ftjob-rate-" + i).toArray(String[]::new);
        for (String id : jobs) {
            world.putJob(id, "running");
        }
        world.putJob("ftjob-rate-done", "succeeded");
        Map<String, String> p = world.properties(jobs);
        p.put("notifier.jobs", String.join(",", jobs) + ",ftjob-rate-done");
        // polled once in this test
        p.put("notifier.poll-interval", "60s");
        p.put("openai.max-requests-per-second", "4");
        try (RunningNotifier ignored = RunningNotifier.start(p)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> IntStream.range(0, 12)
                    .allMatch(i -> Files.exists(Documents.path(world.fileDir, jobs[i], "running")))
                    && Files.exists(Documents.path(world.fileDir, "ftjob-rate-done", "succeeded")));
        }
        // every API request counts: the jobs, and the succeeded job's result file and checkpoints
        List<Instant> at = world.api.requests().stream().map(RecordedRequest::at).sorted().toList();
        assertTrue(at.size() >= 13, "every job was fetched: " + at.size());
        // the cap holds where the throttle hands out its turns; a request then takes a few ms (more for a new
        // connection) to reach the server, so the server's clock is judged over half a second, and over the whole run
        for (int i = 0; i < at.size(); i++) {
            Instant from = at.get(i);
            long inHalfASecond = at.stream().filter(t -> !t.isBefore(from) && t.isBefore(from.plusMillis(500))).count();
            assertTrue(inHalfASecond <= 4, inHalfASecond + " requests within 0.5 s from " + from + ": " + at);
        }
        long spanMs = Duration.between(at.get(0), at.get(at.size() - 1)).toMillis();
        long windows = (at.size() + 3) / 4;
        assertTrue(spanMs >= (windows - 1) * 1000 - 250, at.size() + " requests in " + spanMs + " ms, at 4 a second: " + at);
    }
}
