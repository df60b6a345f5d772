package dev.ftnotifier.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;



/**
 * What the notifier logs during one test, as an operator reads it on standard error
 * (slf4j-simple writes there, looking System.err up on every line). Still printed, so the
 * test's own output stays whole. A JUnit extension: {@code @RegisterExtension}.
 */
public final class LogLines implements BeforeEachCallback, AfterEachCallback {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;

    @Override
    public void beforeEach(ExtensionContext context) {
        original = System.err;
        System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setErr(original);
    }

    /** Every line logged so far. */
    public List<String> all() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** The lines logged so far that contain every one of {@code parts}. */
    public List<String> containing(String... parts) {
        Predicate<String> all = line -> java.util.Arrays.stream(parts).allMatch(line::contains);
        return all().stream().filter(all).toList();
    }

    /** Waits until a line containing every one of {@code parts} is logged, and returns it. */
    public String awaitLine(String... parts) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !containing(parts).isEmpty());
        return containing(parts).get(0);
    }

    private static final class Tee extends OutputStream {
        private final OutputStream console;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream console, ByteArrayOutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            synchronized (copy) {
                copy.write(b);
            }
            try {
                console.write(b);
            } catch (java.io.IOException ignored) {
                // the console is gone; the copy is what the test reads
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (copy) {
                copy.write(b, off, len);
            }
            try {
                console.write(b, off, len);
            } catch (java.io.IOException ignored) {
                // the console is gone; the copy is what the test reads
            }
        }
    }
}
