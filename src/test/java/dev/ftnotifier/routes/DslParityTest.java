package dev.ftnotifier.routes;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The YAML and XML pipelines in routes/ must not drift apart: both are read into Camel's
 * route model (nothing is started) and every route, route configuration and route template
 * must exist in both, with the same model, field by field ({@link RouteModel}). That the two
 * pipelines also behave the same is shown by running the notifier's tests in both DSLs
 * (the {@code xml-dsl} executions in pom.xml); this check says where they differ.
 */
class DslParityTest {

    private static final Path ROUTES = Path.of("routes");

    @Test
    void everyRouteExistsInBothDslsWithTheSameSteps() throws Exception {
        RouteModel yaml = RouteModel.load(ROUTES, "yaml");
        RouteModel xml = RouteModel.load(ROUTES, "xml");
        assertFalse(yaml.routes.isEmpty());
        assertFalse(yaml.configurations.isEmpty());
        assertFalse(yaml.templates.isEmpty());
        assertEquals(yaml.routes.keySet(), xml.routes.keySet(), "route ids in YAML and in XML");
        assertEquals(yaml.configurations.keySet(), xml.configurations.keySet(), "routeConfiguration ids");
        assertEquals(yaml.templates.keySet(), xml.templates.keySet(), "routeTemplate ids");
        StringBuilder differences = new StringBuilder();
        compare("route", yaml.routes, xml.routes, differences);
        compare("routeConfiguration", yaml.configurations, xml.configurations, differences);
        compare("routeTemplate", yaml.templates, xml.templates, differences);
        assertEquals("", differences.toString(), "YAML (-) and XML (+) differ");
    }

    private static void compare(String kind, Map<String, String> yaml, Map<String, String> xml, StringBuilder differences) {
        yaml.forEach((id, tree) -> {
            String difference = RouteModel.firstDifference(tree, xml.get(id));
            if (difference != null) {
                differences.append(kind).append(' ').append(id).append(":\n").append(difference);
            }
        });
    }

    /** The XML twin as it was shipped with its doCatch and doFinally lost: this check must see it. */
    @Test
    void aDoTryThatLostItsCatchAndFinallyIsADifference() throws Exception {
        String yaml = RouteModel.load(List.of(ROUTES.resolve("fetch-job.camel.yaml"))).routes.get("fetch-and-route");
        String lost = RouteModel.load(List.of(Path.of("src/test/resources/dsl-parity/fetch-and-route-without-catch.camel.xml")))
                .routes.get("fetch-and-route");
        assertTrue(yaml.contains("doCatch") && yaml.contains("doFinally") && yaml.contains("release(${variable.jobId})"), yaml);
        assertNotEquals(yaml, lost);
    }

    /** A changed word in a log message or a redelivery option is a difference too. */
    @Test
    void aChangedDetailIsADifference() throws Exception {
        String yaml = RouteModel.load(List.of(ROUTES.resolve("error-handling.camel.yaml"))).configurations.get("api-failures");
        String xml = RouteModel.load(List.of(ROUTES.resolve("error-handling.camel.xml"))).configurations.get("api-failures");
        assertEquals(yaml, xml);
        assertNotEquals(yaml, yaml.replace("retryAttemptedLogLevel = DEBUG", "retryAttemptedLogLevel = WARN"));
        assertTrue(yaml.contains("retryAttemptedLogLevel = DEBUG"), yaml);
    }

    /**
     * Why the check walks the model itself: Camel 4.18's XML dumper writes a doTry's outputs
     * only, and a doTry read from YAML keeps its doCatch and doFinally outside them, so the
     * dump of a YAML doTry has neither. When this fails, Camel fixed its dumper.
     */
    @Test
    void camelsXmlDumperDropsTheCatchAndFinallyOfAYamlDoTry() throws Exception {
        String yaml = """
                - route:
                    id: r
                    from:
                      uri: direct:a
                      steps:
                        - doTry:
                            steps:
                              - log: tried
                            doCatch:
                              - exception: [java.lang.Exception]
                                steps:
                                  - log: caught
                            doFinally:
                              steps:
                                - log: finally
                """;
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(PluginHelper.getRoutesLoader(context)
                    .findRoutesBuilders(List.of(ResourceHelper.fromString("r.camel.yaml", yaml))).iterator().next());
            String dump = PluginHelper.getModelToXMLDumper(context)
                    .dumpModelAsXml(context, ((ModelCamelContext) context).getRouteDefinition("r"));
            assertTrue(dump.contains("tried"), dump);
            assertFalse(dump.contains("caught") || dump.contains("finally"), dump);
        }
    }
}
