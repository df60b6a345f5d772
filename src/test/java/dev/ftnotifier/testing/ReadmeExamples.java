package dev.ftnotifier.testing;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The settings of a worked example in README.md: the {@code properties} block after the line
 * {@code <!-- example: <name> -->}. Tests run exactly what the README shows.
 */
public final class ReadmeExamples {

    private ReadmeExamples() {
    }

    public static Map<String, String> properties(String example) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int marker = lines.indexOf("<!-- example: " + example + " -->");
        if (marker < 0 || marker + 1 >= lines.size() || !lines.get(marker + 1).equals("```properties")) {
            throw new AssertionError("README.md has no properties block for the example " + example);
        }
        StringBuilder block = new StringBuilder();
        for (int i = marker + 2; !lines.get(i).equals("```"); i++) {
            block.append(lines.get(i)).append('\n');
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(block.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> result = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted().forEach(k -> result.put(k, properties.getProperty(k)));
        return result;
    }
}
