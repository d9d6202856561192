package dev.memcgdiff.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The report's environment.properties, written by hand rather than with Properties.store, which
 * adds a date line and would make two reports of the same run differ.
 */
public final class AllureEnvironment {
    private AllureEnvironment() {}

    /** Keys and values in the order given, escaped as java.util.Properties reads them. */
    public static String text(Map<String, String> entries) {
        StringBuilder b = new StringBuilder();
        entries.forEach((k, v) ->
                b.append(escape(k, true)).append('=').append(escape(v, false)).append('\n'));
        return b.toString();
    }

    public static void write(Path resultsDir, Map<String, String> entries) throws IOException {
        Files.createDirectories(resultsDir);
        Files.writeString(resultsDir.resolve("environment.properties"), text(entries), StandardCharsets.UTF_8);
    }

    static String escape(String s, boolean key) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '=', ':', '#', '!' -> b.append('\\').append(c);
                case ' ' -> b.append(key || i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
