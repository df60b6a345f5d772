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
import java.util.function.UnaryOperator;

/**
 * An append-only text file of one record per line. {@link #append} forces it to disk before it
 * returns, so that what was recorded survives a {@code kill -9} or a power cut; {@link #write}
 * alone survives a {@code kill -9} (the kernel holds it) and reaches the disk with the next flush
 * or {@link #close}: for records whose loss in a power cut costs a repeat, not a duplicate. A torn
 * last line (the process died mid-write) is skipped on reading.
 *
 * <p>Group commit: an append is two steps, {@link #write} (into the file, under a short lock, no
 * disk flush) and {@link #sync} (wait until it is on disk). Appenders that write while a flush is
 * under way share the next one: with 64 threads appending at once, the disk sees a handful of
 * flushes, not 64 queued one behind the other. A caller with a lock of its own writes under it
 * and syncs after releasing it, so nobody waits for the disk while holding that lock.
 *
 * <p>Lock order: {@code flushLock} before {@code this}; nothing takes {@code flushLock} while
 * holding {@code this}.
 */
final class Journal implements AutoCloseable {

    private final Path file;
    private final Object flushLock = new Object();
    private FileChannel channel;
    /** Bytes written through this journal since it was made (a counter, not a file position). */
    private long written;
    /** Every byte up to this count is on disk. */
    private volatile long durable;
    /** How many flushes {@link #sync} made: fewer than appends when appenders shared them. */
    private final java.util.concurrent.atomic.AtomicLong flushes = new java.util.concurrent.atomic.AtomicLong();
    /** Runs at the start of each flush, before it looks at what was written; tests hold a flush here. */
    volatile Runnable beforeFlush = () -> { };

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

    /** Whether the file ends in a line cut short by a crash (no newline): the next append would join it. */
    synchronized boolean hasTornTail() {
        try {
            if (!Files.exists(file) || Files.size(file) == 0) {
                return false;
            }
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer last = ByteBuffer.allocate(1);
                in.read(last, in.size() - 1);
                return last.get(0) != '\n';
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Appends one line; on disk when this returns. */
    void append(String line) {
        sync(write(List.of(line)));
    }

    /** Appends several lines with one forced write: thousands of records cost one disk flush, not thousands. */
    void appendAll(List<String> lines) {
        if (!lines.isEmpty()) {
            sync(write(lines));
        }
    }

    /**
     * Writes the lines into the file (in the order of the calls) without waiting for the disk, and
     * returns the ticket to pass to {@link #sync}: until then a {@code kill -9} keeps them (they are
     * the kernel's) but a power cut may not.
     */
    synchronized long write(List<String> lines) {
        if (lines.isEmpty()) {
            return written;
        }
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l).append('\n'));
        try {
            FileChannel out = open();
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
            while (bytes.hasRemaining()) {
                // counted as they are written: a write that fails partway counts what reached the file, no more
                written += out.write(bytes);
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Returns once everything {@link #write} returned {@code ticket} for is on disk. The first
     * caller flushes everything written so far, for itself and for every caller waiting behind it.
     */
    void sync(long ticket) {
        if (durable >= ticket) {
            return;
        }
        synchronized (flushLock) {
            if (durable >= ticket) {
                return;
            }
            beforeFlush.run();
            FileChannel out;
            long upTo;
            try {
                synchronized (this) {
                    out = channel == null ? null : open();
                    upTo = written;
                }
                if (out != null) {
                    out.force(false);
                    flushes.incrementAndGet();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            durable = upTo;
        }
    }

    long flushes() {
        return flushes.get();
    }

    /** Bytes written through this journal so far (the ticket a write returns), for tests. */
    synchronized long written() {
        return written;
    }

    /** Replaces the whole journal with these lines, atomically (write aside, then rename). */
    void rewrite(List<String> lines) {
        synchronized (flushLock) {
            synchronized (this) {
                rewriteLocked(lines);
            }
        }
    }

    private void rewriteLocked(List<String> lines) {
        try {
            closeLocked();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path aside = file.resolveSibling(file.getFileName() + ".rewrite");
            StringBuilder text = new StringBuilder();
            lines.forEach(l -> text.append(l).append('\n'));
            try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // what was written before is in the new file, on disk
            durable = written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
    }

    /**
     * Rewrites the journal as {@code compaction} makes it from the lines written so far, with the lock
     * held throughout: no line appended meanwhile can be lost between the read and the rename.
     * Returns how many lines fewer the journal has.
     */
    int compact(UnaryOperator<List<String>> compaction) {
        synchronized (flushLock) {
            synchronized (this) {
                List<String> before = readAll();
                List<String> after = compaction.apply(before);
                rewriteLocked(after);
                return before.size() - after.size();
            }
        }
    }

    /**
     * The file's channel, opened again when it was closed under us: an interrupted write or force
     * closes a {@link FileChannel} (ClosedByInterruptException), and without this every later
     * record would fail until a restart. Forcing a new channel flushes what the old one wrote.
     */
    private FileChannel open() throws IOException {
        if (channel == null || !channel.isOpen()) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        return channel;
    }

    /** Closes the file after a last flush: what was written and not yet synced is kept too. */
    @Override
    public void close() {
        synchronized (flushLock) {
            synchronized (this) {
                if (channel != null) {
                    try {
                        channel.force(false);
                        durable = written;
                    } catch (IOException ignored) {
                        // a sync still waiting reports it; closing goes on
                    }
                }
                closeLocked();
            }
        }
    }

    private void closeLocked() {
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
