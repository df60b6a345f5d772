package dev.ftnotifier.deploy;

import dev.ftnotifier.notify.Templates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The templates as deploy/kubernetes mounts them: a ConfigMap has no subfolders, so
 * {@code templates/slack} and {@code templates/email} are two ConfigMaps, each mounted at its own
 * folder under {@code /config/templates} (a plain folder), each laid out as the kubelet does
 * ({@code name -> ..data/name}, {@code ..data -> ..<time stamp>}). Every template is found there,
 * and re-applying one ConfigMap (a swap of its {@code ..data}) is seen by the next notification,
 * even when the new file keeps the old time stamp and size.
 */
class TemplatesFromConfigMapsTest {

    @Test
    void eachFolderAsItsOwnConfigMapIsReadAndASwapIsSeen(@TempDir Path tmp) throws IOException {
        Path templates = tmp.resolve("config/templates");
        for (String folder : new String[] {"slack", "email"}) {
            mount(Path.of("templates", folder), templates.resolve(folder), "..2026_12_06_10_00_00.1", s -> s);
        }
        Templates read = new Templates(templates);
        try (Stream<Path> files = Stream.concat(Files.list(Path.of("templates/slack")), Files.list(Path.of("templates/email")))) {
            for (Path file : files.toList()) {
                String name = file.getParent().getFileName() + "/" + file.getFileName().toString().replace(Templates.EXTENSION, "");
                assertTrue(read.load(name).has(name.startsWith("slack/") ? "fallback" : "subject"), name);
            }
        }
        assertEquals("❌ Fine-tuning job ftjob-1 failed", read.load("slack/failure").render("header", Map.of("job_id", "ftjob-1")).strip());

        // kubectl apply -k . with an edited template: the kubelet writes a new folder and swaps ..data
        mount(Path.of("templates/slack"), templates.resolve("slack"), "..2026_12_06_10_05_00.2",
                s -> s.replace("❌ Fine-tuning job {{job_id}} failed", "❌ Fine-tuning job {{job_id}} FAILED"));

        assertEquals("❌ Fine-tuning job ftjob-1 FAILED", read.load("slack/failure").render("header", Map.of("job_id", "ftjob-1")).strip(),
                "the next notification uses the re-applied template");
        assertEquals(Files.size(Path.of("templates/slack/failure.mustache")), Files.size(templates.resolve("slack/failure.mustache")),
                "same size and time stamp: only the path behind the links tells the change");
    }

    /** Writes a time-stamped folder (keeping each file's time stamp) and points {@code ..data} at it, atomically. */
    private static void mount(Path source, Path mount, String version, java.util.function.UnaryOperator<String> change) throws IOException {
        Path folder = Files.createDirectories(mount.resolve(version));
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Path copy = Files.writeString(folder.resolve(file.getFileName()), change.apply(Files.readString(file)));
                Files.setLastModifiedTime(copy, FileTime.fromMillis(1_700_000_000_000L));
                Path link = mount.resolve(file.getFileName());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, Path.of("..data").resolve(file.getFileName()));
                }
            }
        }
        Path next = Files.createSymbolicLink(mount.resolve("..data_tmp"), Path.of(version));
        Files.move(next, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
