package dev.ftnotifier.enrich;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JobListsTest {

    @Test
    void checkpointsByStepWithTheirMetrics() {
        String body = """
                {"object":"list","data":[
                 {"object":"fine_tuning.job.checkpoint","id":"ftckpt_b","fine_tuned_model_checkpoint":"ft:gpt-4o-mini:acme::B:ckpt-step-20","step_number":20,"metrics":{"train_loss":0.25,"valid_loss":0.3}},
                 {"object":"fine_tuning.job.checkpoint","id":"ftckpt_a","fine_tuned_model_checkpoint":"ft:gpt-4o-mini:acme::A:ckpt-step-10","step_number":10,"metrics":{}}
                ],"has_more":false}""";
        var list = new JobLists().checkpoints(body);
        assertEquals(java.util.List.of(10L, 20L), list.stream().map(Checkpoint::step).toList());
        assertEquals(Map.of("train_loss", 0.25, "valid_loss", 0.3), list.get(1).metrics());
    }

    @Test
    void failureEventsAreTheLastThreeErrorsAndWarningsNewestFirst() {
        String body = """
                {"object":"list","data":[
                 {"id":"e1","created_at":100,"level":"info","message":"Step 5/10: training loss=0.5"},
                 {"id":"e2","created_at":99,"level":"error","message":"second error"},
                 {"id":"e3","created_at":101,"level":"error","message":"newest error"},
                 {"id":"e4","created_at":98,"level":"warn","message":"a warning"},
                 {"id":"e5","created_at":97,"level":"warning","message":"an Azure warning"}
                ],"has_more":false}""";
        assertEquals(java.util.List.of("newest error", "second error", "a warning"), new JobLists().failureEvents(body));
    }

    @Test
    void somethingElseIsNotAList() {
        assertThrows(ResultFileException.class, () -> new JobLists().failureEvents("<html>"));
        assertThrows(ResultFileException.class, () -> new JobLists().checkpoints("{\"data\":3}"));
    }
}
