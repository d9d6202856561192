package dev.memcgdiff.scenario;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Durations as scenario files write them: a whole number and a unit, {@code 500us}, {@code 20ms},
 * {@code 3s}, {@code 2m}; stored as nanoseconds of the simulated clock. Like sizes, anything else
 * ({@code 1.5s}, {@code 3}, {@code 3 s}, {@code 1h}, {@code -1s}, {@code 3S}, {@code 100ns}) is
 * refused with a hint rather than guessed at.
 */
public final class Durations {
    public static final long NANOS_PER_US = 1_000L;
    public static final long NANOS_PER_MS = 1_000_000L;
    public static final long NANOS_PER_S = 1_000_000_000L;
    public static final long NANOS_PER_MINUTE = 60 * NANOS_PER_S;
    /** Longest duration accepted anywhere (2^62 ns, about 146 years): far below overflow. */
    static final long LIMIT = 1L << 62;

    static final String SYNTAX = "a whole number with a unit us, ms, s or m (500us, 20ms, 3s, 2m)";

    private static final Pattern DURATION = Pattern.compile("([0-9]+)(us|ms|s|m)");
    private static final Pattern FRACTION = Pattern.compile("[0-9]*\\.[0-9]+\\s*[A-Za-zµμ]*");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+");
    private static final Pattern SPACED = Pattern.compile("[0-9]+\\s+[A-Za-zµμ]+");
    private static final Pattern WITH_WORD = Pattern.compile("([0-9]+)([A-Za-zµμ]+)");

    /** Either nanoseconds, or the problem with the text. */
    record Parsed(long nanos, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    private Durations() {}

    static Parsed parse(String text) {
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            long unit = unitNanos(m.group(2));
            long number;
            try {
                number = Long.parseLong(m.group(1));
            } catch (NumberFormatException tooManyDigits) {
                return tooLong(text);
            }
            if (number > LIMIT / unit) {
                return tooLong(text);
            }
            return new Parsed(number * unit, null);
        }
        if (text.startsWith("-")) {
            return new Parsed(0, "a duration cannot be negative: " + Scalars.show(text));
        }
        if (NUMBER.matcher(text).matches()) {
            return new Parsed(
                    0, "a duration needs a unit: write " + text + "s, " + text + "ms or " + text + "us, not " + text);
        }
        if (FRACTION.matcher(text).matches()) {
            return new Parsed(
                    0,
                    "a duration is a whole number: write " + Scalars.show(text)
                            + " in a smaller unit (1500ms, not 1.5s)");
        }
        if (SPACED.matcher(text).matches()) {
            return new Parsed(0, "write durations as 3s, without a space: " + Scalars.show(text));
        }
        Matcher w = WITH_WORD.matcher(text);
        if (w.matches()) {
            return new Parsed(0, unitProblem(w.group(1), w.group(2)));
        }
        return new Parsed(0, Scalars.show(text) + " is not a duration");
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "us" -> NANOS_PER_US;
            case "ms" -> NANOS_PER_MS;
            case "s" -> NANOS_PER_S;
            default -> NANOS_PER_MINUTE;
        };
    }

    /** A number followed by a unit that is not one of ours: say what to write instead. */
    private static String unitProblem(String number, String unit) {
        String hint = switch (unit) {
            case "h" -> "hours are not a unit: write minutes (" + hours(number) + ")";
            case "ns" -> nanosHint(number);
            case "M" -> number + "M is a size (M = MiB); a duration in minutes is " + number + "m";
            case "µs", "μs" -> "write microseconds as us: " + number + "us";
            case "sec", "secs", "second", "seconds" -> "write seconds as s: " + number + "s";
            case "min", "mins", "minute", "minutes" -> "write minutes as m: " + number + "m";
            case "msec", "msecs" -> "write milliseconds as ms: " + number + "ms";
            case "usec", "usecs" -> "write microseconds as us: " + number + "us";
            case "d" -> "days are not a unit: write minutes (1d = 1440m)";
            default -> null;
        };
        if (hint != null) {
            return hint;
        }
        String lower = unit.toLowerCase(java.util.Locale.ROOT);
        if (!lower.equals(unit) && DURATION.matcher(number + lower).matches()) {
            return "duration units are lowercase: write " + number + lower + ", not " + number + unit;
        }
        return "unknown duration unit " + Scalars.show(unit);
    }

    private static String nanosHint(String number) {
        try {
            long ns = Long.parseLong(number);
            if (ns % NANOS_PER_US == 0) {
                return "the smallest unit is us: write " + (ns / NANOS_PER_US) + "us, not " + number + "ns";
            }
        } catch (NumberFormatException tooManyDigits) {
            // fall through to the general hint
        }
        return "the smallest unit is us (1us = 1000ns), and " + number + "ns is not a whole number of us";
    }

    private static String hours(String number) {
        try {
            long h = Long.parseLong(number);
            if (h <= Long.MAX_VALUE / 60) {
                return number + "h = " + (h * 60) + "m";
            }
        } catch (NumberFormatException tooManyDigits) {
            // fall through to the general hint
        }
        return "1h = 60m";
    }

    private static Parsed tooLong(String text) {
        return new Parsed(0, "the duration " + Scalars.show(text) + " is too long (over 2^62 ns)");
    }

    /** A duration read from node that must lie in min..max nanoseconds. */
    static long nanos(Source source, Node node, String what, long min, long max) throws ScenarioException {
        String allowed = SYNTAX + ", from " + format(min) + " to " + format(max);
        String text = Scalars.text(source, node, what, allowed);
        Parsed parsed = parse(text);
        if (!parsed.ok()) {
            throw source.error(node, what + ": " + parsed.problem(), allowed);
        }
        if (parsed.nanos() < min || parsed.nanos() > max) {
            throw source.error(node, what + " " + text + " is out of range", allowed);
        }
        return parsed.nanos();
    }

    /**
     * Nanoseconds the way a scenario writes them, in the largest unit that is exact: 2m rather
     * than 120000000000; a count that is not a whole number of microseconds stays in ns (the
     * clock's own unit, for messages only).
     */
    public static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        long[] units = {NANOS_PER_MINUTE, NANOS_PER_S, NANOS_PER_MS, NANOS_PER_US};
        String[] names = {"m", "s", "ms", "us"};
        for (int i = 0; i < units.length; i++) {
            if (nanos % units[i] == 0) {
                return (nanos / units[i]) + names[i];
            }
        }
        return nanos + "ns";
    }
}
