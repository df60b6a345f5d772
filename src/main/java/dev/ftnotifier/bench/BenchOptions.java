package dev.ftnotifier.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark's command line (see README "Performance").
 *
 * @param sizes            how many jobs the simulator serves, one run per size
 * @param latency          the simulator's answer time per request
 * @param modes            {@code ids} (a jobs file of every id) and/or {@code discovery}
 * @param finishedFraction the share of jobs already finished when the run starts
 * @param jar              the notifier's jar; also the class path of the baseline pollers
 * @param repo             where {@code routes/} and {@code templates/} are
 * @param concurrency      the keep-alive baseline's connections
 * @param sequentialSample the naive poller fetches at most this many ids per poll (times are scaled up)
 * @param notifierInterval the notifier's poll interval; null: 5 s, or 5 ms per job when more
 * @param quiet            a poll of the notifier has ended when no request came for this long
 * @param notifierJvm      extra JVM options for the notifier (a -D setting, -XX:StartFlightRecording=...)
 * @param deadline         how long one poller may take for its two polls before the run fails
 * @param classData        whether the notifier starts on a class-data archive, as the deployment files run it
 * @param pollers          which pollers run: {@code sequential}, {@code keep-alive}, {@code notifier} (all by default;
 *                         the notifier alone to compare two builds or settings quickly, without the ratios)
 * @param repeat           how many times each size and mode runs its pollers, taking turns; the table gives medians
 * @param against          another checkout whose jar and routes run as a second notifier, taking turns with this one
 *                         (null: none)
 */
record BenchOptions(List<Integer> sizes, Duration latency, List<String> modes, double finishedFraction,
                    Path jar, Path repo, int concurrency, int sequentialSample, Duration notifierInterval,
                    Duration quiet, List<String> notifierJvm, Path out, Duration deadline, boolean classData,
                    List<String> pollers, int repeat, Path against) {

    static final List<String> POLLERS = List.of("sequential", "keep-alive", "notifier");

    static final String USAGE = "bench/run [--sizes 1000,10000] [--latency-ms 20] [--modes ids,discovery]"
            + " [--finished-fraction 0.1] [--concurrency 32] [--sequential-sample 1000]"
            + " [--notifier-interval-ms MS] [--quiet-ms 1500] [--notifier-jvm '-Dnotifier.fetch-concurrency=64 ...']"
            + " [--deadline-s 600] [--class-data on|off] [--pollers sequential,keep-alive,notifier] [--repeat 1] [--against OTHER_CHECKOUT] [--out FILE]";

    Duration intervalFor(int size) {
        return notifierInterval != null ? notifierInterval : Duration.ofMillis(Math.max(5_000L, 5L * size));
    }

    static BenchOptions parse(String[] args) {
        List<Integer> sizes = List.of(1000, 10_000);
        long latencyMs = 20;
        List<String> modes = List.of("ids", "discovery");
        double finished = 0.1;
        Path jar = Path.of("target", "fine-tuning-notifier.jar");
        Path repo = Path.of(".");
        int concurrency = 32;
        int sample = 1000;
        Duration interval = null;
        long quietMs = 1500;
        List<String> jvm = new ArrayList<>();
        Path out = null;
        long deadlineS = 600;
        boolean classData = true;
        List<String> pollers = POLLERS;
        int repeat = 1;
        Path against = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null || arg.equals("--help")) {
                throw new IllegalArgumentException("usage: " + USAGE);
            }
            i++;
            switch (arg) {
                case "--sizes" -> sizes = Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).toList();
                case "--latency-ms" -> latencyMs = Long.parseLong(value);
                case "--modes" -> modes = Arrays.stream(value.split(",")).map(String::trim).toList();
                case "--finished-fraction" -> finished = Double.parseDouble(value);
                case "--jar" -> jar = Path.of(value);
                case "--repo" -> repo = Path.of(value);
                case "--concurrency" -> concurrency = Integer.parseInt(value);
                case "--sequential-sample" -> sample = Integer.parseInt(value);
                case "--notifier-interval-ms" -> interval = Duration.ofMillis(Long.parseLong(value));
                case "--quiet-ms" -> quietMs = Long.parseLong(value);
                case "--notifier-jvm" -> jvm.addAll(Arrays.stream(value.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
                case "--out" -> out = Path.of(value);
                case "--deadline-s" -> deadlineS = Long.parseLong(value);
                case "--class-data" -> {
                    if (!value.equals("on") && !value.equals("off")) {
                        throw new IllegalArgumentException("--class-data takes on or off, not " + value);
                    }
                    classData = value.equals("on");
                }
                case "--pollers" -> pollers = Arrays.stream(value.split(",")).map(String::trim).toList();
                case "--repeat" -> repeat = Integer.parseInt(value);
                case "--against" -> against = Path.of(value).toAbsolutePath().normalize();
                default -> throw new IllegalArgumentException("unknown option " + arg + "; usage: " + USAGE);
            }
        }
        for (String mode : modes) {
            if (!mode.equals("ids") && !mode.equals("discovery")) {
                throw new IllegalArgumentException("--modes takes ids and/or discovery, not " + mode);
            }
        }
        for (String poller : pollers) {
            if (!POLLERS.contains(poller)) {
                throw new IllegalArgumentException("--pollers takes " + String.join(", ", POLLERS) + ", not " + poller);
            }
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat takes 1 or more, not " + repeat);
        }
        if (against != null && !pollers.contains("notifier")) {
            throw new IllegalArgumentException("--against runs a second notifier beside the first: --pollers must include notifier");
        }
        return new BenchOptions(sizes, Duration.ofMillis(latencyMs), modes, finished, jar.toAbsolutePath(),
                repo.toAbsolutePath().normalize(), concurrency, sample, interval, Duration.ofMillis(quietMs),
                List.copyOf(jvm), out, Duration.ofSeconds(deadlineS), classData, List.copyOf(pollers), repeat, against);
    }
}
