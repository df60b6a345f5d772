package dev.ftnotifier.config;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.ResourceHelper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What must be right before anything runs, checked before the routes load, so an operator
 * gets one line naming the setting to fix instead of a Camel stack trace.
 */
final class StartupChecks extends MainListenerSupport {

    private static final String INCLUDE_PATTERN = "camel.main.routes-include-pattern";
    private static final String CHANNEL_TEMPLATES = "channel-templates";

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        check(key -> properties.resolveProperty(key).orElse(""));
        String patterns = properties.resolveProperty(INCLUDE_PATTERN).orElse("");
        String resolved = throughSymlinks(patterns);
        checkRouteFiles(main.getCamelContext(), patterns);
        if (!resolved.equals(patterns)) {
            main.addOverrideProperty(INCLUDE_PATTERN, resolved);
        }
    }

    /**
     * The include patterns with each scanned folder replaced by its real path. Camel lists a
     * pattern's folder with {@code Files.walk} without following links
     * (ResourceHelper.findInFileSystem), so through {@code routes -> /etc/fine-tuning-notifier/routes}
     * it would find no file at all. Links inside the folder (a Kubernetes ConfigMap's files)
     * are followed anyway, and Camel skips its hidden {@code ..data} folders.
     */
    static String throughSymlinks(String patterns) {
        List<String> resolved = new ArrayList<>();
        for (String pattern : patterns.split(",")) {
            RouteGlob glob = RouteGlob.of(pattern.trim());
            resolved.add(glob == null ? pattern.trim() : "file:" + realFolder(glob.folder()) + "/" + glob.names());
        }
        return String.join(",", resolved);
    }

    /** The folder route files are loaded from and reloaded as: its real path, or as given if it has none (yet). */
    static Path realFolder(Path folder) {
        try {
            return folder.toRealPath();
        } catch (IOException e) {
            return folder;
        }
    }

    /** A {@code file:} include pattern with a wildcard: the folder Camel scans and the names it takes there. */
    private record RouteGlob(Path folder, String names) {
        static RouteGlob of(String pattern) {
            if (!pattern.startsWith("file:") || pattern.indexOf('*') < 0) {
                return null;
            }
            String path = pattern.substring("file:".length());
            int slash = path.lastIndexOf('/', path.indexOf('*'));
            return new RouteGlob(Path.of(slash < 0 ? "." : path.substring(0, slash + 1)), path.substring(slash + 1));
        }
    }

    /**
     * Each route file Camel will load parses, and the channel templates are among them: otherwise
     * Camel's own words would be a stack trace or "Cannot find RouteTemplate with id channel".
     * Files are named as the operator configured them ({@code routes/poll.camel.yaml}).
     */
    private static void checkRouteFiles(CamelContext context, String patterns) {
        List<Path> files = new ArrayList<>();
        RouteGlob first = null;
        for (String pattern : patterns.split(",")) {
            RouteGlob glob = RouteGlob.of(pattern.trim());
            if (glob == null) {
                continue;
            }
            first = first == null ? glob : first;
            Path real = realFolder(glob.folder());
            try {
                // the very files Camel will find
                for (Path file : ResourceHelper.findInFileSystem(real, glob.names())) {
                    files.add(glob.folder().resolve(real.relativize(file)));
                }
            } catch (Exception e) {
                throw new ConfigurationException(glob.folder() + ": route folder cannot be read: " + RouteReloader.reason(e));
            }
        }
        if (first == null) {
            return;
        }
        if (files.stream().noneMatch(f -> f.getFileName().toString().startsWith(CHANNEL_TEMPLATES))) {
            int dsl = first.names().indexOf(".camel.");
            Path expected = first.folder().resolve(CHANNEL_TEMPLATES + (dsl < 0 ? ".camel.yaml" : first.names().substring(dsl)));
            throw new ConfigurationException(expected + ": no such file, and the channel routes are made from its templates"
                    + " (found " + files.size() + " route file(s) in " + realFolder(first.folder()) + ")");
        }
        for (Path file : files) {
            try {
                String text = Files.readString(file);
                RouteReloader.parse(context, ResourceHelper.fromString("file:" + file, text));
            } catch (Exception e) {
                throw new ConfigurationException(file + ": " + RouteReloader.reason(e));
            }
        }
    }

    interface Settings {
        String get(String key);
    }

    static void check(Settings settings) {
        boolean demo = Boolean.parseBoolean(settings.get("notifier.demo").trim());
        if (!demo && settings.get("openai.api-key").isBlank()) {
            throw new ConfigurationException("no API key: set OPENAI_API_KEY (or openai.api-key in application.properties),"
                    + " or run the demo with --demo");
        }
        String baseUrl = settings.get("openai.base-url");
        if (!(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
            throw new ConfigurationException("openai.base-url (OPENAI_BASE_URL) must start with http:// or https://, not '"
                    + JobIds.printable(baseUrl) + "'");
        }
        JobIds.parseList(settings.get("notifier.jobs"), "notifier.jobs");
        String discover = settings.get("notifier.discover").trim();
        if (!discover.isEmpty() && !discover.equals("true") && !discover.equals("false")) {
            throw new ConfigurationException("notifier.discover must be true or false, not '" + JobIds.printable(discover) + "'");
        }
        String jobsFile = settings.get("notifier.jobs-file").trim();
        if (!jobsFile.isEmpty()) {
            Path file = Path.of(jobsFile);
            try {
                JobIds.parseLines(Files.readAllLines(file), "notifier.jobs-file " + file);
            } catch (IOException e) {
                throw new ConfigurationException("notifier.jobs-file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        String dsl = settings.get("notifier.routes").trim();
        if (!dsl.equals("yaml") && !dsl.equals("xml")) {
            throw new ConfigurationException("notifier.routes must be yaml or xml, not '" + JobIds.printable(dsl) + "'");
        }
        checkRouteFolders(settings.get("camel.main.routes-include-pattern"));
    }

    /** A missing routes folder means the notifier was started from the wrong directory. */
    private static void checkRouteFolders(String patterns) {
        for (String pattern : patterns.split(",")) {
            String p = pattern.trim();
            if (!p.startsWith("file:")) {
                continue;
            }
            String path = p.substring("file:".length());
            int wildcard = path.indexOf('*');
            Path folder = Path.of(wildcard >= 0 ? path.substring(0, wildcard) : path);
            folder = wildcard >= 0 ? folder : folder.getParent();
            if (folder != null && !Files.isDirectory(folder)) {
                throw new ConfigurationException("no route folder '" + folder + "' here (" + Path.of("").toAbsolutePath()
                        + "): run the notifier from the repository root, where routes/ is");
            }
        }
    }
}
