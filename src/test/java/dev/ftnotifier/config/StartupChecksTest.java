package dev.ftnotifier.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Start-up checks, run as an operator meets them: the real entry point in a separate JVM
 * with its own environment, exit code and standard error.
 */
class StartupChecksTest {

    @TempDir
    Path workDir;

    private record Outcome(int exitCode, String stderr) {
    }

    private Outcome runApp(Map<String, String> env) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.ftnotifier.App"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        // the machine's own OpenAI settings must not leak into the check
        builder.environment().keySet().removeIf(k -> k.startsWith("OPENAI_") || k.startsWith("NOTIFIER_") || k.startsWith("CAMEL_"));
        builder.environment().putAll(env);
        builder.environment().put("CAMEL_MAIN_DURATION_MAX_SECONDS", "3");
        Path err = workDir.resolve("stderr.txt");
        builder.redirectError(err.toFile()).redirectOutput(workDir.resolve("stdout.txt").toFile());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the notifier did not stop");
        }
        return new Outcome(process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static long lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).count();
    }

    @Test
    void withoutAnApiKeyItExitsNonZeroNamingOpenAiApiKey() throws Exception {
        Outcome outcome = runApp(Map.of("NOTIFIER_JOBS", "ftjob-abc"));
        assertEquals(2, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stderr().contains("OPENAI_API_KEY"), outcome.stderr());
        assertEquals(1, lines(outcome.stderr()), "one line, no stack trace: " + outcome.stderr());
    }

    @Test
    void aJobIdThatCouldChangeTheRequestPathIsRefusedByName() throws Exception {
        Outcome outcome = runApp(Map.of("OPENAI_API_KEY", "test-key-not-a-secret",
                "NOTIFIER_JOBS", "ftjob-good,ftjob-x/../../files"));
        assertEquals(2, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stderr().contains("ftjob-x/../../files"), outcome.stderr());
        assertEquals(1, lines(outcome.stderr()), "one line, no stack trace: " + outcome.stderr());
    }

    @Test
    void anUnsafeIdInTheJobsFileIsRefusedAtStartUp() throws Exception {
        Files.writeString(workDir.resolve("jobs.txt"), "ftjob-ok\nftjob?admin=1\n");
        Outcome outcome = runApp(Map.of("OPENAI_API_KEY", "test-key-not-a-secret", "NOTIFIER_JOBS_FILE", "jobs.txt"));
        assertEquals(2, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stderr().contains("ftjob?admin=1"), outcome.stderr());
    }

    @Test
    void theEnvironmentOverridesTheFileAndTheKeyIsNeverPrinted() throws Exception {
        Files.writeString(workDir.resolve("application.properties"), "notifier.jobs = ftjob-from-file\n");
        Files.createDirectories(workDir.resolve("routes"));
        Outcome outcome = runApp(Map.of("OPENAI_API_KEY", "test-key-not-a-secret",
                "NOTIFIER_JOBS", "ftjob-from-env/x"));
        // the refused id is the environment's, so the environment won
        assertEquals(2, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stderr().contains("ftjob-from-env/x"), outcome.stderr());
        assertTrue(!outcome.stderr().contains("test-key-not-a-secret"), outcome.stderr());
    }
}
