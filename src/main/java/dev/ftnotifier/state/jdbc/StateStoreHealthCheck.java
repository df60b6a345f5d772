package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.observe.NotifierHealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

import java.util.Map;

/**
 * {@code state-store}: where the delivery state lives, and for PostgreSQL whether it answers.
 * A readiness check: DOWN (with the reason and since when) while the database is unreachable,
 * since no delivery is made then; not a liveness one (a restart does not bring a database back).
 * Never names the password or the URL's query.
 */
public class StateStoreHealthCheck extends NotifierHealthCheck {

    private final JdbcState jdbc;
    private final String fileDir;

    /** {@code jdbc} null: the journal under {@code fileDir}. */
    public StateStoreHealthCheck(JdbcState jdbc, String fileDir) {
        super("state-store", Probes.READINESS);
        this.jdbc = jdbc;
        this.fileDir = fileDir;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (jdbc == null) {
            builder.detail("store", "file");
            builder.message("journal in " + fileDir);
            builder.up();
            return;
        }
        builder.detail("store", "jdbc");
        builder.detail("instance", jdbc.instanceId());
        JdbcState.Trouble trouble = jdbc.check();
        if (trouble != null) {
            builder.detail("reason", trouble.reason());
            builder.detail("since", trouble.since().toString());
            builder.message("PostgreSQL unreachable since " + trouble.since() + ": no delivery is made until it answers");
            builder.down();
            return;
        }
        builder.message("PostgreSQL answers");
        builder.up();
    }
}
