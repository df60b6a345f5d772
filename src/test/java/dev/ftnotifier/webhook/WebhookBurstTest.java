package dev.ftnotifier.webhook;

import dev.ftnotifier.simulator.SimulatedJob;
import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * OpenAI retries in bursts after an outage: 1,000 events arrive at once, 32 at a time: for 250
 * jobs, two events each (two webhook-ids for the same status), each sent twice (OpenAI's retry,
 * the same webhook-id). Each is answered 200, each job is fetched once and delivered exactly once.
 */
class WebhookBurstTest {

    @RegisterExtension
    LocalWorld world = new LocalWorld();

    @Test
    void aBurstOfAThousandEventsIsAnsweredAndDeliveredExactlyOnce() throws Exception {
        int jobs = 250;
        List<String> ids = IntStream.range(0, jobs).mapToObj(i -> String.format("ftjob-burst-%04d", i)).toList();
        for (String id : ids) {
            world.api.putJob(SimulatedJob.queued(id, LocalWorld.MODEL));
            world.api.setStatus(id, "failed");
        }
        int port = Events.freePort();
        Map<String, String> p = Events.receiverOn(world.properties(), Events.SECRET, port);
        p.put("notifier.poll-interval", "3600000");
        try (RunningNotifier notifier = RunningNotifier.start(p)) {
            List<String> webhookIds = new ArrayList<>();
            for (int i = 0; i < 2 * jobs; i++) {
                webhookIds.add(Events.newId());
            }
            ExecutorService senders = Executors.newFixedThreadPool(32);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < 2 * jobs; i++) {
                        String job = ids.get(i % jobs);
                        String webhookId = webhookIds.get(i);
                        answers.add(senders.submit(() -> Events.send(port, Events.SECRET, webhookId, job, "failed")));
                    }
                }
                for (Future<Integer> answer : answers) {
                    assertEquals(200, answer.get());
                }
            } finally {
                senders.shutdownNow();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Documents.names(world.fileDir).size() >= jobs);
            assertEquals(jobs, Documents.names(world.fileDir).size());
            assertEquals(2 * jobs, Files.readAllLines(world.stateDir.resolve("webhook-events.log")).size(), "one record per webhook-id");
            // each delivery was taken once: the ledger journals "sending" before every call of a channel
            List<String> sending = Files.readAllLines(world.stateDir.resolve("deliveries.log")).stream()
                    .filter(l -> l.startsWith("sending ")).toList();
            assertEquals(jobs, sending.size(), "one send per job");
            assertEquals(jobs, sending.stream().distinct().count());
        }
    }
}
