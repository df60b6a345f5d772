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
import java.util.List;

/**
 * An append-only text file of one record per line, forced to disk on every append, so that
 * what was recorded survives a {@code kill -9} or a power cut. A torn last line (the process
 * died mid-write) is skipped on reading.
 */
final class Journal implements AutoCloseable {

    private final Path file;
    private FileChannel channel;

    Journal(Path file) {
        this.file = file;
    }

    /** Every complete line written so far. */
    synchronized List<String> readAll() {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> lines = text.lines().toList();
            // a last line without its newline was cut short by a crash: not a record
            return text.endsWith("\n") || lines.isEmpty() ? lines : lines.subList(0, lines.size() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    synchronized void append(String line) {
        appendAll(List.of(line));
    }

    /** Appends several lines with one forced write: thousands of records cost one disk flush, not thousands. */
    synchronized void appendAll(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l).append('\n'));
        try {
            FileChannel out = open();
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Replaces the whole journal with these lines, atomically (write aside, then rename). */
    synchronized void rewrite(List<String> lines) {
        try {
            close();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path aside = file.resolveSibling(file.getFileName() + ".rewrite");
            StringBuilder text = new StringBuilder();
            lines.forEach(l -> text.append(l).append('\n'));
            try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(StandardCharsets.UTF_8.encode(text.toString()));
                out.force(true);
            }
            Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
    }

    /**
     * Rewrites the journal as {@code compaction} makes it from the lines written so far, with the lock
     * held throughout: no line appended meanwhile can be lost between the read and the rename.
     * Returns how many lines fewer the journal has.
     */
    synchronized int compact(java.util.function.UnaryOperator<List<String>> compaction) {
        List<String> before = readAll();
        List<String> after = compaction.apply(before);
        rewrite(after);
        return before.size() - after.size();
    }

    private FileChannel open() throws IOException {
        if (channel == null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        return channel;
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing after a forced write loses nothing
            }
            channel = null;
        }
    }
}
