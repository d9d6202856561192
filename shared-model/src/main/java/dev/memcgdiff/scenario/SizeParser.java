package dev.memcgdiff.scenario;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Sizes as scenario files write them: {@code 1234}, {@code 512M}, {@code 4G}. Suffixes are binary
 * and uppercase only, as in the format's examples, so that {@code 4g}, {@code 4GB} or
 * {@code 1.5G} are refused with a hint rather than guessed at.
 */
final class SizeParser {
    /** Largest size accepted anywhere: far above any machine, far below overflow. */
    static final long LIMIT = 1L << 62;

    static final String SYNTAX = "a whole number of bytes, or one with a binary suffix K, M, G or T (1234, 512M, 4G)";

    private static final Pattern SIZE = Pattern.compile("([0-9]+)([KMGT]?)");
    private static final Pattern LOWERCASE = Pattern.compile("[0-9]+[kmgt]");
    private static final Pattern FRACTION = Pattern.compile("[0-9]*\\.[0-9]+[KMGTkmgt]?");
    private static final Pattern WITH_UNIT = Pattern.compile("[0-9]+\\s*[KMGTkmgt]i?[Bb]|[0-9]+\\s+[KMGTkmgt]");

    /** Either bytes, or the problem with the text. */
    record Parsed(long bytes, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    private SizeParser() {}

    static Parsed parse(String text) {
        Matcher m = SIZE.matcher(text);
        if (m.matches()) {
            int shift = switch (m.group(2)) {
                case "K" -> 10;
                case "M" -> 20;
                case "G" -> 30;
                case "T" -> 40;
                default -> 0;
            };
            String digits = m.group(1);
            long number;
            try {
                number = Long.parseLong(digits);
            } catch (NumberFormatException tooManyDigits) {
                return tooLarge(text);
            }
            if (number > LIMIT >> shift) {
                return tooLarge(text);
            }
            return new Parsed(number << shift, null);
        }
        if (text.equals("max")) {
            return new Parsed(0, "max is only allowed for cgroup limits");
        }
        if (text.startsWith("-")) {
            return new Parsed(0, "a size cannot be negative: " + Scalars.show(text));
        }
        if (LOWERCASE.matcher(text).matches()) {
            return new Parsed(
                    0,
                    "size suffixes are uppercase: write " + text.toUpperCase(java.util.Locale.ROOT) + ", not " + text);
        }
        if (FRACTION.matcher(text).matches()) {
            return new Parsed(
                    0,
                    "a size is a whole number: write " + Scalars.show(text) + " in a smaller unit (1536M, not 1.5G)");
        }
        if (WITH_UNIT.matcher(text).matches()) {
            return new Parsed(0, "write sizes as 4G, without B, iB or a space: " + Scalars.show(text));
        }
        return new Parsed(0, Scalars.show(text) + " is not a size");
    }

    private static Parsed tooLarge(String text) {
        return new Parsed(0, "the size " + Scalars.show(text) + " is too large (over 2^62 bytes)");
    }

    /** A size read from node that must lie in min..max bytes, as written (not yet rounded). */
    static long bytes(Source source, Node node, String what, long min, long max) throws ScenarioException {
        String allowed = SYNTAX + ", from " + format(min) + " to " + format(max);
        String text = Scalars.text(source, node, what, allowed);
        Parsed parsed = parse(text);
        if (!parsed.ok()) {
            throw source.error(node, what + ": " + parsed.problem(), allowed);
        }
        if (parsed.bytes() < min || parsed.bytes() > max) {
            throw source.error(node, what + " " + text + " is out of range", allowed);
        }
        return parsed.bytes();
    }

    /** A byte count the way a scenario writes it, for messages: 16M rather than 16777216. */
    static String format(long bytes) {
        String[] suffixes = {"T", "G", "M", "K"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < shifts.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes >= unit && bytes % unit == 0) {
                return (bytes / unit) + suffixes[i];
            }
        }
        return Long.toString(bytes);
    }
}
