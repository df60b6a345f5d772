package dev.ftnotifier.threads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Which Slack thread is each job's: the {@code ts} of the first message posted about it, one
 * line {@code <job id> <ts>} per job in a file of the state folder, appended and forced to disk
 * before the post is counted as delivered, so a restart replies in the same thread.
 */
public class ThreadStore {

    private static final Pattern LINE = Pattern.compile("(\\S+) ([0-9]+\\.[0-9]+)");

    private final Path file;
    private final Map<String, String> threads = new ConcurrentHashMap<>();

    public ThreadStore(Path file) {
        this.file = file;
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    var m = LINE.matcher(line.trim());
                    if (m.matches()) {
                        threads.putIfAbsent(m.group(1), m.group(2));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Slack threads in " + file, e);
        }
    }

    public Optional<String> thread(String jobId) {
        return Optional.ofNullable(threads.get(jobId));
    }

    /** Keeps the job's thread; the first one kept wins. */
    public synchronized void keep(String jobId, String ts) {
        if (!LINE.matcher(jobId + " " + ts).matches() || threads.putIfAbsent(jobId, ts) != null) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                out.write(StandardCharsets.UTF_8.encode(jobId + " " + ts + "\n"));
                out.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the Slack thread of " + jobId + " in " + file, e);
        }
    }
}
