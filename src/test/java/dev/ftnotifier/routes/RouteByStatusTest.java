package dev.ftnotifier.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.model.FineTuningJob;
import dev.ftnotifier.notify.ChannelSettings;
import dev.ftnotifier.notify.Channels;
import dev.ftnotifier.notify.Notification;
import dev.ftnotifier.state.DeliveryStore;
import dev.ftnotifier.testing.LogLines;
import dev.ftnotifier.testing.NotifierRouteTest;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The content-based router (route-by-status) in the real routes/, one job per status:
 * what each status means. The seam: what the router hands to direct:notify goes to a
 * mock endpoint instead of the channels.
 */
class RouteByStatusTest extends NotifierRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final LogLines log = new LogLines();

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    /** A status with a line break: JSON's \\n becomes a real one. */
    private static final String HOSTILE = "fake\\nERROR line";

    private static JsonNode job(String id, String status) throws Exception {
        return JSON.readTree("""
                {"id": "%s", "object": "fine_tuning.job", "model": "gpt-4o-mini-2024-07-18", "created_at": 1714557000,
                 "status": "%s", "error": null, "fine_tuned_model": null, "result_files": []}""".formatted(id, status));
    }

    @Test
    void eachStatusGetsItsEventAndAnUnknownOneIsProgressWithAWarning() throws Exception {
        AdviceWith.adviceWith(context, "route-by-status", a -> a.weaveByToUri("direct:notify").replace().to("mock:notify"));
        context.start();

        Map<String, String> events = new LinkedHashMap<>();
        events.put("failed", "failure");
        events.put("succeeded", "completion");
        events.put("cancelled", "cancellation");
        for (String s : List.of("validating_files", "queued", "running", "pausing", "paused", "exploding", HOSTILE)) {
            events.put(s, "progress");
        }
        MockEndpoint notify = getMockEndpoint("mock:notify");
        notify.expectedMessageCount(events.size());
        List<String> statuses = List.copyOf(events.keySet());
        for (int i = 0; i < statuses.size(); i++) {
            String status = statuses.get(i);
            JsonNode raw = job(status.equals("exploding") ? "ftjob-exploding" : "ftjob-" + i, status);
            template.send("direct:route-by-status", (Exchange e) -> {
                e.setVariable("jobId", raw.get("id").asText());
                e.setVariable("rawJob", raw);
                e.getMessage().setBody(JSON.treeToValue(raw, FineTuningJob.class));
            });
        }
        notify.assertIsSatisfied();
        for (Exchange exchange : notify.getExchanges()) {
            Notification n = exchange.getMessage().getBody(Notification.class);
            String sent = statuses.get(notify.getExchanges().indexOf(exchange));
            assertEquals(events.get(sent), n.event(), sent);
            boolean terminal = List.of("failed", "succeeded", "cancelled").contains(sent);
            assertEquals(terminal, n.terminal(), "the router decides whether " + sent + " is terminal");
            assertEquals(!sent.equals("exploding") && !sent.equals(HOSTILE), n.known(), "known: " + sent);
        }
        assertEquals("fake_error_line", notify.getExchanges().get(events.size() - 1).getMessage()
                .getBody(Notification.class).status(), "a hostile status is normalised as the state keys are");
        assertEquals(1, log.containing("job ftjob-exploding has status 'exploding', unknown to this version").size());
        assertEquals(List.of(), log.containing("status 'running'"), "a known status is not warned about");
        assertTrue(log.all().stream().noneMatch(l -> l.startsWith("ERROR line")), "a status cannot forge a log line");
    }

    private void route(JsonNode raw) {
        template.send("direct:route-by-status", (Exchange e) -> {
            e.setVariable("jobId", raw.get("id").asText());
            e.setVariable("rawJob", raw);
            e.getMessage().setBody(JSON.treeToValue(raw, FineTuningJob.class));
        });
    }

    /** Records the notification as delivered on every channel that takes it, as the channels would. */
    private void deliveredEverywhere(Notification n) {
        Channels channels = context.getRegistry().lookupByNameAndType("channels", Channels.class);
        DeliveryStore ledger = context.getRegistry().lookupByNameAndType("deliveryStore", DeliveryStore.class);
        List<ChannelSettings> taking = channels.all().stream().filter(c -> c.takes(n)).toList();
        assertTrue(!taking.isEmpty(), "the file channel takes every status");
        for (ChannelSettings c : taking) {
            String key = DeliveryStore.key(n.jobId(), n.deliveryName(), c.name());
            ledger.add(key);
            ledger.confirm(key);
        }
    }

    /**
     * A later poll of a job still under way whose status every channel has been told of goes no
     * further than the router (no enrichment, no channel is asked): the work of a poll where
     * nothing changed. A job that has ended still goes on to notify, which marks it finished.
     */
    @Test
    void nothingNewForAJobUnderWayGoesNoFurtherButAnEndedJobAlwaysGoesOn() throws Exception {
        AdviceWith.adviceWith(context, "route-by-status", a -> a.weaveByToUri("direct:notify").replace().to("mock:notify"));
        context.start();
        MockEndpoint notify = getMockEndpoint("mock:notify");

        JsonNode running = job("ftjob-steady", "running");
        route(running);
        notify.expectedMessageCount(1);
        notify.assertIsSatisfied();
        deliveredEverywhere(notify.getExchanges().get(0).getMessage().getBody(Notification.class));
        route(running);
        route(running);
        assertEquals(1, notify.getReceivedCounter(), "a running job told everywhere is not notified again");

        JsonNode ended = job("ftjob-steady", "succeeded");
        route(ended);
        assertEquals(2, notify.getReceivedCounter(), "its new status is");
        deliveredEverywhere(notify.getExchanges().get(1).getMessage().getBody(Notification.class));
        route(ended);
        assertEquals(3, notify.getReceivedCounter(), "an ended job goes on to notify even when told everywhere");
    }
}
