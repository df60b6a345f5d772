package dev.ftnotifier.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.model.FineTuningJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which pending deliveries the poll drops: those of a status the job has left, as this instance
 * saw it. A status read back from the state store (the leader before, a restart) decides nothing:
 * it may be older than the delivery.
 */
class PassedDeliveriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNNING_ON_SLACK = DeliveryStore.key("ftjob-a", "running", "slack");

    @TempDir
    Path state;

    private DeliveryLedger pendingOnSlack() {
        DeliveryLedger ledger = new DeliveryLedger(state, new Backoff(Duration.ZERO, Duration.ZERO), Clock.systemUTC());
        ledger.add(RUNNING_ON_SLACK);
        ledger.remove(RUNNING_ON_SLACK);
        return ledger;
    }

    private static void fetched(StatusEpisodes episodes, String status) throws Exception {
        String raw = "{\"id\":\"ftjob-a\",\"object\":\"fine_tuning.job\",\"model\":\"gpt-4o-mini\",\"status\":\"" + status + "\"}";
        episodes.seen(JSON.readValue(raw, FineTuningJob.class), raw, "progress", false, true);
    }

    private static List<String> pending(DeliveryStore store) {
        return store.pending().stream().map(DeliveryStore.Pending::delivery).toList();
    }

    @Test
    void aDeliveryIsDroppedOnceThisInstanceFetchedItsJobInAnotherStatusNotBefore() throws Exception {
        DeliveryLedger ledger = pendingOnSlack();
        try (StatusEpisodes before = new StatusEpisodes(state, Clock.systemUTC())) {
            fetched(before, "queued"); // kept in the state folder, then this process "restarts"
        }
        try (StatusEpisodes episodes = new StatusEpisodes(state, Clock.systemUTC())) {
            PassedDeliveries passed = new PassedDeliveries(ledger, new FinishedJobs(state), episodes);

            passed.drop();
            assertEquals(List.of(RUNNING_ON_SLACK), pending(ledger), "queued, as read back at start: not fetched here, decides nothing");
            fetched(episodes, "running");
            passed.drop();
            assertEquals(List.of(RUNNING_ON_SLACK), pending(ledger), "still running: tried again by the polls");
            fetched(episodes, "paused");
            passed.drop();
            assertEquals(List.of(), pending(ledger), "paused now: no poll sees running before the job comes back to it");
        }
    }

    @Test
    void aDeliveryOfAFinishedJobIsDropped() throws Exception {
        DeliveryLedger ledger = pendingOnSlack();
        FinishedJobs finished = new FinishedJobs(state);
        try (StatusEpisodes episodes = new StatusEpisodes(state, Clock.systemUTC())) {
            PassedDeliveries passed = new PassedDeliveries(ledger, finished, episodes);
            passed.drop();
            assertEquals(List.of(RUNNING_ON_SLACK), pending(ledger));
            finished.add("ftjob-a");
            passed.drop();
            assertEquals(List.of(), pending(ledger));
        }
    }
}
