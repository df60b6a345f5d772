package dev.ftnotifier.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's table when each poller ran more than once (--repeat): medians, ratios of medians, ranges. */
class ResultTableTest {

    @Test
    void aPollerThatRanThreeTimesHasOneRowOfMediansAndALineWithItsRange() {
        List<BenchRow> runs = List.of(
                run(ResultTable.KEEP_ALIVE, 10.0, 4.0, 1.30, 45),
                run(ResultTable.NOTIFIER, 15.5, 3.5, 2.00, 253),
                run(ResultTable.KEEP_ALIVE, 9.0, 4.4, 1.20, 44),
                run(ResultTable.NOTIFIER, 12.0, 2.9, 1.50, 250),
                run(ResultTable.KEEP_ALIVE, 11.0, 4.2, 1.40, 46),
                run(ResultTable.NOTIFIER, 13.0, 3.1, 1.70, 255));

        String table = ResultTable.render(runs);

        List<String> notifier = table.lines().filter(l -> l.startsWith("| 10000 | ids | notifier |")).toList();
        assertEquals(1, notifier.size(), table);
        // the middle run of each figure, and the keep-alive poller's median against the notifier's
        assertEquals("| 10000 | ids | notifier | 13.0 | 13.0 | 3.100 | 10000 / 9000 | 1.700 | 0.400 | 253 | 1.500 "
                + "| n/a | n/a | 0.77 | 1.35 |", notifier.get(0));
        assertTrue(table.contains("- 10000 ids, notifier, 3 runs: first poll + files 12.0-15.5 s; later poll 2.900-3.500 s;"
                + " CPU ms/job 1.500-2.000 first, 0.400-0.400 later; peak RSS 250-255 MB; start to 1st request 1.500-1.500 s"), table);
        assertEquals(2, table.lines().filter(l -> l.startsWith("| 10000 |")).count(), table);
        assertTrue(table.contains("| 1.35 |\n\nFrom run to run (lowest-highest):\n\n- "), "one blank line each side:\n" + table);
    }

    @Test
    void ofAnEvenNumberOfRunsTheMedianIsTheMeanOfTheTwoInTheMiddle() {
        List<BenchRow> runs = List.of(run(ResultTable.NOTIFIER, 12.0, 2.0, 1, 1), run(ResultTable.NOTIFIER, 20.0, 4.0, 1, 1),
                run(ResultTable.NOTIFIER, 14.0, 3.0, 1, 1), run(ResultTable.NOTIFIER, 100.0, 3.4, 1, 1));
        assertEquals(17.0, Repeats.median(runs, BenchRow::first));
        assertEquals(3.2, Repeats.median(runs, BenchRow::later), 1e-9);
    }

    @Test
    void aSingleRunHasNoRangeLine() {
        String table = ResultTable.render(List.of(run(ResultTable.NOTIFIER, 12.0, 2.0, 1, 1)));
        assertTrue(!table.contains("From run to run"), table);
    }

    private static BenchRow run(String poller, double firstWithFiles, double later, double cpuFirst, double rss) {
        return new BenchRow(10000, "ids", poller, firstWithFiles, firstWithFiles, later, 10000, 9000, cpuFirst, 0.4, rss, 1.5,
                false, "");
    }
}
