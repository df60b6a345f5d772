package dev.ftnotifier.state;

import java.util.Optional;

/**
 * Small state kept as one JSON document per name (the discovery state, the self-alert
 * episodes): a file {@code <name>.json} in {@code notifier.state.dir} ({@link FileStateDocuments}),
 * or a row of {@code notifier_document} in PostgreSQL that every instance shares
 * ({@code dev.ftnotifier.state.jdbc.JdbcDocuments}). Each write names the version it replaces,
 * so an instance that led for a moment with an old copy cannot overwrite a newer one.
 */
public interface StateDocuments {

    /** A document as saved: its JSON text and its version (counts the writes; the first is 1). */
    record Document(String json, long version) {
    }

    /**
     * The document when its version is other than {@code known}; empty when it is {@code known}
     * (the caller holds it already) or was never written. Throws (unchecked) when it cannot be read.
     */
    Optional<Document> readIfChanged(String name, long known);

    /**
     * Saves the document in place of version {@code replacing} (0: none yet): the new version, or
     * -1 when another instance wrote another version meanwhile (then nothing is written; read it again).
     * Throws (unchecked) when it cannot be written.
     */
    long write(String name, String json, long replacing);

    /** Whether other instances read and write these documents too: then read them again before each use. */
    boolean shared();

    /** Where the document lives, for messages: a path, or the table and name. */
    String where(String name);
}
