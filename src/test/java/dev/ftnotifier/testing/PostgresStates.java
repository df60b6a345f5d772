package dev.ftnotifier.testing;

import dev.ftnotifier.state.jdbc.JdbcSettings;
import dev.ftnotifier.state.jdbc.JdbcState;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real PostgreSQL for a test class (started before its first test, stopped after its last) and
 * the state-store instances a test opens on it, each one stopped after the test. Register it as a
 * static field: {@code @RegisterExtension static final PostgresStates db = new PostgresStates();}
 */
public final class PostgresStates implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final List<JdbcState> states = new CopyOnWriteArrayList<>();
    private LocalPostgres postgres;

    @Override
    public void beforeAll(ExtensionContext context) {
        postgres = LocalPostgres.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (JdbcState state : states) {
            try {
                state.stop();
            } catch (RuntimeException ignored) {
                // halted already
            }
        }
        states.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        postgres.close();
    }

    /** A new, empty database on the server: its JDBC URL. */
    public String newDatabase() {
        return postgres.newDatabase();
    }

    /** A started instance of the state store on {@code url}, whose claims are taken over after {@code instanceTimeout} of silence. */
    public JdbcState instance(String url, Duration instanceTimeout) {
        JdbcState state = new JdbcState(new JdbcSettings(url, LocalPostgres.USER, LocalPostgres.PASSWORD, instanceTimeout));
        state.start();
        states.add(state);
        return state;
    }

    /** The same, with the default 30 s instance timeout. */
    public JdbcState instance(String url) {
        return instance(url, Duration.ofSeconds(30));
    }
}
