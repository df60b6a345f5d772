package dev.ftnotifier.bench;

import dev.ftnotifier.simulator.ArrivalLog;
import dev.ftnotifier.simulator.FineTuningApiSimulator;
import dev.ftnotifier.simulator.GeneratedJobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The benchmark behind README "Performance" ({@code bench/run}): one simulator per size, with a
 * latency and N generated jobs; on it, one after the other, the naive sequential poller, the
 * keep-alive poller and the notifier's jar, for a jobs file of every id and for discovery. Each
 * runs two polls (the second finds nothing new), timed by the simulator's own arrival clock; CPU
 * and peak memory come from {@code /proc}. It prints a table and asserts nothing.
 */
public final class Benchmark {

    /** The heap deploy/systemd gives the notifier (-Xmx256m), as deploy/kubernetes does (half of 512Mi). */
    static final String DEPLOYED_HEAP = "-Xmx256m";

    private final BenchOptions options;
    /** The notifier builds that run: this checkout's, and the one of --against. */
    private final List<Build> builds = new ArrayList<>();

    /**
     * A notifier build: its jar, and the checkout whose routes, templates and jvm.options it runs with.
     *
     * @param classData the option that starts it on its own class-data archive; empty with --class-data off
     */
    private record Build(String name, Path jar, Path repo, List<String> classData) {
    }

    Benchmark(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String report = new Benchmark(options).run();
        System.out.println();
        System.out.println(report);
        if (options.out() != null) {
            Files.writeString(options.out(), report);
        }
    }

    /** Runs every size and mode; returns the report (a few lines on the run, then the table). */
    String run() throws IOException, InterruptedException {
        if (!Files.isRegularFile(options.jar())) {
            throw new IllegalStateException(options.jar() + " is missing: run mvn -DskipTests package first");
        }
        Path againstJar = options.against() == null ? null : options.against().resolve(Path.of("target", "fine-tuning-notifier.jar"));
        if (againstJar != null && !Files.isRegularFile(againstJar)) {
            throw new IllegalStateException(againstJar + " is missing: run mvn -DskipTests package in " + options.against());
        }
        String loadBefore = loadAverage();
        List<Path> archiveDirs = new ArrayList<>();
        try {
            if (options.pollers().contains("notifier")) {
                addBuild(ResultTable.NOTIFIER, options.jar(), options.repo(), archiveDirs);
                if (againstJar != null) {
                    addBuild(ResultTable.AGAINST, againstJar, options.against(), archiveDirs);
                }
            }
            return runAll(loadBefore);
        } finally {
            for (Path dir : archiveDirs) {
                deleteTree(dir);
            }
        }
    }

    /** A build to run, on a class-data archive of its own jar unless --class-data off. */
    private void addBuild(String name, Path jar, Path repo, List<Path> archiveDirs) throws IOException, InterruptedException {
        List<String> classData = new ArrayList<>();
        if (options.classData()) {
            Path dir = Files.createTempDirectory("ftn-bench-cds-");
            archiveDirs.add(dir);
            System.err.println("bench: making the class-data archive of " + jar + " (a " + ClassDataArchive.DEMO_SECONDS + " s demo run) ...");
            classData.add(ClassDataArchive.make(notifierJvm(repo), jar, repo, dir));
        }
        builds.add(new Build(name, jar, repo, List.copyOf(classData)));
    }

    private String runAll(String loadBefore) throws IOException, InterruptedException {
        List<BenchRow> rows = new ArrayList<>();
        for (int size : options.sizes()) {
            try (FineTuningApiSimulator simulator = FineTuningApiSimulator.start()) {
                simulator.keepRequestDetails(false);
                simulator.latency(options.latency());
                List<String> ids = GeneratedJobs.install(simulator, size, options.finishedFraction());
                int unfinished = size - GeneratedJobs.finishedCount(size, options.finishedFraction());
                Path idsFile = Files.createTempFile("ftn-bench-ids-", ".txt");
                try {
                    Files.write(idsFile, ids);
                    for (String mode : options.modes()) {
                        Run run = new Run(simulator, size, unfinished, mode, idsFile);
                        for (int turn = 0; turn < options.repeat(); turn++) {
                            if (options.pollers().contains("sequential")) {
                                rows.add(run.baseline(ResultTable.SEQUENTIAL, 1));
                            }
                            if (options.pollers().contains("keep-alive")) {
                                rows.add(run.baseline(ResultTable.KEEP_ALIVE, options.concurrency()));
                            }
                            // two builds take turns at going first: neither always runs on a simulator the other warmed
                            for (int b = 0; b < builds.size(); b++) {
                                rows.add(run.notifier(builds.get((b + turn) % builds.size())));
                            }
                        }
                    }
                } finally {
                    Files.deleteIfExists(idsFile);
                }
            }
        }
        return "Run " + Instant.now() + ": " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + loadBefore + " before, " + loadAverage() + " after; simulated latency "
                + options.latency().toMillis() + " ms; " + Math.round(options.finishedFraction() * 100)
                + "% of the jobs finished before the first poll; the notifier "
                + (options.classData() ? "on a class-data archive, as deployed" : "without a class-data archive (--class-data off)")
                + (options.against() == null ? "" : "; " + ResultTable.AGAINST + ": the jar and routes of " + options.against())
                + (options.repeat() == 1 ? "" : "; each poller " + options.repeat() + " times, taking turns: medians")
                + ".\n\n" + ResultTable.render(rows);
    }

