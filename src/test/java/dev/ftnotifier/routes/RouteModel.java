package dev.ftnotifier.routes;

import org.apache.camel.CamelContext;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TryDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The route model Camel builds from a set of route files, written out as an indented tree of
 * every field of every definition, without Camel's XML dumper.
 *
 * <p>The dumper cannot be trusted for this: it writes a doTry's outputs only, and the YAML DSL
 * keeps a doTry's doCatch and doFinally beside them ({@link TryDefinition#getCatchClauses()}),
 * so a YAML doTry dumps with no doCatch and no doFinally at all. Here a doTry is written as
 * its steps, then every doCatch, then its doFinally, whichever DSL built it.
 */
final class RouteModel {

    /** Bookkeeping, not meaning: where a step was read from, links back up the tree, caches. */
    private static final Set<String> SKIPPED = Set.of(
            "parent", "index", "lineNumber", "location", "resource", "camelContext", "routeConfiguration",
            "initialized", "outputsWithoutCatches", "endCounter", "blocks", "customId",
            "errorHandlerFactory", "routeTemplateContext", "shortName", "prototypeFactory");

    final Map<String, String> routes = new TreeMap<>();
    final Map<String, String> configurations = new TreeMap<>();
    final Map<String, String> templates = new TreeMap<>();

    /** Reads every {@code *.camel.<extension>} file in {@code folder} into Camel's model; nothing is started. */
    static RouteModel load(Path folder, String extension) throws Exception {
        try (var files = Files.list(folder)) {
            return load(files.filter(f -> f.getFileName().toString().endsWith(".camel." + extension)).sorted().toList());
        }
    }

    /** Reads these route files into Camel's model; nothing is started. */
    static RouteModel load(List<Path> files) throws Exception {
        RouteModel model = new RouteModel();
        try (CamelContext context = new DefaultCamelContext()) {
            List<Resource> resources = new ArrayList<>();
            for (Path file : files) {
                resources.add(ResourceHelper.resolveMandatoryResource(context, "file:" + file));
            }
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(resources)) {
                if (builder instanceof RouteConfigurationsBuilder configurations) {
                    context.addRoutesConfigurations(configurations);
                }
                context.addRoutes(builder);
            }
            ModelCamelContext camel = (ModelCamelContext) context;
            for (RouteDefinition route : camel.getRouteDefinitions()) {
                model.routes.put(route.getRouteId(), tree(route));
            }
            for (RouteConfigurationDefinition configuration : camel.getRouteConfigurationDefinitions()) {
                model.configurations.put(configuration.getId(), tree(configuration));
            }
            for (RouteTemplateDefinition template : camel.getRouteTemplateDefinitions()) {
                model.templates.put(template.getId(), tree(template));
            }
        }
        return model;
    }

    /** Null when the trees are the same, else the first line where they differ, with the lines before it. */
    static String firstDifference(String expected, String actual) {
        if (expected.equals(actual)) {
            return null;
        }
        String[] a = expected.split("\n");
        String[] b = actual.split("\n");
        int i = 0;
        while (i < a.length && i < b.length && a[i].equals(b[i])) {
            i++;
        }
        StringBuilder text = new StringBuilder();
        for (int k = Math.max(0, i - 6); k < i; k++) {
            text.append("    ").append(a[k]).append('\n');
        }
        text.append("  - ").append(i < a.length ? a[i] : "(nothing)").append('\n');
        text.append("  + ").append(i < b.length ? b[i] : "(nothing)").append('\n');
        return text.toString();
    }

    static String tree(Object definition) {
        StringBuilder out = new StringBuilder();
        write(out, "", definition, 0, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return out.toString();
    }

    private static void write(StringBuilder out, String name, Object value, int depth, Set<Object> path) {
        if (value == null || isEmpty(value)) {
            return;
        }
        String indent = "  ".repeat(depth);
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>
                || value instanceof Class<?>) {
            out.append(indent).append(name).append(" = ").append(value).append('\n');
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                write(out, name + "[" + i++ + "]", item, depth, path);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            new TreeMap<>(map).forEach((k, v) -> write(out, name + "." + k, v, depth, path));
            return;
        }
        if (!value.getClass().getName().startsWith("org.apache.camel.model") || !path.add(value)) {
            return;
        }
        out.append(indent).append(name).append(name.isEmpty() ? "" : ": ").append(value.getClass().getSimpleName()).append('\n');
        for (Map.Entry<String, Object> field : fields(value).entrySet()) {
            write(out, field.getKey(), field.getValue(), depth + 1, path);
        }
        path.remove(value);
    }

    /** Every field that says what the step does, a doTry's clauses in the same place for both DSLs. */
    private static Map<String, Object> fields(Object definition) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        if (definition instanceof TryDefinition doTry) {
            fields.put("steps", doTry.getOutputsWithoutCatches());
            fields.put("doCatch", doTry.getCatchClauses());
            fields.put("doFinally", doTry.getFinallyClause());
            return fields;
        }
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = definition.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || SKIPPED.contains(field.getName())) {
                    continue;
                }
                if (field.getName().equals("id") && definition instanceof OptionalIdentifiedDefinition<?> identified
                        && !identified.hasCustomIdAssigned()) {
                    continue;
                }
                field.setAccessible(true);
                try {
                    fields.put(field.getName(), field.get(definition));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return fields;
    }

    private static boolean isEmpty(Object value) {
        return value instanceof Collection<?> c && c.isEmpty() || value instanceof Map<?, ?> m && m.isEmpty();
    }
}
