package dev.ftnotifier.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads what the file channel wrote, as a user would: the files in the folder. */
public final class Documents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Documents() {
    }

    public static Path path(Path dir, String jobId, String status) {
        return dir.resolve(jobId + "." + status + ".json");
    }

    public static JsonNode read(Path dir, String jobId, String status) {
        try {
            return JSON.readTree(Files.readString(path(dir, jobId, status)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
