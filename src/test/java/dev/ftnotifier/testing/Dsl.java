package dev.ftnotifier.testing;

/**
 * The route DSL the notifier's tests boot it with: YAML, or XML in the second test run
 * ({@code -Dnotifier.test.dsl=xml}, the {@code xml-dsl} executions in pom.xml). Every test
 * that boots the notifier runs in both, so the two pipelines are shown to behave the same.
 */
public final class Dsl {

    private Dsl() {
    }

    /** {@code yaml} or {@code xml}: the value of notifier.routes for this test run. */
    public static String current() {
        String dsl = System.getProperty("notifier.test.dsl", "yaml").trim();
        if (!dsl.equals("yaml") && !dsl.equals("xml")) {
            throw new IllegalStateException("notifier.test.dsl must be yaml or xml, not " + dsl);
        }
        return dsl;
    }
}