    /** One size and mode on one simulator. */
    private final class Run {
        private final FineTuningApiSimulator simulator;
        private final int size;
        private final int unfinished;
        private final String mode;
        private final Path idsFile;

        Run(FineTuningApiSimulator simulator, int size, int unfinished, String mode, Path idsFile) {
            this.simulator = simulator;
            this.size = size;
            this.unfinished = unfinished;
            this.mode = mode;
            this.idsFile = idsFile;
        }

        private boolean ids() {
            return mode.equals("ids");
        }

        /** What the first poll notifies: every job for a jobs file; for discovery, the unfinished ones. */
        private int expectedFiles() {
            return ids() ? size : unfinished;
        }

        BenchRow baseline(String name, int concurrency) throws IOException, InterruptedException {
            Path dir = Files.createTempDirectory("ftn-bench-");
            try {
                List<String> command = new ArrayList<>(List.of(java(), "-cp", options.jar().toString(),
                        BaselinePoller.class.getName(), "--base-url", simulator.baseUrl(),
                        "--out", dir.resolve("notifications").toString(), "--concurrency", Integer.toString(concurrency)));
                int sample = size;
                if (ids()) {
                    command.addAll(List.of("--ids", idsFile.toString()));
                    if (concurrency == 1 && options.sequentialSample() < size) {
                        sample = options.sequentialSample();
                        command.addAll(List.of("--sample", Integer.toString(sample)));
                    }
                } else {
                    command.add("--discover");
                }
                Measured m = measure(name, new ProcessBuilder(command), dir, true);
                boolean scaled = sample < size;
                double firstScale = scaled ? (double) size / m.first().requests() : 1;
                double laterScale = scaled && m.later().requests() > 0 ? (double) unfinished / m.later().requests() : 1;
                int firstRequests = scaled ? size : m.first().requests();
                int laterRequests = scaled ? unfinished : m.later().requests();
                return row(name, m, firstScale, laterScale, firstRequests, laterRequests, scaled,
                        scaled ? "timed on " + sample + " of " + size + " ids, scaled up" : "");
            } finally {
                deleteTree(dir);
            }
        }

        BenchRow notifier(Build build) throws IOException, InterruptedException {
            Path dir = Files.createTempDirectory("ftn-bench-");
            try {
                // as it is deployed: the repository's jvm.options, the deployment files' heap, --notifier-jvm,
                // and the class-data archive the image and the systemd install make
                List<String> command = new ArrayList<>(notifierJvm(build.repo()));
                command.addAll(build.classData());
                command.addAll(List.of("-jar", build.jar().toString()));
                ProcessBuilder builder = new ProcessBuilder(command);
                Map<String, String> env = builder.environment();
                withoutOwnSettings(env);
                env.put("OPENAI_API_KEY", "test-key-not-a-secret");
                env.put("OPENAI_BASE_URL", simulator.baseUrl());
                if (ids()) {
                    env.put("NOTIFIER_JOBS_FILE", idsFile.toString());
                } else {
                    env.put("NOTIFIER_DISCOVER", "true");
                }
                env.put("NOTIFIER_POLL_INTERVAL", Long.toString(options.intervalFor(size).toMillis()));
                env.put("NOTIFIER_STATE_DIR", dir.resolve("data").toString());
                env.put("NOTIFIER_FILE_DIR", dir.resolve("notifications").toString());
                env.put("NOTIFIER_ROUTES", "yaml");
                env.put("NOTIFIER_ROUTES_DIR", build.repo().resolve("routes").toString());
                env.put("NOTIFIER_ROUTES_RELOAD", "false");
                env.put("NOTIFIER_TEMPLATES_DIR", build.repo().resolve("templates").toString());
                Measured m = measure(build.name(), builder, dir, false);
                String note = "";
                int expectedFirst = ids() ? size : (size + 99) / 100;
                // a poll that overran the interval: the next one skipped the jobs still in flight
                if (m.first().requests() < expectedFirst || (ids() && m.later().requests() < unfinished)) {
                    note = "polls overlapped (" + m.first().requests() + " / " + m.later().requests()
                            + " requests, not " + expectedFirst + (ids() ? " / " + unfinished : "")
                            + "): raise --notifier-interval-ms";
                }
                return row(build.name(), m, 1, 1, m.first().requests(), m.later().requests(), false, note);
            } finally {
                deleteTree(dir);
            }
        }

