package dev.ftnotifier;

import dev.ftnotifier.config.ConfigurationException;
import dev.ftnotifier.config.NotifierMain;

/**
 * Runs the notifier as a standalone Camel Main process from the repository root:
 * {@code java -jar target/fine-tuning-notifier.jar [--demo]}.
 */
public final class App {

    private App() {
    }

    public static void main(String[] args) {
        boolean demo = java.util.Arrays.asList(args).contains("--demo");
        try (NotifierMain notifier = demo ? DemoMode.create() : NotifierMain.fromWorkingDirectory()) {
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
    }
}
