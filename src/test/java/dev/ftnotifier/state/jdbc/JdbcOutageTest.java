package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.testing.Documents;
import dev.ftnotifier.testing.LocalPostgres;
import dev.ftnotifier.testing.LocalWorld;
import dev.ftnotifier.testing.LogLines;
import dev.ftnotifier.testing.Management;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database stopped and started again under a running notifier while jobs finish: readiness
 * goes DOWN with the reason, nothing is delivered that was not claimed first, and once the
 * database is back the notifier resumes by itself: every delivery made, none twice.
 */
class JdbcOutageTest {

    private static final Duration DEADLINE = Duration.ofSeconds(40);

    @RegisterExtension
    final LocalWorld world = new LocalWorld();

    @RegisterExtension
    final LogLines log = new LogLines();

    private final LocalPostgres postgres = LocalPostgres.start();
    private final Management management = new Management();

    @AfterEach
    void stopPostgres() {
        postgres.close();
    }

    private Management.Answer get(String path) {
        Management.Answer answer = management.get(path);
        assertFalse(answer.body().contains(LocalPostgres.PASSWORD), "no health body names the database password");
        return answer;
    }

    private static String job(int i) {
        return "ftjob-" + i;
    }

    @Test
    void theDatabaseStoppedUnderLoadMakesTheNotifierUnreadyThenItResumesNothingLostNothingTwice() throws Exception {
        List<String> jobs = IntStream.rangeClosed(1, 12).mapToObj(JdbcOutageTest::job).toList();
        jobs.forEach(j -> world.putJob(j, "running"));
        world.startClock();
        List<String> watched = new ArrayList<>(jobs);
        watched.add(LocalWorld.CLOCK);
        Map<String, String> p = JdbcPipelineTest.jdbc(world.allChannels(watched.toArray(String[]::new)), postgres.newDatabase());
        management.on(p);
        p.put("notifier.state.jdbc.instance-timeout", "3s");

        try (RunningNotifier ignored = RunningNotifier.start(p)) {
            await().atMost(DEADLINE).until(() -> get("/observe/health/ready").status() == 200);
            assertEquals("UP", get("/observe/health").check("state-store").path("status").asText());

            for (int i = 1; i <= 4; i++) {
                world.api.setStatus(job(i), "succeeded");
            }
            await().atMost(DEADLINE).until(() -> IntStream.rangeClosed(1, 4).allMatch(i -> world.slackPosts(job(i)) == 1));

            // under load: four more jobs finish and the database goes away while they are delivered
            for (int i = 5; i <= 8; i++) {
                world.api.setStatus(job(i), "succeeded");
            }
            postgres.stop();
            await().atMost(DEADLINE).until(() -> get("/observe/health/ready").status() == 503);
            Management.Answer down = get("/observe/health/ready");
            assertEquals("DOWN", down.check("state-store").path("status").asText(), down.body());
            assertTrue(down.check("state-store").path("message").asText().contains("PostgreSQL unreachable"), down.body());

            // while it is away: jobs finish, none is told (nothing delivered without being recorded first)
            for (int i = 9; i <= 12; i++) {
                world.api.setStatus(job(i), "failed");
            }
            world.waitForPolls(3);
            for (int i = 9; i <= 12; i++) {
                assertEquals(0, world.slackPosts(job(i)), job(i) + ": not delivered while the state store is away");
                assertEquals(0, world.mails(job(i)), job(i));
            }
            assertFalse(Documents.names(world.fileDir).contains("ftjob-9.failed.json"));

            postgres.startAgain();
            await().atMost(DEADLINE).until(() -> get("/observe/health/ready").status() == 200);
            await().atMost(DEADLINE).until(() -> jobs.stream().allMatch(j -> world.slackPosts(j) >= 1 && world.mails(j) >= 1));
            world.waitForPolls(3);
        }
        for (String j : jobs) {
            assertEquals(1, world.slackPosts(j), j + ": one Slack post");
            assertEquals(1, world.mails(j), j + ": one mail");
        }
        List<String> files = Documents.names(world.fileDir);
        for (int i = 1; i <= 12; i++) {
            assertTrue(files.contains(job(i) + (i <= 8 ? ".succeeded.json" : ".failed.json")), job(i) + " in " + files);
        }
        assertFalse(log.containing("unreachable").isEmpty(), "the outage is logged");
        assertFalse(log.containing("answers again").isEmpty(), "and the recovery");
        assertEquals(List.of(), log.containing(LocalPostgres.PASSWORD));
    }
}
