package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.state.Backoff;
import dev.ftnotifier.state.DeliveryStore;
import dev.ftnotifier.testing.LocalPostgres;
import dev.ftnotifier.testing.PostgresStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PostgreSQL delivery store against a real PostgreSQL: the claim is atomic across
 * instances (two stores, two pools, two instance ids on one database), a live instance's claim
 * is never taken over and a dead one's is, and the journal's semantics (backoff, refusals,
 * a channel back) hold.
 */
class JdbcClaimTest {

    @RegisterExtension
    static final PostgresStates postgres = new PostgresStates();

    private static JdbcState instance(String url, Duration timeout) {
        return postgres.instance(url, timeout);
    }

    private static DeliveryStore store(JdbcState state, Backoff backoff) {
        return state.deliveries(null, backoff, null);
    }

    @Test
    void manyClaimantsOnTwoInstancesClaimEachDeliveryExactlyOnce() throws Exception {
        String url = postgres.newDatabase();
        Backoff none = new Backoff(Duration.ZERO, Duration.ZERO);
        List<DeliveryStore> stores = List.of(store(instance(url, Duration.ofSeconds(30)), none),
                store(instance(url, Duration.ofSeconds(30)), none));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            keys.add(DeliveryStore.key("ftjob-" + i, "succeeded", i % 2 == 0 ? "slack" : "email"));
        }

