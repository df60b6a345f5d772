package dev.ftnotifier.state.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.state.Outcomes;
import dev.ftnotifier.state.StatusEpisodes;
import dev.ftnotifier.testing.PostgresStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Stuck-job clocks and digest outcomes on a real PostgreSQL, with two instances that both started
 * before anything was written (a standby and a leader): what the leader kept, the one after it goes
 * on with. Before, each instance kept its own files, so a new leader started each job's stuck clock
 * again and its digest missed what finished under the old one.
 */
class JdbcEpisodesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @RegisterExtension
    static final PostgresStates postgres = new PostgresStates();

    private JdbcState instance(String url) {
        return postgres.instance(url);
    }

    private static FineTuningJob job(String id, String status) throws Exception {
        return JSON.readValue("{\"id\":\"" + id + "\",\"object\":\"fine_tuning.job\",\"model\":\"gpt-4o-mini\",\"status\":\""
                + status + "\",\"fine_tuned_model\":" + (status.equals("succeeded") ? "\"ft:gpt-4o-mini:acme::x1\"" : "null") + "}",
                FineTuningJob.class);
    }

    private static Instant since(StatusEpisodes episodes, String jobId) {
        return episodes.current().stream().filter(e -> e.jobId().equals(jobId)).findFirst().orElseThrow().since();
    }

    @Test
    void aNewLeaderGoesOnWithTheOldLeadersStuckClocks() throws Exception {
        String url = postgres.newDatabase();
        JdbcState a = instance(url);
        JdbcState b = instance(url);
        StatusEpisodes leader = new StatusEpisodes(a.episodeRecords(Path.of("unused")), Clock.fixed(T0, ZoneOffset.UTC), null);
        // the standby started before the leader wrote anything
        StatusEpisodes standby = new StatusEpisodes(b.episodeRecords(Path.of("unused")),
                Clock.fixed(T0.plus(Duration.ofHours(2)), ZoneOffset.UTC), null);

        leader.seen(job("ftjob-q", "queued"), "{}", "progress", false, true);
        leader.seen(job("ftjob-r", "queued"), "{}", "progress", false, true);
        leader.seen(job("ftjob-r", "running"), "{}", "progress", false, true);
        leader.seen(job("ftjob-done", "running"), "{}", "progress", false, true);
        leader.seen(job("ftjob-done", "succeeded"), "{}", "completion", true, true);

        // the leader dies; two hours later the standby leads and polls
        standby.seen(job("ftjob-q", "queued"), "{}", "progress", false, true);
        standby.seen(job("ftjob-r", "validating_files"), "{}", "progress", false, true);
        assertEquals(T0, since(standby, "ftjob-q"), "queued since the old leader saw it: the clock goes on");
        assertEquals(T0.plus(Duration.ofHours(2)), since(standby, "ftjob-r"), "a new status: a new episode");
        assertEquals(List.of("ftjob-q", "ftjob-r"), standby.current().stream().map(StatusEpisodes.Episode::jobId).sorted().toList());

        StatusEpisodes restarted = new StatusEpisodes(a.episodeRecords(Path.of("unused")), Clock.fixed(T0, ZoneOffset.UTC), null);
        assertEquals(List.of("ftjob-q", "ftjob-r"), restarted.current().stream().map(StatusEpisodes.Episode::jobId).sorted().toList(),
                "the ended job's episode is gone for every instance");
        assertEquals(T0.plus(Duration.ofHours(2)), since(restarted, "ftjob-r"));
    }

    @Test
    void aDigestListsWhatFinishedUnderTheLeaderBefore() throws Exception {
        String url = postgres.newDatabase();
        JdbcState a = instance(url);
        JdbcState b = instance(url);
        Outcomes leader = new Outcomes(a.outcomeRecords(Path.of("unused")), Clock.fixed(T0, ZoneOffset.UTC));
        Outcomes standby = new Outcomes(b.outcomeRecords(Path.of("unused")), Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));

        leader.finished(job("ftjob-a", "succeeded"), "completion");
        standby.finished(job("ftjob-a", "succeeded"), "completion"); // seen again after the failover: the first learnt stays
        standby.finished(job("ftjob-b", "failed"), "failure");

        List<Outcomes.Outcome> day = standby.between(T0.minusSeconds(1), T0.plusSeconds(3600));
        assertEquals(List.of("ftjob-a", "ftjob-b"), day.stream().map(Outcomes.Outcome::jobId).toList());
        assertEquals(T0, day.get(0).at(), "when the old leader learnt it");
        assertEquals("ft:gpt-4o-mini:acme::x1", day.get(0).fact(), "the fine-tuned model, as the old leader kept it");

        assertEquals(1, standby.prune(Duration.ofSeconds(30)), "retention: what the old leader learnt 60 s ago is dropped");
        Outcomes restarted = new Outcomes(a.outcomeRecords(Path.of("unused")), Clock.fixed(T0, ZoneOffset.UTC));
        assertEquals(List.of("ftjob-b"), restarted.between(T0.minusSeconds(1), T0.plusSeconds(3600)).stream()
                .map(Outcomes.Outcome::jobId).toList(), "pruned for every instance");
    }
}
