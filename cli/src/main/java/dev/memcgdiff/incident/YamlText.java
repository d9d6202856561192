package dev.memcgdiff.incident;

import java.util.regex.Pattern;

/** The few YAML forms an imported scenario is written in: sizes, quoted strings, plain words. */
final class YamlText {
    private static final long K = 1024;
    private static final long M = K * K;
    private static final long G = M * K;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./-][A-Za-z0-9_./:@-]*");

    private YamlText() {}

    /** The largest size a scenario's step takes: 4T (a limit above it is no limit on a 1T host). */
    static final long MAX_SIZE = 4 * K * G;

    /**
     * A size as the scenario format writes it: whole G or M when exact, else kB rounded up; a
     * damaged report's absurd sizes are held to 0..4T, the range the format accepts.
     */
    static String size(long value) {
        long bytes = Math.max(0, Math.min(MAX_SIZE, value));
        if (bytes > 0 && bytes % G == 0) {
            return bytes / G + "G";
        }
        if (bytes > 0 && bytes % M == 0) {
            return bytes / M + "M";
        }
        return (bytes + K - 1) / K + "K";
    }

    /** A double-quoted YAML string. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A value left plain when YAML reads it back as the same text, else quoted. */
    static String plainOrQuoted(String s) {
        return PLAIN.matcher(s).matches() && !s.matches("[0-9.eE+-]+|true|false|yes|no|on|off|null|~") ? s : quote(s);
    }

    /** Human units for the description: 24.8G. */
    static String human(long bytes) {
        String[] units = {"", "K", "M", "G", "T"};
        double v = bytes;
        int u = 0;
        while (u < units.length - 1 && Math.abs(v) >= 1024) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + "B" : String.format(java.util.Locale.ROOT, "%.1f%s", v, units[u]);
    }
}
