package dev.ftnotifier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples one process's CPU time ({@code /proc/<pid>/stat}, user + system) and peak resident
 * memory ({@code VmHWM} in {@code /proc/<pid>/status}) every 50 ms, on Linux. The samples carry
 * {@link System#nanoTime()}, the clock the simulator stamps arrivals with, so CPU can be read
 * for exactly the span of a poll.
 */
final class ProcessProbe implements AutoCloseable {

    /** USER_HZ: Linux reports CPU time in 1/100 s on every architecture we run on. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final long PERIOD_MS = 50;

    private record Sample(long nanos, long cpuTicks) {
    }

    private final long pid;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private long peakRssKb;

    ProcessProbe(long pid) {
        this.pid = pid;
        this.thread = new Thread(this::loop, "bench-probe-" + pid);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            sampleNow();
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Takes one sample at once (also called just before the process is stopped). */
    synchronized void sampleNow() {
        long now = System.nanoTime();
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name in (...) may hold spaces: count fields after the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            samples.add(new Sample(now, ticks));
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakRssKb = Math.max(peakRssKb, Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process has ended: the last sample stands
        }
    }

    /** CPU seconds spent between the last sample at or before {@code from} and the first at or after {@code to}. */
    synchronized double cpuSeconds(long from, long to) {
        long start = 0;
        long end = -1;
        for (Sample s : samples) {
            if (s.nanos() <= from) {
                start = s.cpuTicks();
            }
            if (s.nanos() >= to && end < 0) {
                end = s.cpuTicks();
            }
        }
        if (end < 0 && !samples.isEmpty()) {
            end = samples.get(samples.size() - 1).cpuTicks();
        }
        return Math.max(0, end - start) / TICKS_PER_SECOND;
    }

    synchronized double peakRssMb() {
        return peakRssKb / 1024.0;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
