package dev.ftnotifier.enrich;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultFilesTest {

    static final String CSV = """
            step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy
            1,1.9,0.41,,
            2,1.2,0.6,1.31,0.58
            3,0.8123456,0.7654321,,
            """;

    static String longCsv(int rows) {
        StringBuilder csv = new StringBuilder("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n");
        for (int step = 1; step <= rows; step++) {
            csv.append(step).append(",0.").append(1000 + step % 9000).append(",0.5,");
            csv.append(step % 10 == 0 ? "0.4" + step + ",0.61" : ",").append('\n');
        }
        return csv.toString();
    }

    @Test
    void readsTheFinalValuesOfARawCsv() throws IOException {
        CompletionMetrics m = new ResultFiles().read(stream(CSV));
        assertEquals(new CompletionMetrics(3L, 0.8123456, 0.7654321, 1.31, 0.58, List.of()), m);
    }

    @Test
    void decodesBase64InOneLineOrInMimeLines() throws IOException {
        byte[] plain = Base64.getEncoder().encode(CSV.getBytes(StandardCharsets.UTF_8));
        byte[] mime = Base64.getMimeEncoder().encode(longCsv(5000).getBytes(StandardCharsets.UTF_8));
        assertEquals(0.8123456, new ResultFiles().read(new ByteArrayInputStream(plain)).trainLoss());
        CompletionMetrics big = new ResultFiles().read(new ByteArrayInputStream(mime));
        assertEquals(5000L, big.steps());
        assertEquals(0.6000, big.trainLoss());
        assertEquals(0.45000, big.validLoss());
    }

    @Test
    void keepsOnlyTheTailOfALongFile() throws IOException {
        String csv = longCsv(20000); // far more than the tail kept
        assertTrue(csv.length() > ResultFiles.TAIL_BYTES * 4);
        CompletionMetrics m = new ResultFiles().read(stream(csv));
        assertEquals(20000L, m.steps());
        assertEquals(0.61, m.validMeanTokenAccuracy());
        // every alignment of the base64 tail decodes
        for (int extra = 1; extra <= 3; extra++) {
            byte[] b64 = Base64.getEncoder().encode(longCsv(20000 + extra).getBytes(StandardCharsets.UTF_8));
            assertEquals(20000L + extra, new ResultFiles().read(new ByteArrayInputStream(b64)).steps());
        }
    }

    @Test
    void refusesMoreThanTheCapWithoutReadingTheRest() {
        CountingStream endless = new CountingStream();
        ResultFileException e = assertThrows(ResultFileException.class, () -> new ResultFiles(1 << 20).read(endless));
        assertTrue(e.getMessage().contains("larger than 1 MiB"), e.getMessage());
        assertTrue(endless.served < (1 << 20) + 16 * 1024, "read " + endless.served);
    }

    @Test
    void malformedFilesSaySo() {
        assertThrows(ResultFileException.class, () -> new ResultFiles().read(stream("not a csv at all, not base64 either!")));
        assertTrue(assertThrows(ResultFileException.class, () -> new ResultFiles().read(stream("step,train_loss\n")))
                .getMessage().contains("no rows"));
        assertTrue(assertThrows(ResultFileException.class, () -> new ResultFiles().read(stream("step,train_loss\n1,NaN\n")))
                .getMessage().contains("train_loss is not a number"));
        assertThrows(ResultFileException.class, () -> new ResultFiles().read(stream("")));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A CSV that never ends. */
    private static final class CountingStream extends InputStream {
        long served;
        private final byte[] header = "step,train_loss\n".getBytes(StandardCharsets.US_ASCII);

        @Override
        public int read() {
            byte b = served < header.length ? header[(int) served] : (byte) (served % 7 == 0 ? '\n' : '1');
            served++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                b[off + i] = (byte) read();
            }
            return len;
        }
    }
}
