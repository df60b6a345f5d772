package dev.ftnotifier.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Job ids go into a request path and a file name, so only plain ids are accepted:
 * letters, digits, {@code _ - . :}, never {@code ..}, at most 128 characters.
 */
public final class JobIds {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_:-][A-Za-z0-9_.:-]{0,127}");

    private JobIds() {
    }

    public static boolean isSafe(String id) {
        return id != null && SAFE.matcher(id).matches() && !id.contains("..");
    }

    /** Splits a comma-separated list, dropping blanks and repeats; refuses the first unsafe id, naming it. */
    public static List<String> parseList(String commaSeparated, String source) {
        List<String> ids = new ArrayList<>();
        if (commaSeparated == null) {
            return ids;
        }
        for (String part : commaSeparated.split(",")) {
            add(ids, part.trim(), source);
        }
        return List.copyOf(new LinkedHashSet<>(ids));
    }

    /** Parses a jobs file: one id per line, {@code #} starts a comment; refuses the first unsafe id. */
    public static List<String> parseLines(List<String> lines, String source) {
        return parseLines(lines, source, unsafe -> {
            throw unsafe;
        });
    }

    /** Parses a jobs file, handing each unsafe id's refusal to {@code onUnsafe} and going on with the rest. */
    public static List<String> parseLines(List<String> lines, String source, Consumer<ConfigurationException> onUnsafe) {
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            int hash = line.indexOf('#');
            try {
                add(ids, (hash >= 0 ? line.substring(0, hash) : line).trim(), source);
            } catch (ConfigurationException unsafe) {
                onUnsafe.accept(unsafe);
            }
        }
        return List.copyOf(new LinkedHashSet<>(ids));
    }

    private static void add(List<String> ids, String id, String source) {
        if (id.isEmpty()) {
            return;
        }
        if (!isSafe(id)) {
            throw new ConfigurationException("refusing job id '" + printable(id) + "' from " + source
                    + ": a job id may only hold letters, digits, '_', '-', '.', ':' (no '/', '?', '#', '%', '..' or spaces)");
        }
        ids.add(id);
    }

    /** The id as it may be shown in a log line: control characters made visible, length capped. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(160).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
