package dev.ftnotifier.routes;

import org.apache.camel.CamelContext;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.ModelToXMLDumper;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The YAML and XML pipelines in routes/ must not drift apart: both are read into Camel's
 * route model (nothing is started) and every route, route configuration and route template
 * must exist in both, with the same model, step by step.
 */
class DslParityTest {

    private record Model(Map<String, String> routes, Map<String, String> configurations, Map<String, String> templates) {
    }

    private static Model load(String extension) throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            List<Resource> resources = new ArrayList<>();
            try (var files = Files.list(Path.of("routes"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".camel." + extension)).sorted().toList()) {
                    resources.add(ResourceHelper.resolveMandatoryResource(context, "file:" + file));
                }
            }
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(resources)) {
                if (builder instanceof RouteConfigurationsBuilder configurations) {
                    context.addRoutesConfigurations(configurations);
                }
                context.addRoutes(builder);
            }
            ModelCamelContext model = (ModelCamelContext) context;
            ModelToXMLDumper dumper = PluginHelper.getModelToXMLDumper(context);
            Map<String, String> routes = new TreeMap<>();
            for (RouteDefinition route : model.getRouteDefinitions()) {
                routes.put(route.getRouteId(), dumper.dumpModelAsXml(context, route));
            }
            Map<String, String> configurations = new TreeMap<>();
            for (RouteConfigurationDefinition configuration : model.getRouteConfigurationDefinitions()) {
                configurations.put(configuration.getId(), dumper.dumpModelAsXml(context, configuration));
            }
            Map<String, String> templates = new TreeMap<>();
            for (RouteTemplateDefinition template : model.getRouteTemplateDefinitions()) {
                templates.put(template.getId(), dumper.dumpModelAsXml(context, template));
            }
            return new Model(routes, configurations, templates);
        }
    }

    @Test
    void everyRouteExistsInBothDslsWithTheSameSteps() throws Exception {
        Model yaml = load("yaml");
        Model xml = load("xml");
        assertFalse(yaml.routes().isEmpty());
        assertFalse(yaml.configurations().isEmpty());
        assertEquals(yaml.routes().keySet(), xml.routes().keySet(), "route ids in YAML and in XML");
        assertEquals(yaml.configurations().keySet(), xml.configurations().keySet(), "routeConfiguration ids");
        assertEquals(yaml.templates().keySet(), xml.templates().keySet(), "routeTemplate ids");
        yaml.routes().forEach((id, steps) -> assertEquals(steps, xml.routes().get(id), "route " + id));
        yaml.configurations().forEach((id, steps) -> assertEquals(steps, xml.configurations().get(id), "routeConfiguration " + id));
        yaml.templates().forEach((id, steps) -> assertEquals(steps, xml.templates().get(id), "routeTemplate " + id));
    }
}
