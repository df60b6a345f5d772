package dev.ftnotifier.deploy;

import dev.ftnotifier.config.ConfigurationException;
import dev.ftnotifier.testing.RunningNotifier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A route file that cannot be loaded stops start-up with one line naming the file (as
 * configured, through its link) and the reason, not Camel's "Cannot find RouteTemplate with id channel".
 */
class RouteFileStartupTest {

    @TempDir
    Path work;

    /** {@code work/routes -> work/etc/routes}, a copy of the repository's routes. */
    private Path linkedRoutes() throws IOException {
        Path etc = work.resolve("etc/routes");
        Files.createDirectories(etc);
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, etc.resolve(f.getFileName()));
            }
        }
        return Files.createSymbolicLink(work.resolve("routes"), etc);
    }

    private String startUpFailure(String dsl, Path routes) {
        Map<String, String> p = RunningNotifier.baseProperties("http://127.0.0.1:9/v1", work.resolve("data"), work.resolve("out"));
        p.put("notifier.routes", dsl);
        p.put("notifier.routes.dir", routes.toString());
        RuntimeException failure = assertThrows(RuntimeException.class, () -> RunningNotifier.start(p).close());
        ConfigurationException cause = ConfigurationException.findIn(failure);
        assertNotNull(cause, "not a configuration error: " + failure);
        assertEquals(1, cause.getMessage().lines().count(), cause.getMessage());
        return cause.getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yaml", "xml"})
    void withoutTheChannelTemplatesFileItSaysWhichFileIsMissing(String dsl) throws IOException {
        Path routes = linkedRoutes();
        Files.delete(routes.resolve("channel-templates.camel." + dsl));
        String message = startUpFailure(dsl, routes);
        assertTrue(message.startsWith(routes.resolve("channel-templates.camel." + dsl) + ": no such file"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yaml", "xml"})
    void aRouteFileThatDoesNotParseIsNamedWithTheReason(String dsl) throws IOException {
        Path routes = linkedRoutes();
        Path poll = routes.resolve("poll.camel." + dsl);
        Files.writeString(poll, Files.readString(poll).replace("id", "id: [unclosed <unclosed"));
        String message = startUpFailure(dsl, routes);
        assertTrue(message.startsWith(poll + ": "), message);
        assertTrue(message.contains("line"), "says where: " + message);
    }
}