        /** Starts the process in {@code dir}, waits for two polls and its files, stops it. */
        private Measured measure(String name, ProcessBuilder builder, Path dir, boolean baseline)
                throws IOException, InterruptedException {
            Path log = dir.resolve(name.replace(' ', '-') + ".log");
            Path notes = dir.resolve("notifications");
            builder.directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            System.err.printf("bench: %d jobs, %s, %s ...%n", size, mode, name);
            int mark = simulator.arrivals().size();
            long started = System.nanoTime();
            Process process = builder.start();
            long filesDone = -1;
            List<PollSegments.Poll> polls;
            try (ProcessProbe probe = new ProcessProbe(process.pid())) {
                long deadline = started + options.deadline().toNanos();
                while (true) {
                    long now = System.nanoTime();
                    if (filesDone < 0 && countJson(notes) >= expectedFiles()) {
                        filesDone = now;
                    }
                    polls = PollSegments.of(simulator.arrivals().since(mark));
                    if (finished(baseline, polls, filesDone, log, now)) {
                        break;
                    }
                    if (!process.isAlive() || now > deadline) {
                        throw new IllegalStateException(name + " (" + size + " jobs, " + mode + ") "
                                + (process.isAlive() ? "did not finish two polls in " + options.deadline() : "stopped")
                                + "; saw " + polls + "; its log ends:\n" + tail(log));
                    }
                    Thread.sleep(50);
                }
                probe.sampleNow();
                stop(process);
                PollSegments.Poll first = polls.get(0);
                PollSegments.Poll later = polls.get(1);
                // a baseline writes each file before its next request; the notifier's files may come after
                long firstEnd = baseline ? first.last() : Math.max(first.last(), filesDone);
                return new Measured(first, later, (firstEnd - first.first()) / 1e9,
                        probe.cpuSeconds(first.first(), firstEnd), probe.cpuSeconds(later.first(), later.last()),
                        probe.peakRssMb(), (first.first() - started) / 1e9);
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
            }
        }

        private boolean finished(boolean baseline, List<PollSegments.Poll> polls, long filesDone, Path log, long now) {
            if (polls.size() < 2) {
                return false;
            }
            if (baseline) {
                return tail(log).contains("done");
            }
            if (filesDone < 0) {
                return false;
            }
            if (polls.size() > 2) {
                return true; // a third poll began
            }
            PollSegments.Poll later = polls.get(1);
            boolean complete = !ids() || later.requests() >= unfinished;
            return complete && now - later.last() >= options.quiet().toNanos();
        }

        /** The poll times and process figures of one poller, before scaling. */
        private record Measured(PollSegments.Poll first, PollSegments.Poll later, double firstWithFiles,
                                double cpuFirst, double cpuLater, double rssMb, double startToFirst) {
        }

        private BenchRow row(String name, Measured m, double firstScale, double laterScale,
                             int firstRequests, int laterRequests, boolean scaled, String note) {
            if (!note.isEmpty()) {
                System.err.println("bench: " + name + ", " + size + " jobs, " + mode + ": " + note);
            }
            return new BenchRow(size, mode, name, m.first().seconds() * firstScale, m.firstWithFiles() * firstScale,
                    m.later().seconds() * laterScale, firstRequests, laterRequests,
                    1000 * m.cpuFirst() / jobsIn(m.first()), 1000 * m.cpuLater() / jobsIn(m.later()),
                    m.rssMb(), m.startToFirst(), scaled, note);
        }

        /** The jobs a poll looked at: one a request, or up to 100 a list page. */
        private int jobsIn(PollSegments.Poll poll) {
            return Math.max(1, ids() ? poll.requests() : Math.min(size, 100 * poll.requests()));
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: the notifier shuts down as an operator's Ctrl-C would
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long countJson(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
        } catch (IOException | UncheckedIOException racing) {
            return 0;
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.exists(log) ? Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "";
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Drops the caller's OPENAI_*, NOTIFIER_* and CAMEL_* variables: the notifier runs on the benchmark's settings only. */
    static void withoutOwnSettings(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("OPENAI_") || k.startsWith("NOTIFIER_") || k.startsWith("CAMEL_"));
    }

    /** java, the checkout's jvm.options, the deployment files' heap, then --notifier-jvm (last, so it can change either). */
    private List<String> notifierJvm(Path repo) {
        List<String> command = new ArrayList<>(List.of(java(), "@" + repo.resolve("jvm.options").toAbsolutePath(),
                DEPLOYED_HEAP));
        command.addAll(options.notifierJvm());
        return command;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
