package dev.ftnotifier.routes;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One way to call the API: every route that sends a request to {@code {{openai.base-url}}} runs under
 * the api-failures routeConfiguration (routes/error-handling), which alone says what the API's failures
 * mean, and none reads the answer's status code itself ({@code throwExceptionOnFailure=false}); every
 * route that reads an answer runs under api-answers, which says what an answer that is not what was
 * asked for means.
 */
class ApiCallsTest {

    @ParameterizedTest
    @ValueSource(strings = {"yaml", "xml"})
    void everyApiRequestIsUnderApiFailures(String dsl) throws Exception {
        RouteModel model = RouteModel.load(Path.of("routes"), dsl);
        List<String> calling = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> route : model.routes.entrySet()) {
            String tree = route.getValue();
            if (!tree.contains("{{openai.base-url}}")) {
                continue;
            }
            calling.add(route.getKey());
            if (!tree.matches("(?s).*routeConfigurationId[^\\n]*api-failures.*")) {
                problems.add(route.getKey() + " calls the API outside api-failures");
            }
            if (tree.contains("throwExceptionOnFailure")) {
                problems.add(route.getKey() + " reads the API's status codes itself (throwExceptionOnFailure)");
            }
        }
        assertTrue(calling.containsAll(List.of("get-job-request", "list-jobs", "get-result-file", "get-job-list")), calling.toString());
        // and the routes that read an answer say what one that is not what was asked for means
        for (String reading : List.of("get-job", "list-jobs", "get-result-file", "get-job-list")) {
            if (!model.routes.get(reading).matches("(?s).*routeConfigurationId[^\\n]*api-answers.*")) {
                problems.add(reading + " reads an answer outside api-answers");
            }
        }
        assertEquals(List.of(), problems);
    }
}
