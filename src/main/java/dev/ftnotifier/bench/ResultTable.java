package dev.ftnotifier.bench;

import java.util.List;
import java.util.Locale;

/**
 * The benchmark's Markdown table: one row per poller, with each one's speed against the naive
 * sequential poller and the keep-alive poller of the same size and mode, measured in the same run.
 */
final class ResultTable {

    static final String HEADER = "| jobs | mode | poller | first poll s | first poll + files s | later poll s"
            + " | requests first / later | CPU ms/job first | CPU ms/job later | peak RSS MB"
            + " | start to 1st request s | x seq first | x seq later | x 32-conn first | x 32-conn later |";

    static final String SEQUENTIAL = "naive sequential";
    static final String KEEP_ALIVE = "keep-alive";
    static final String NOTIFIER = "notifier";
    /** The notifier of another checkout (--against), taking turns with this one's. */
    static final String AGAINST = "notifier --against";

    private ResultTable() {
    }

    /** The table of every run's rows: one line per size, mode and poller, with medians when one ran several times. */
    static String render(List<BenchRow> runs) {
        List<BenchRow> rows = Repeats.medians(runs);
        StringBuilder table = new StringBuilder(HEADER).append('\n');
        table.append("|").append(" --- |".repeat(HEADER.split("\\|").length - 1)).append('\n');
        for (BenchRow row : rows) {
            BenchRow seq = find(rows, row, SEQUENTIAL);
            BenchRow conn = find(rows, row, KEEP_ALIVE);
            String mark = row.scaled() ? "~" : "";
            table.append("| ").append(String.join(" | ",
                    Integer.toString(row.jobs()),
                    row.mode(),
                    row.poller(),
                    mark + num(row.first()),
                    mark + num(row.firstWithFiles()),
                    mark + num(row.later()),
                    row.firstRequests() + " / " + row.laterRequests(),
                    num(row.cpuMsPerJobFirst()),
                    num(row.cpuMsPerJobLater()),
                    String.format(Locale.ROOT, "%.0f", row.peakRssMb()),
                    num(row.startToFirst()),
                    ratio(seq == null ? Double.NaN : seq.firstWithFiles(), row.firstWithFiles()),
                    ratio(seq == null ? Double.NaN : seq.later(), row.later()),
                    ratio(conn == null ? Double.NaN : conn.firstWithFiles(), row.firstWithFiles()),
                    ratio(conn == null ? Double.NaN : conn.later(), row.later())))
                    .append(" |\n");
        }
        List<BenchRow> noted = rows.stream().filter(r -> !r.note().isEmpty()).toList();
        noted.forEach(r -> table.append('\n').append("- ")
                .append(r.jobs()).append(' ').append(r.mode()).append(", ").append(r.poller()).append(": ").append(r.note()));
        List<String> ranges = Repeats.ranges(runs);
        if (!ranges.isEmpty()) {
            // one blank line before it, after the table or after its notes (which end without a line break)
            table.append(noted.isEmpty() ? "\n" : "\n\n").append("From run to run (lowest-highest):\n");
            ranges.forEach(line -> table.append("\n- ").append(line));
            table.append('\n');
        }
        return table.toString();
    }

    private static BenchRow find(List<BenchRow> rows, BenchRow like, String poller) {
        return rows.stream().filter(r -> r.jobs() == like.jobs() && r.mode().equals(like.mode())
                && r.poller().equals(poller)).findFirst().orElse(null);
    }

    static String num(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.3f", value);
    }

    /** How many times faster this poller was than the baseline (baseline time / this time). */
    private static String ratio(double baseline, double mine) {
        // a poll of one request has no first-to-last span: nothing to compare
        if (Double.isNaN(baseline) || Double.isNaN(mine) || baseline < 0.0005 || mine < 0.0005) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f", baseline / mine);
    }
}
