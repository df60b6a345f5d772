package dev.ftnotifier.config;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reloads a route file an operator edits while the notifier runs, without a restart and
 * without losing delivery state (that lives in beans, not routes).
 *
 * <p>Camel's own reload removes the old routes before it knows the new ones are good, so a
 * broken edit leaves the pipeline without them. Here a change is parsed first (a YAML or XML
 * mistake is rejected before anything stops), then applied; if applying fails (an unknown
 * bean, an endpoint that cannot be made) the last good version of the file is put back.
 * Either way one log line names the file and the reason.
 */
public class RouteReloader extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("routes-reload");

    private final CamelContext context;
    private final Path folder;
    private final Path loadedFrom;
    private final String glob;
    private final long intervalMillis;
    /** What each file held at the last look: a ConfigMap update swaps a link, so the time stamp may not move. */
    private final Map<Path, String> seen = new HashMap<>();
    private final Map<Path, String> lastGood = new HashMap<>();
    private ScheduledExecutorService watcher;

    /**
     * @param folder     the route folder as configured, looked at through its links on every look
     * @param loadedFrom the folder as Camel loaded the routes from it (its real path at start-up),
     *                   so a reload replaces those routes instead of adding them again
     */
    public RouteReloader(CamelContext context, Path folder, Path loadedFrom, String glob, long intervalMillis) {
        this.context = context;
        this.folder = folder;
        this.loadedFrom = loadedFrom;
        this.glob = glob;
        this.intervalMillis = intervalMillis;
    }

    @Override
    protected void doStart() throws IOException {
        for (Path file : files()) {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            seen.put(file, content);
            lastGood.put(file, content);
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "routes-reload");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::check, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        LOG.info("watching {}/{} for edits", folder, glob);
    }

    @Override
    protected void doStop() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }

    /** One look at the folder: reload what changed since the last look. */
    synchronized void check() {
        try {
            for (Path file : files()) {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                if (!content.equals(seen.get(file))) {
                    seen.put(file, content);
                    reload(file, content);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot look at {}: {}", folder, e.toString());
        }
    }

    private void reload(Path file, String content) {
        if (content.equals(lastGood.get(file))) {
            return;
        }
        Resource edited = resource(file, content);
        try {
            // parse first: a syntax or schema mistake stops nothing
            parse(context, edited);
        } catch (Exception e) {
            LOG.error("{} rejected, the routes from its last good version keep running: {}", file, reason(e));
            return;
        }
        try {
            PluginHelper.getRoutesLoader(context).updateRoutes(List.of(edited));
            lastGood.put(file, content);
            LOG.info("{} reloaded: routes {}", file, routeIdsFrom(file));
        } catch (Exception e) {
            LOG.error("{} rejected, putting its last good version back: {}", file, reason(e));
            restore(file);
        }
    }

    private void restore(Path file) {
        String good = lastGood.get(file);
        if (good == null) {
            return;
        }
        try {
            PluginHelper.getRoutesLoader(context).updateRoutes(List.of(resource(file, good)));
            LOG.info("{}: last good version running again: routes {}", file, routeIdsFrom(file));
        } catch (Exception e) {
            LOG.error("{}: could not put the last good version back: {}", file, reason(e));
        }
    }

    private List<String> routeIdsFrom(Path file) {
        String name = file.getFileName().toString();
        return context.getRoutes().stream()
                .filter(r -> r.getSourceLocation() != null && r.getSourceLocation().contains(name))
                .map(Route::getRouteId).sorted().toList();
    }

    private Resource resource(Path file, String content) {
        // the same location the routes were first loaded from, so updateRoutes replaces them
        return ResourceHelper.fromString("file:" + loadedFrom.resolve(file.getFileName()), content);
    }

    /**
     * Reads a route file into route builders without adding them. Camel's XML loader only logs a
     * WARN for an XML syntax error and loads nothing, so XML is checked to be well-formed here first.
     */
    static void parse(CamelContext context, Resource resource) throws Exception {
        if (resource.getLocation().endsWith(".xml")) {
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            try (Reader in = resource.getReader()) {
                XMLStreamReader reader = factory.createXMLStreamReader(in);
                while (reader.hasNext()) {
                    reader.next();
                }
            } catch (XMLStreamException e) {
                String where = e.getLocation() == null ? ""
                        : ", line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber();
                String what = String.valueOf(e.getMessage()).replaceFirst("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", "");
                throw new IllegalArgumentException("not well-formed XML in " + resource.getLocation() + where + ": " + what, e);
            }
        }
        PluginHelper.getRoutesLoader(context).findRoutesBuilders(List.of(resource));
    }

    /** The exception chain as one line: YAML and XML parsers say the line and column there. */
    static String reason(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 600; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : " / ").append(message);
            }
        }
        return text.toString().replaceAll("\\s+", " ").trim();
    }

    private List<Path> files() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, glob)) {
            // hidden entries are never routes: a ConfigMap's ..data and ..<time stamp> folders (Camel skips them too)
            return java.util.stream.StreamSupport.stream(stream.spliterator(), false)
                    .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }
}
