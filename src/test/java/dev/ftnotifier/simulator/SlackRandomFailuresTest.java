package dev.ftnotifier.simulator;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SlackWebhookCapture.failRandomly: a seeded share of posts answered 500 or 503, not kept, counted. */
class SlackRandomFailuresTest {

    private static final int POSTS = 400;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private List<Integer> postAll(SlackWebhookCapture slack) throws Exception {
        return post(slack, POSTS);
    }

    private List<Integer> post(SlackWebhookCapture slack, int count) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpRequest post = HttpRequest.newBuilder(URI.create(slack.url()))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"post " + i + "\"}"))
                    .build();
            statuses.add(client.send(post, HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        return statuses;
    }

    @Test
    void aSeededShareOfPostsFailsWith500Or503AndIsNotKept() throws Exception {
        List<Integer> first;
        try (SlackWebhookCapture slack = SlackWebhookCapture.start()) {
            slack.failRandomly(0.20, 42);
            first = postAll(slack);
            long failed = first.stream().filter(s -> s != 200).count();
            assertTrue(first.stream().allMatch(s -> s == 200 || s == 500 || s == 503), first.toString());
            assertTrue(failed > POSTS * 0.10 && failed < POSTS * 0.30, "about 20% failed: " + failed);
            assertEquals(POSTS - failed, slack.posts().size(), "failed posts are not kept");
            assertEquals(POSTS, slack.attempts());
            Map<String, Long> injected = slack.faultsInjected();
            assertEquals(failed, injected.values().stream().mapToLong(Long::longValue).sum());
            assertEquals(first.stream().filter(s -> s == 500).count(), injected.getOrDefault("http_500", 0L));
            assertEquals(first.stream().filter(s -> s == 503).count(), injected.getOrDefault("http_503", 0L));

            slack.failRandomly(0, 42);
            assertTrue(postAll(slack).stream().allMatch(s -> s == 200), "turned off");
        }
        try (SlackWebhookCapture slack = SlackWebhookCapture.start()) {
            slack.failRandomly(0.20, 42);
            assertEquals(first, postAll(slack), "the same seed fails the same posts");
        }
    }

    @Test
    void scriptedFailuresGoFirstAndAreCountedToo() throws Exception {
        try (SlackWebhookCapture slack = SlackWebhookCapture.start()) {
            slack.failRandomly(1.0, 7);
            slack.failNext(2, 400);
            List<Integer> statuses = post(slack, 3);
            assertEquals(List.of(400, 400), statuses.subList(0, 2));
            assertTrue(statuses.get(2) == 500 || statuses.get(2) == 503);
            assertEquals(2L, slack.faultsInjected().get("http_400"));
            assertEquals(0, slack.posts().size());
        }
    }

    @Test
    void aProbabilityOutsideZeroToOneIsRefused() {
        try (SlackWebhookCapture slack = SlackWebhookCapture.start()) {
            assertThrows(IllegalArgumentException.class, () -> slack.failRandomly(1.5, 1));
            assertThrows(IllegalArgumentException.class, () -> slack.failRandomly(Double.NaN, 1));
        }
    }
}
