package dev.ftnotifier;

import dev.ftnotifier.config.ConfigurationException;
import dev.ftnotifier.config.NotifierMain;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs the notifier as a standalone Camel Main process from the repository root:
 * {@code java -jar target/fine-tuning-notifier.jar [--demo [--faults]]}.
 */
public final class App {

    private App() {
    }

    private static void stop(NotifierMain notifier, Signal signal) {
        LoggerFactory.getLogger("notifier").info("SIG{}: stopping; deliveries under way may finish, then state is saved",
                signal.getName());
        notifier.stop();
    }

    public static void main(String[] args) {
        // before anything logs: text (slf4j-simple) or one JSON object per line (logback)
        LogFormat.select();
        boolean demo = java.util.Arrays.asList(args).contains("--demo");
        boolean faults = java.util.Arrays.asList(args).contains("--faults");
        try (NotifierMain notifier = demo ? DemoMode.create(faults) : NotifierMain.fromWorkingDirectory()) {
            // SIGTERM (and Ctrl-C) end the run the orderly way: in-flight deliveries finish (within
            // camel.main.shutdown-timeout), state is recorded, and the process exits 0
            Signal.handle(new Signal("TERM"), signal -> stop(notifier, signal));
            Signal.handle(new Signal("INT"), signal -> stop(notifier, signal));
            notifier.run();
        } catch (ConfigurationException e) {
            // one line an operator can act on, not a stack trace
            System.err.println("fine-tuning-notifier: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            ConfigurationException cause = ConfigurationException.findIn(e);
            System.err.println("fine-tuning-notifier: " + (cause != null ? cause.getMessage() : "failed to start: " + e));
            System.exit(cause != null ? 2 : 1);
        }
        System.exit(0);
    }
}
