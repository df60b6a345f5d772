package dev.ftnotifier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The class-data archive the benchmark's notifier starts on, made the way deploy/Dockerfile makes
 * the image's: one run of the demo with {@code -XX:ArchiveClassesAtExit}, stopped by itself after
 * {@value #DEMO_SECONDS} s, with the same JVM options and the same {@code -jar} path as the runs
 * that use it.
 */
final class ClassDataArchive {

    static final int DEMO_SECONDS = 10;

    private ClassDataArchive() {
    }

    /** Makes the archive in {@code dir} and returns the option that uses it. */
    static String make(List<String> jvm, Path jar, Path repo, Path dir) throws IOException, InterruptedException {
        Path archive = dir.resolve("notifier.jsa");
        List<String> command = new ArrayList<>(jvm);
        command.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dcamel.main.duration-max-seconds=" + DEMO_SECONDS,
                "-jar", jar.toString(), "--demo"));
        // the demo runs where the repository's routes, templates and settings are, as in a checkout
        // (linked, so its ./notifications go to dir and not into the repository)
        for (String name : List.of("routes", "templates", "application.properties")) {
            Files.createSymbolicLink(dir.resolve(name), repo.resolve(name));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("class-data-demo.log").toFile());
        Benchmark.withoutOwnSettings(builder.environment());
        Process demo = builder.start();
        if (!demo.waitFor(DEMO_SECONDS + 60L, TimeUnit.SECONDS)) {
            demo.destroyForcibly();
            throw new IllegalStateException("the demo run for the class-data archive did not stop; its log: "
                    + dir.resolve("class-data-demo.log"));
        }
        if (demo.exitValue() != 0 || !Files.isRegularFile(archive) || Files.size(archive) == 0) {
            throw new IllegalStateException("no class-data archive (exit " + demo.exitValue() + "); the demo's log: "
                    + dir.resolve("class-data-demo.log"));
        }
        return "-XX:SharedArchiveFile=" + archive;
    }
}
