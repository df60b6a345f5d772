package dev.ftnotifier.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftnotifier.testing.Folders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image's class-data archive works: the Dockerfile's RUN that makes it, then its ENTRYPOINT,
 * both run here exactly as written with /app a folder holding what the image copies there. The
 * ENTRYPOINT gets {@code -Xshare:on}, with which the JVM refuses to start on an archive it cannot
 * use (another -jar path, jar or JDK) instead of quietly starting without it. Needs the packaged jar.
 */
class ClassDataArchiveIT {

    private static final String APP = "/app/";

    @Test
    void theArchiveTheImageBuildsIsTheOneItsEntrypointCanUse(@TempDir Path app) throws Exception {
        ManifestsTest.Dockerfile dockerfile = new ManifestsTest.Repo(Path.of("")).dockerfile();
        for (String[] copy : List.of(new String[] {"target/fine-tuning-notifier.jar", "fine-tuning-notifier.jar"},
                new String[] {"jvm.options", "jvm.options"}, new String[] {"application.properties", "application.properties"})) {
            Files.copy(Path.of(copy[0]), app.resolve(copy[1]));
        }
        for (String folder : List.of("routes", "templates")) {
            Folders.copyTree(Path.of(folder), app.resolve(folder));
        }

        String make = dockerfile.all("RUN").stream().filter(r -> r.contains("-XX:ArchiveClassesAtExit=")).findFirst().orElse(null);
        assertNotNull(make, "a RUN makes the class-data archive");
        // the java command of that RUN, up to the shell's redirection
        List<String> training = words(make.substring(0, make.indexOf(" >")), app);
        Result made = run(training, app, 120);
        assertEquals(0, made.exit(), "the archive's demo run:\n" + made.output());
        String archive = training.stream().filter(w -> w.startsWith("-XX:ArchiveClassesAtExit=")).findFirst().orElseThrow()
                .substring("-XX:ArchiveClassesAtExit=".length());
        assertTrue(Files.size(Path.of(archive)) > 0, "the archive was written: " + archive);

        List<String> entrypoint = new ArrayList<>();
        for (String word : new ObjectMapper().readValue(dockerfile.first("ENTRYPOINT"), String[].class)) {
            entrypoint.add(word.replace(APP, app + "/"));
        }
        assertTrue(entrypoint.contains("-XX:SharedArchiveFile=" + archive), "the ENTRYPOINT uses the archive the RUN made: " + entrypoint);
        entrypoint.add(1, "-Xshare:on");
        // no key: the notifier refuses to start at once (exit 2), after the JVM has mapped the archive
        Result started = run(entrypoint, app, 60);
        assertFalse(started.output().contains("Unable to use shared archive"), started.output());
        assertTrue(started.output().contains("no API key"), "the JVM started on the archive and ran the notifier:\n" + started.output());
    }

    private record Result(int exit, String output) {
    }

    private static List<String> words(String command, Path app) {
        return Arrays.stream(command.replace("\\\n", " ").trim().split("\\s+")).map(w -> w.replace(APP, app + "/")).toList();
    }

    private static Result run(List<String> command, Path dir, long seconds) throws IOException, InterruptedException {
        List<String> withJava = new ArrayList<>(command);
        withJava.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(withJava).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("OPENAI_") || k.startsWith("NOTIFIER_") || k.startsWith("JDK_JAVA"));
        Path log = Files.createTempFile(dir, "run-", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "did not end within " + seconds + " s: " + withJava);
        } finally {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
