package dev.ftnotifier.config;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What must be right before anything runs, checked before the routes load, so an operator
 * gets one line naming the setting to fix instead of a Camel stack trace.
 */
final class StartupChecks extends MainListenerSupport {

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        check(key -> properties.resolveProperty(key).orElse(""));
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
