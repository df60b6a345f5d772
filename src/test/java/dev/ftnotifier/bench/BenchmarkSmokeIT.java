package dev.ftnotifier.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps {@code bench/run} working: its smallest size, once, against the packaged jar, with
 * every poller and both modes, and the same checkout again as the build it is compared with
 * ({@code --against}). It checks the table is whole and the requests are the ones each
 * poll must send; it asserts nothing about time (README "Performance" has the figures). Runs in
 * failsafe's default execution only: the benchmark picks the YAML routes itself.
 */
class BenchmarkSmokeIT {

    private static final int JOBS = 150;
    /** 10% finished: the second poll of a jobs file fetches the other 135. */
    private static final int UNFINISHED = 135;
    private static final List<String> POLLERS = List.of(ResultTable.SEQUENTIAL, ResultTable.KEEP_ALIVE, ResultTable.NOTIFIER,
            ResultTable.AGAINST);

    @Test
    void theSmallestRunPrintsEveryRowWithANumberInEachCell() throws Exception {
        Path jar = Path.of("target", "fine-tuning-notifier.jar");
        assertTrue(Files.exists(jar), "run after mvn package");

        String report = new Benchmark(BenchOptions.parse(new String[] {
                "--sizes", Integer.toString(JOBS), "--latency-ms", "5", "--finished-fraction", "0.1",
                "--jar", jar.toString(), "--repo", ".", "--notifier-interval-ms", "4000", "--quiet-ms", "1000",
                "--deadline-s", "90", "--against", "."})).run();

        List<List<String>> rows = report.lines().filter(line -> line.startsWith("| " + JOBS + " |"))
                .map(BenchmarkSmokeIT::cells).toList();
        int columns = cells(ResultTable.HEADER).size();
        for (String mode : List.of("ids", "discovery")) {
            for (String poller : POLLERS) {
                List<String> row = rows.stream().filter(r -> r.get(1).equals(mode) && r.get(2).equals(poller))
                        .findFirst().orElseThrow(() -> new AssertionError("no row for " + mode + ", " + poller + ":\n" + report));
                assertEquals(columns, row.size(), "cells in " + row);
                for (String cell : row.subList(3, row.size())) {
                    assertTrue(cell.matches("~?\\d+(\\.\\d+)?( / \\d+)?"), "not a number: '" + cell + "' in " + row + "\n" + report);
                }
                // what each poll must ask for: every id, then the unfinished ones; or the 2 list pages twice.
                // On a slow machine the notifier's first poll may outlast its interval; then the table says so.
                // The notifier also reads each succeeded job's result file and checkpoints for its completion
                // message (README "Completion metrics"): two more requests per job that finished.
                boolean notifier = poller.startsWith(ResultTable.NOTIFIER);
                int firstPoll = JOBS + (notifier ? 2 * (JOBS - UNFINISHED) : 0);
                String expected = mode.equals("ids") ? firstPoll + " / " + UNFINISHED : "2 / 2";
                boolean overlapped = report.contains(JOBS + " " + mode + ", " + poller + ": polls overlapped");
                if (notifier && overlapped) {
                    assertEquals(expected.split(" / ")[0], row.get(6).split(" / ")[0], "requests of " + row);
                } else {
                    assertEquals(expected, row.get(6), "requests of " + row);
                }
            }
        }
        assertEquals(8, rows.size(), report);
    }

    private static List<String> cells(String line) {
        String inner = line.substring(line.indexOf('|') + 1, line.lastIndexOf('|'));
        return Arrays.stream(inner.split("\\|")).map(String::trim).toList();
    }
}
