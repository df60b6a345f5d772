package dev.ftnotifier.simulator;

import java.time.Duration;

/**
 * The simulator's command line: {@code [port] [--jobs N] [--finished-fraction F] [--latency-ms L]}.
 *
 * @param jobs -1 for the demo scenario, else how many {@link GeneratedJobs} to serve
 */
record SimulatorOptions(int port, int jobs, double finishedFraction, Duration latency) {

    static SimulatorOptions parse(String[] args) {
        int port = 0;
        int jobs = -1;
        double finished = 0.1;
        long latencyMs = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--jobs" -> jobs = Integer.parseInt(value(args, ++i, arg));
                case "--finished-fraction" -> finished = Double.parseDouble(value(args, ++i, arg));
                case "--latency-ms" -> latencyMs = Long.parseLong(value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + arg
                                + "; use [port] [--jobs N] [--finished-fraction F] [--latency-ms L]");
                    }
                    port = Integer.parseInt(arg);
                }
            }
        }
        if (latencyMs < 0) {
            throw new IllegalArgumentException("--latency-ms must not be negative: " + latencyMs);
        }
        return new SimulatorOptions(port, jobs, finished, Duration.ofMillis(latencyMs));
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
