package dev.ftnotifier.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Derives stable, id-looking strings and numbers from a job id.
 * Deterministic on purpose: a test can predict the fine-tuned model name or file id
 * of a job, and two runs of the demo show the same values.
 */
final class Fingerprint {

    private Fingerprint() {
    }

    /** The first {@code length} lower-case hex characters of SHA-256(purpose + ":" + seed). */
    static String hex(String purpose, String seed, int length) {
        String hex = HexFormat.of().formatHex(sha256(purpose + ":" + seed));
        return hex.substring(0, Math.min(length, hex.length()));
    }

    /** A non-negative number below {@code bound}, derived like {@link #hex}. */
    static long number(String purpose, String seed, long bound) {
        byte[] digest = sha256(purpose + ":" + seed);
        long value = 0;
        for (int i = 0; i < 7; i++) { // 56 bits: always positive
            value = (value << 8) | (digest[i] & 0xff);
        }
        return value % bound;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }
}
