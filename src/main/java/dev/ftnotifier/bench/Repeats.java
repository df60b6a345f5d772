package dev.ftnotifier.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Several runs of one poller at one size and mode ({@code --repeat}), taken together: the median
 * of each figure for the table, and the range of the figures that vary from run to run, so a
 * difference between two builds can be told from the noise of the machine.
 */
final class Repeats {

    private Repeats() {
    }

    /** One row per size, mode and poller, in the order they first ran: each figure the median of its runs. */
    static List<BenchRow> medians(List<BenchRow> rows) {
        return groups(rows).values().stream().map(Repeats::median).toList();
    }

    /** For each poller that ran more than once: the lowest and highest of the figures that vary. */
    static List<String> ranges(List<BenchRow> rows) {
        List<String> lines = new ArrayList<>();
        for (List<BenchRow> runs : groups(rows).values()) {
            if (runs.size() < 2) {
                continue;
            }
            BenchRow any = runs.get(0);
            lines.add(any.jobs() + " " + any.mode() + ", " + any.poller() + ", " + runs.size() + " runs: first poll + files "
                    + range(runs, BenchRow::firstWithFiles) + " s; later poll " + range(runs, BenchRow::later)
                    + " s; CPU ms/job " + range(runs, BenchRow::cpuMsPerJobFirst) + " first, "
                    + range(runs, BenchRow::cpuMsPerJobLater) + " later; peak RSS "
                    + String.format(Locale.ROOT, "%.0f-%.0f", min(runs, BenchRow::peakRssMb), max(runs, BenchRow::peakRssMb))
                    + " MB; start to 1st request " + range(runs, BenchRow::startToFirst) + " s");
        }
        return lines;
    }

    private static Map<String, List<BenchRow>> groups(List<BenchRow> rows) {
        Map<String, List<BenchRow>> groups = new LinkedHashMap<>();
        for (BenchRow row : rows) {
            groups.computeIfAbsent(row.jobs() + "|" + row.mode() + "|" + row.poller(), k -> new ArrayList<>()).add(row);
        }
        return groups;
    }

    private static BenchRow median(List<BenchRow> runs) {
        BenchRow any = runs.get(0);
        String notes = String.join("; ", runs.stream().map(BenchRow::note).filter(n -> !n.isEmpty()).distinct().toList());
        return new BenchRow(any.jobs(), any.mode(), any.poller(), median(runs, BenchRow::first),
                median(runs, BenchRow::firstWithFiles), median(runs, BenchRow::later),
                (int) Math.round(median(runs, BenchRow::firstRequests)), (int) Math.round(median(runs, BenchRow::laterRequests)),
                median(runs, BenchRow::cpuMsPerJobFirst), median(runs, BenchRow::cpuMsPerJobLater),
                median(runs, BenchRow::peakRssMb), median(runs, BenchRow::startToFirst),
                runs.stream().anyMatch(BenchRow::scaled), notes);
    }

    /** The middle value; of an even number of runs, the mean of the two in the middle. */
    static double median(List<BenchRow> runs, ToDoubleFunction<BenchRow> figure) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static String range(List<BenchRow> runs, ToDoubleFunction<BenchRow> figure) {
        return ResultTable.num(min(runs, figure)) + "-" + ResultTable.num(max(runs, figure));
    }

    private static double min(List<BenchRow> runs, ToDoubleFunction<BenchRow> figure) {
        return runs.stream().mapToDouble(figure).min().orElse(Double.NaN);
    }

    private static double max(List<BenchRow> runs, ToDoubleFunction<BenchRow> figure) {
        return runs.stream().mapToDouble(figure).max().orElse(Double.NaN);
    }
}
