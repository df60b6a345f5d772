package dev.ftnotifier.simulator;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * One request the simulator received, for tests to check what the notifier sent.
 *
 * @param path    the raw (still percent-encoded) path, exactly as sent
 * @param query   the raw query string, or null when there was none
 * @param headers lower-case header names; repeated headers are joined with ", "
 */
public record RecordedRequest(String method, String path, String query, Map<String, String> headers, Instant at) {

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** The header value, by name in any case, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
