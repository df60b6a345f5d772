package dev.ftnotifier.state.jdbc;

import dev.ftnotifier.state.StateDocuments;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The documents in PostgreSQL (table {@code notifier_document}), shared by every instance. A
 * write is one conditional statement: the first version is an {@code INSERT ... ON CONFLICT DO
 * NOTHING}, a later one an {@code UPDATE ... WHERE version = ?}; either changes no row when
 * another instance wrote first, and then nothing is written (-1). A read asks for the body only
 * when the version differs from the one the reader holds, so re-reading before each use costs
 * one small query. While the database is unreachable both throw.
 */
public class JdbcDocuments implements StateDocuments {

    private final JdbcState state;

    JdbcDocuments(JdbcState state) {
        this.state = state;
    }

    @Override
    public Optional<Document> readIfChanged(String name, long known) {
        try {
            return state.whileReachable(c -> {
                try (PreparedStatement read = c.prepareStatement(
                        "SELECT body, version FROM notifier_document WHERE name = ? AND version <> ?")) {
                    read.setString(1, name);
                    read.setLong(2, known);
                    try (ResultSet rs = read.executeQuery()) {
                        return rs.next() ? Optional.of(new Document(rs.getString(1), rs.getLong(2))) : Optional.<Document>empty();
                    }
                }
            });
        } catch (SQLException e) {
            state.failed(e);
            throw new IllegalStateException("state store unreachable: " + where(name) + " not read: " + JdbcState.reason(e), e);
        }
    }

    @Override
    public long write(String name, String json, long replacing) {
        try {
            return state.whileReachable(c -> {
                String sql = replacing <= 0
                        ? "INSERT INTO notifier_document (body, written_by, name, version) VALUES (?, ?, ?, 1) ON CONFLICT (name) DO NOTHING"
                        : "UPDATE notifier_document SET body = ?, written_by = ?, written_at = now(), version = version + 1"
                                + " WHERE name = ? AND version = ?";
                try (PreparedStatement write = c.prepareStatement(sql)) {
                    write.setString(1, json);
                    write.setString(2, state.instanceId());
                    write.setString(3, name);
                    if (replacing > 0) {
                        write.setLong(4, replacing);
                    }
                    return write.executeUpdate() == 1 ? Math.max(replacing, 0) + 1 : -1L;
                }
            });
        } catch (SQLException e) {
            state.failed(e);
            throw new IllegalStateException("state store unreachable: " + where(name) + " not written: " + JdbcState.reason(e), e);
        }
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public String where(String name) {
        return "notifier_document '" + name + "' in PostgreSQL " + state.settings().where();
    }
}
