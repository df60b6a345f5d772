package dev.ftnotifier.config;

import dev.ftnotifier.testing.NotifierProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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

    private Outcome runApp(Map<String, String> env) throws InterruptedException {
        Path log = workDir.resolve("notifier.log");
        Process process = NotifierProcess.fromClasses().in(workDir).env(env)
                .env("CAMEL_MAIN_DURATION_MAX_SECONDS", "3").start(log);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the notifier did not stop");
        }
        return new Outcome(process.exitValue(), NotifierProcess.read(log));
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
    void aBaseUrlThatIsNotHttpIsRefusedByName() throws Exception {
        Outcome outcome = runApp(Map.of("OPENAI_API_KEY", "test-key-not-a-secret", "NOTIFIER_JOBS", "ftjob-abc",
                "OPENAI_BASE_URL", "ftp://127.0.0.1/v1"));
        assertEquals(2, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stderr().contains("openai.base-url (OPENAI_BASE_URL) must start with http:// or https://")
                && outcome.stderr().contains("ftp://127.0.0.1/v1"), outcome.stderr());
        assertEquals(1, lines(outcome.stderr()), "one line, no stack trace: " + outcome.stderr());
    }

    /** Started from a folder without routes/ (the wrong working directory): said so, not a Camel error. */
    @Test
    void aMissingRoutesFolderIsRefusedNamingTheFolder() throws Exception {
        Outcome outcome = runApp(Map.of("OPENAI_API_KEY", "test-key-not-a-secret", "NOTIFIER_JOBS", "ftjob-abc"));
        assertEquals(2, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stderr().contains("no route folder 'routes") && outcome.stderr().contains("run the notifier from"),
                outcome.stderr());
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
