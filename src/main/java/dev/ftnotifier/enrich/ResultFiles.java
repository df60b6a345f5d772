package dev.ftnotifier.enrich;

import org.apache.hc.core5.http.io.EofSensorInputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Reads the final metrics from a job's result file ({@code GET /files/{id}/content}): a CSV with a
 * header row ({@code step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy}), served
 * raw or base64-encoded (sniffed: a body that starts with {@code step,} is CSV, anything else is
 * decoded). The file is streamed once and only its first bytes (the header) and its last 64 KiB
 * (the last rows) are kept; a file of more than {@link #MAX_BYTES} is not read further and has no
 * metrics. A Range request would save the transfer, but an API need not honour one.
 */
public class ResultFiles {

    /** No result file is read beyond 10 MiB. */
    public static final long MAX_BYTES = 10L << 20;
    static final int HEAD_BYTES = 4096;
    static final int TAIL_BYTES = 64 * 1024;

    private final long maxBytes;

    public ResultFiles() {
        this(MAX_BYTES);
    }

    ResultFiles(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The final metrics, without checkpoints; closes the stream (aborting the download when it stopped early). */
    public CompletionMetrics read(InputStream in) throws IOException {
        if (in == null) {
            throw new ResultFileException("the result file answer has no body");
        }
        boolean complete = false;
        try {
            CompletionMetrics metrics = parse(in);
            complete = true;
            return metrics;
        } finally {
            if (!complete && in instanceof EofSensorInputStream http) {
                http.abort(); // closing would read the rest of a huge body to reuse the connection
            } else {
                in.close();
            }
        }
    }

    CompletionMetrics parse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        Ring tail = new Ring(TAIL_BYTES);
        Boolean base64 = null;
        long total = 0;
        long kept = 0; // bytes offered to the tail (for base64: non-whitespace characters)
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > maxBytes) {
                throw new ResultFileException("the result file is larger than " + (maxBytes >> 20) + " MiB; not read further");
            }
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (head.size() < HEAD_BYTES) {
                    head.write(b);
                }
                if (base64 == null && head.size() >= 8) {
                    base64 = !looksLikeCsv(head.toByteArray());
                }
                if (Boolean.TRUE.equals(base64) && isWhitespace(b)) {
                    continue;
                }
                tail.add(b);
                kept++;
            }
        }
        if (base64 == null) {
            base64 = !looksLikeCsv(head.toByteArray());
        }
        String headerLine;
        String tailText;
        boolean tailFromStart = kept <= TAIL_BYTES;
        if (base64) {
            String headChars = stripWhitespace(head.toString(StandardCharsets.US_ASCII));
            headerLine = firstLine(decode(headChars.substring(0, headChars.length() - headChars.length() % 4)));
            byte[] chars = tail.toArray();
            long start = kept - chars.length;
            int skip = (int) ((4 - start % 4) % 4);
            int usable = (chars.length - skip) - (chars.length - skip) % 4;
            tailText = decode(new String(chars, skip, Math.max(usable, 0), StandardCharsets.US_ASCII));
        } else {
            headerLine = firstLine(head.toString(StandardCharsets.UTF_8));
            tailText = new String(tail.toArray(), StandardCharsets.UTF_8);
        }
        List<String> lines = new ArrayList<>(List.of(tailText.split("\r?\n", -1)));
        if (tailFromStart) {
            lines.remove(0); // the header itself
        } else {
            lines.remove(0); // the part of a row before the tail began
        }
        return lastValues(headerLine, lines);
    }

    private static CompletionMetrics lastValues(String headerLine, List<String> rows) {
        String[] header = headerLine.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT).split(",", -1);
        int step = indexOf(header, "step");
        if (step < 0) {
            throw new ResultFileException("the result file has no 'step' column");
        }
        String[] names = {"train_loss", "train_accuracy", "valid_loss", "valid_mean_token_accuracy"};
        Double[] values = new Double[names.length];
        Long steps = null;
        for (int r = rows.size() - 1; r >= 0; r--) {
            String row = rows.get(r).trim();
            if (row.isEmpty()) {
                continue;
            }
            String[] cells = row.split(",", -1);
            if (steps == null) {
                steps = parseStep(cell(cells, step));
            }
            for (int c = 0; c < names.length; c++) {
                int at = indexOf(header, names[c]);
                if (values[c] == null && at >= 0 && !cell(cells, at).isEmpty()) {
                    values[c] = parseNumber(cell(cells, at), names[c]);
                }
            }
        }
        if (steps == null) {
            throw new ResultFileException("the result file has no rows");
        }
        return new CompletionMetrics(steps, values[0], values[1], values[2], values[3], List.of());
    }

    private static Long parseStep(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(text.trim());
                if (d >= 0 && d == Math.rint(d)) {
                    return (long) d;
                }
            } catch (NumberFormatException ignored) {
                // said below
            }
            throw new ResultFileException("the result file's last step is not a number");
        }
    }

    private static Double parseNumber(String text, String column) {
        try {
            double d = Double.parseDouble(text.trim());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // said below
        }
        throw new ResultFileException("the result file's " + column + " is not a number");
    }

    private static String cell(String[] cells, int index) {
        return index < cells.length ? cells[index].trim() : "";
    }

    private static int indexOf(String[] header, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].trim().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean looksLikeCsv(byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8).replace("\uFEFF", "").stripLeading();
        return text.toLowerCase(Locale.ROOT).startsWith("step,") || text.toLowerCase(Locale.ROOT).startsWith("step\r")
                || text.toLowerCase(Locale.ROOT).startsWith("step\n");
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ResultFileException("the result file is neither CSV nor base64-encoded CSV");
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).replace("\r", "");
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static String stripWhitespace(String s) {
        return s.replaceAll("\\s", "");
    }

    /** The last bytes seen. */
    private static final class Ring {
        private final byte[] bytes;
        private int next;
        private boolean full;

        Ring(int size) {
            bytes = new byte[size];
        }

        void add(byte b) {
            bytes[next++] = b;
            if (next == bytes.length) {
                next = 0;
                full = true;
            }
        }

        byte[] toArray() {
            if (!full) {
                return java.util.Arrays.copyOf(bytes, next);
            }
            byte[] out = new byte[bytes.length];
            System.arraycopy(bytes, next, out, 0, bytes.length - next);
            System.arraycopy(bytes, 0, out, bytes.length - next, next);
            return out;
        }
    }
}
