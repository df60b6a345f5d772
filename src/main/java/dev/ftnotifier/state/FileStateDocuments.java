package dev.ftnotifier.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The documents as files {@code <name>.json} under {@code notifier.state.dir}, each replaced
 * atomically (written aside, forced, renamed), so a crash leaves the old one or the new one.
 * One instance owns the folder: versions are counted in memory (a file read counts as version 1)
 * and a write always succeeds.
 */
public final class FileStateDocuments implements StateDocuments {

    private final Path dir;
    private final Map<String, Long> versions = new ConcurrentHashMap<>();

    public FileStateDocuments(Path stateDir) {
        this.dir = stateDir;
    }

    private Path file(String name) {
        return dir.resolve(name + ".json");
    }

    @Override
    public Optional<Document> readIfChanged(String name, long known) {
        Path file = file(name);
        long version = versions.getOrDefault(name, Files.exists(file) ? 1L : 0L);
        if (version == 0 || version == known) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Document(Files.readString(file, StandardCharsets.UTF_8), version));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public long write(String name, String json, long replacing) {
        Path file = file(name);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path aside = file.resolveSibling(file.getFileName() + ".part");
            try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = StandardCharsets.UTF_8.encode(json);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return versions.merge(name, Math.max(replacing, 1) + 1, (was, next) -> Math.max(was, replacing) + 1);
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public String where(String name) {
        return file(name).toString();
    }
}