        // round 1: new deliveries (the INSERT); round 2: all failed once, claimed again (the conditional UPDATE)
        for (int round = 1; round <= 2; round++) {
            Map<String, AtomicInteger> claims = race(stores, keys);
            for (String key : keys) {
                assertEquals(1, claims.get(key).get(), "round " + round + ": " + key + " claimed by exactly one of 64 claimants");
            }
            for (String key : keys) {
                // whichever store claimed it ends it: only the claimant's instance may
                boolean ended = false;
                for (DeliveryStore s : stores) {
                    if (round == 1) {
                        s.remove(key);
                    } else {
                        s.confirm(key);
                    }
                    ended = true;
                }
                assertTrue(ended);
            }
        }
        for (String key : keys) {
            assertTrue(stores.get(0).isDelivered(key) && stores.get(1).isDelivered(key));
            assertFalse(stores.get(1).add(key), "sent: never claimed again");
        }
        assertEquals(keys.size(), stores.get(0).deliveredCount());
        assertEquals(List.of(), stores.get(1).pending());
    }

    /** 32 threads on each store, all starting together, each trying every key in its own order. */
    private static Map<String, AtomicInteger> race(List<DeliveryStore> stores, List<String> keys) throws Exception {
        Map<String, AtomicInteger> claims = new ConcurrentHashMap<>();
        keys.forEach(k -> claims.put(k, new AtomicInteger()));
        int threads = 32 * stores.size();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                DeliveryStore store = stores.get(t % stores.size());
                List<String> order = new ArrayList<>(keys);
                Collections.shuffle(order, new java.util.Random(t));
                done.add(pool.submit(() -> {
                    go.await();
                    for (String key : order) {
                        if (store.add(key)) {
                            claims.get(key).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return claims;
    }

    @Test
    void aLiveInstancesClaimIsNeverTakenOverADeadOnesIs() {
        String url = postgres.newDatabase();
        Backoff none = new Backoff(Duration.ZERO, Duration.ZERO);
        JdbcState first = instance(url, Duration.ofSeconds(2));
        DeliveryStore a = store(first, none);
        DeliveryStore b = store(instance(url, Duration.ofSeconds(2)), none);
        String key = DeliveryStore.key("ftjob-1", "failed", "slack");

        assertTrue(a.add(key));
        assertFalse(a.add(key), "in flight here");
        long liveUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < liveUntil) { // longer than the timeout: a live instance's heartbeat keeps its claim
            assertFalse(b.add(key), "in flight at a live instance");
        }
        first.halt(); // as kill -9: the claim stays 'sending', the heartbeat stops
        await().atMost(Duration.ofSeconds(10)).until(() -> b.add(key));
        b.confirm(key);
        assertTrue(b.isDelivered(key));
    }

    @Test
    void anInstanceStoppedInOrderLeavesNothingToWaitFor() {
        String url = postgres.newDatabase();
        Backoff none = new Backoff(Duration.ZERO, Duration.ZERO);
        JdbcState first = instance(url, Duration.ofSeconds(30));
        DeliveryStore a = store(first, none);
        DeliveryStore b = store(instance(url, Duration.ofSeconds(30)), none);
        String key = DeliveryStore.key("ftjob-1", "failed", "slack");
        assertTrue(a.add(key));
        first.stop(); // its row goes: a claim it left (none, in an orderly stop) need not wait 30 s
        assertTrue(b.add(key));
    }

    @Test
    void aFailedDeliveryWaitsOutItsBackoffRefusalsDoNotCountAndAChannelBackMakesItDue() {
        String url = postgres.newDatabase();
        DeliveryStore store = store(instance(url, Duration.ofSeconds(30)), new Backoff(Duration.ofSeconds(60), Duration.ofSeconds(600)));
        String slack = DeliveryStore.key("ftjob-1", "failed", "slack");
        String email = DeliveryStore.key("ftjob-1", "failed", "email");
        String refused = DeliveryStore.key("ftjob-2", "failed", "slack");

        assertTrue(store.isDue(slack));
        for (String key : List.of(slack, email)) {
            assertTrue(store.add(key));
            store.remove(key);
        }
        assertFalse(store.isDue(slack), "waits out about 60 s");
        assertEquals(1, store.pending().get(0).attempts());
        assertEquals(2, store.pendingCount());

        assertTrue(store.add(refused));
        store.notTried(refused);
        store.remove(refused);
        assertTrue(store.isDue(refused), "a refusal by an open breaker leaves no backoff");
        assertEquals(0, store.pending().stream().filter(p -> p.delivery().equals(refused)).findFirst().orElseThrow().attempts());

        assertTrue(store.add(slack), "a channel whose breaker is not closed may try it before its backoff (the route decides)");
        store.notTried(slack);
        store.remove(slack);
        assertEquals(1, store.pending().stream().filter(p -> p.delivery().equals(slack)).findFirst().orElseThrow().attempts(),
                "refusals leave the count alone");
        assertFalse(store.isDue(slack), "and the backoff");

        assertEquals(2, store.channelRecovered("slack"));
        assertTrue(store.isDue(slack));
        assertFalse(store.isDue(email), "other channels keep their backoff");
        assertTrue(store.add(slack));
        store.confirm(slack);
        assertTrue(store.isDelivered(slack));
        assertEquals(List.of(slack), store.delivered());
        assertEquals(1, store.compact(java.util.Set.of("ftjob-1")), "maintenance forgets a job past retention");
    }

    @Test
    void onlyAPendingDeliveryIsDroppedAndOnceDroppedItIsPendingNowhere() {
        String url = postgres.newDatabase();
        DeliveryStore store = store(instance(url, Duration.ofSeconds(30)), new Backoff(Duration.ofSeconds(60), Duration.ofSeconds(600)));
        DeliveryStore other = store(instance(url, Duration.ofSeconds(30)), new Backoff(Duration.ofSeconds(60), Duration.ofSeconds(600)));
        String pending = DeliveryStore.key("ftjob-1", "running", "slack");
        String sent = DeliveryStore.key("ftjob-1", "running", "file");
        String sending = DeliveryStore.key("ftjob-1", "running", "email");
        assertTrue(store.add(pending));
        store.remove(pending);
        assertTrue(store.add(sent));
        store.confirm(sent);
        assertTrue(store.add(sending));

        assertFalse(other.drop(sent), "a delivery made stays made");
        assertFalse(other.drop(sending), "a claim under way is not ended from outside");
        assertFalse(other.drop(DeliveryStore.key("ftjob-9", "running", "slack")), "unknown");
        assertTrue(other.drop(pending), "dropped by any instance");
        assertFalse(other.drop(pending), "once");
        assertEquals(List.of(), store.pending());
        assertTrue(store.isDelivered(sent));
        assertFalse(other.add(sending), "still claimed by its live instance");
    }

    @Test
    void aWebhookEventIsNewForExactlyOneInstanceHoweverOftenItArrives() throws Exception {
        String url = postgres.newDatabase();
        List<dev.ftnotifier.state.WebhookIds> ids = List.of(instance(url, Duration.ofSeconds(30)).webhookIds(null, null),
                instance(url, Duration.ofSeconds(30)).webhookIds(null, null));
        Map<String, AtomicInteger> firsts = new ConcurrentHashMap<>();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add("wh_" + i);
            firsts.put("wh_" + i, new AtomicInteger());
        }
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                dev.ftnotifier.state.WebhookIds store = ids.get(t % 2);
                List<String> order = new ArrayList<>(events);
                Collections.shuffle(order, new java.util.Random(t));
                done.add(pool.submit(() -> {
                    go.await();
                    for (String id : order) {
                        if (store.record(id, "ftjob-" + id.substring(3))) {
                            firsts.get(id).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        events.forEach(id -> assertEquals(1, firsts.get(id).get(), id + " acted on once"));
        assertEquals(40, ids.get(1).size());
        assertEquals(40, ids.get(0).jobIds().size(), "the jobs the events name, for the leader to follow");
    }

    @Test
    void aJobFinishedByOneInstanceIsFinishedForTheOthersAndPrunedOnce() {
        String url = postgres.newDatabase();
        JdbcState first = instance(url, Duration.ofSeconds(30));
        dev.ftnotifier.state.FinishedJobs a = first.finishedJobs(null);
        a.add("ftjob-1");
        a.addAll(List.of("ftjob-2", "ftjob-3"));
        dev.ftnotifier.state.FinishedJobs b = instance(url, Duration.ofSeconds(30)).finishedJobs(null);
        assertTrue(b.contains("ftjob-1") && b.contains("ftjob-3"), "a new leader does not fetch them again");
        assertEquals(3, b.size());
        assertEquals(java.util.Set.of(), b.prune(Duration.ofDays(30), id -> true), "none is old enough");
        assertEquals(java.util.Set.of("ftjob-2"), b.prune(Duration.ofMillis(1), "ftjob-2"::equals));
        assertEquals(2, instance(url, Duration.ofSeconds(30)).finishedJobs(null).size());
    }

    @Test
    void aClaimWhoseAnswerWasLostIsClaimedAgainByItsOwnInstance() throws Exception {
        String url = postgres.newDatabase();
        JdbcState me = instance(url, Duration.ofSeconds(30));
        DeliveryStore store = store(me, new Backoff(Duration.ZERO, Duration.ZERO));
        DeliveryStore other = store(instance(url, Duration.ofSeconds(30)), new Backoff(Duration.ZERO, Duration.ZERO));
        String key = DeliveryStore.key("ftjob-1", "succeeded", "slack");
        // the claim committed, but the database went away before its answer came: add said no, nothing was sent
        me.withConnection(c -> {
            try (var insert = c.prepareStatement("INSERT INTO notifier_delivery (delivery_key, job_id, channel, state, claimed_by, claimed_at) "
                    + "VALUES (?, 'ftjob-1', 'slack', 'sending', ?, now())")) {
                insert.setString(1, key);
                insert.setString(2, me.instanceId());
                return insert.executeUpdate();
            }
        });
        assertFalse(other.add(key), "another instance leaves a live instance's claim alone");
        assertTrue(store.add(key), "its own instance, with nothing in flight for it, takes it again: not lost");
        assertFalse(store.add(key), "and now it is in flight");
        store.confirm(key);
        assertTrue(other.isDelivered(key));
    }

    @Test
    void theSchemaIsMigratedIntoADatabaseThatHoldsOtherTablesAndAgainWithoutChange() throws Exception {
        String url = postgres.newDatabase();
        try (var c = java.sql.DriverManager.getConnection(url, LocalPostgres.USER, LocalPostgres.PASSWORD); var s = c.createStatement()) {
            s.execute("CREATE TABLE someone_elses (id INT)");
            s.execute("CREATE TABLE flyway_schema_history (installed_rank INT)"); // another application's Flyway
        }
        instance(url, Duration.ofSeconds(30)).stop();
        JdbcState again = instance(url, Duration.ofSeconds(30));
        List<String> applied = again.withConnection(c -> {
            List<String> versions = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT version FROM notifier_schema_history WHERE success ORDER BY installed_rank")) {
                while (rs.next()) {
                    versions.add(rs.getString(1));
                }
            }
            return versions;
        });
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), applied, "a baseline below V1, then each migration once");
    }
}
