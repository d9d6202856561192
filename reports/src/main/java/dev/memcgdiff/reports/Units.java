package dev.memcgdiff.reports;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** Sizes and times in the units a person reads: 512K, 1.5G; 250 us, 48.6 ms, 12.4 s, 2.5 min. */
final class Units {
    static final long PAGE_SIZE = 4096;
    static final long US = 1_000L;
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final long MIN = 60 * S;

    private Units() {}

    /** Pages as bytes with a binary suffix, as the scenario language writes sizes: 0, 512K, 1.5G. */
    static String bytes(long pages) {
        double v = (double) pages * PAGE_SIZE;
        String[] units = {"", "K", "M", "G", "T", "P"};
        int u = 0;
        while (u < units.length - 1 && v >= 1024) {
            v /= 1024;
            u++;
        }
        return v == Math.rint(v)
                ? String.format(Locale.ROOT, "%d%s", (long) v, units[u])
                : String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }

    /** A duration to three significant digits in the largest unit it fills: 0, 750 ns, 48.6 ms, 12.4 s, 2.5 min. */
    static String duration(long ns) {
        if (ns == 0) {
            return "0";
        }
        if (ns >= 2 * MIN) {
            return sig(ns, MIN) + " min";
        }
        if (ns >= S) {
            return sig(ns, S) + " s";
        }
        if (ns >= MS) {
            return sig(ns, MS) + " ms";
        }
        if (ns >= US) {
            return sig(ns, US) + " us";
        }
        return ns + " ns";
    }

    private static String sig(long ns, long unit) {
        BigDecimal v = BigDecimal.valueOf(ns)
                .divide(BigDecimal.valueOf(unit), new MathContext(3, RoundingMode.HALF_EVEN))
                .stripTrailingZeros();
        return v.scale() < 0 ? v.setScale(0).toPlainString() : v.toPlainString();
    }

    /** The unit a time axis reaching {@code max} with ticks every {@code step} ns is labelled in. */
    static long axisUnit(long max, long step) {
        if (step >= MIN && step % MIN == 0) {
            return MIN;
        }
        if (max >= S) {
            return S;
        }
        if (max >= MS) {
            return MS;
        }
        return max >= US ? US : 1;
    }

    /** A time axis label in the axis unit: "0", "0.5 s", "250 us", "3 min". */
    static String axisTime(long ns, long unit) {
        if (ns == 0) {
            return "0";
        }
        String name = unit == MIN ? "min" : unit == S ? "s" : unit == MS ? "ms" : unit == US ? "us" : "ns";
        BigDecimal v = BigDecimal.valueOf(ns)
                .divide(BigDecimal.valueOf(unit), MathContext.DECIMAL64)
                .stripTrailingZeros();
        return (v.scale() < 0 ? v.setScale(0) : v).toPlainString() + " " + name;
    }

    /** Decimal time steps (1, 2, 5 times a power of ten ns) and, from a minute, minute steps. */
    static long niceTimeStep(long span, int maxTicks) {
        long[] minutes = {MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, 60 * MIN};
        for (long p = 1; p <= 10 * S; p *= 10) {
            for (long m : new long[] {1, 2, 5}) {
                long step = m * p;
                if (step <= 50 * S && ceilDiv(span, step) <= maxTicks) {
                    return step;
                }
            }
        }
        for (long step : minutes) {
            if (ceilDiv(span, step) <= maxTicks) {
                return step;
            }
        }
        long step = 60 * MIN;
        while (ceilDiv(span, step) > maxTicks) {
            step *= 2;
        }
        return step;
    }

    /** Binary size steps in pages: 1, 2, 4, ... pages (4K, 8K, ... 512K, 1M, ...). */
    static long niceSizeStep(long maxPages, int maxTicks) {
        long step = 1;
        while (ceilDiv(maxPages, step) > maxTicks) {
            step *= 2;
        }
        return step;
    }

    static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
