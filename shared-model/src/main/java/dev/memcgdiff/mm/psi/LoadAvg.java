package dev.memcgdiff.mm.psi;

/**
 * The fixed-point decay of include/linux/sched/loadavg.h and kernel/sched/loadavg.c that the
 * pressure averages use: 11 bits of fraction, calc_load rounding up while the average rises,
 * calc_load_n for several periods at once, and the two-decimal print. The same in 4.18.0-147 and
 * 5.18.
 */
final class LoadAvg {
    /** FSHIFT. */
    static final int FSHIFT = 11;
    /** FIXED_1: 1.0. */
    static final long FIXED_1 = 1L << FSHIFT;

    private LoadAvg() {}

    /**
     * loadavg.h:calc_load: the new average is the old one weighted by {@code exp} plus the sample
     * weighted by one minus it; rounded up when the sample is at or above the old average.
     */
    static long calcLoad(long load, long exp, long active) {
        long newload = load * exp + active * (FIXED_1 - exp);
        if (active >= load) {
            newload += FIXED_1 - 1;
        }
        return newload / FIXED_1;
    }

    /** kernel/sched/loadavg.c:calc_load_n: {@code n} periods of the same sample in one step. */
    static long calcLoadN(long load, long exp, long active, long n) {
        return calcLoad(load, fixedPowerInt(exp, FSHIFT, n), active);
    }

    /** kernel/sched/loadavg.c:fixed_power_int: x to the n in fixed point, rounding each product to nearest. */
    static long fixedPowerInt(long x, int fracBits, long n) {
        long result = 1L << fracBits;
        if (n != 0) {
            while (true) {
                if ((n & 1) != 0) {
                    result *= x;
                    result += 1L << (fracBits - 1);
                    result >>>= fracBits;
                }
                n >>>= 1;
                if (n == 0) {
                    break;
                }
                x *= x;
                x += 1L << (fracBits - 1);
                x >>>= fracBits;
            }
        }
        return result;
    }

    /** LOAD_INT(x).LOAD_FRAC(x) as "%lu.%02lu": the whole part and two decimals, truncated. */
    static String format(long x) {
        long whole = x >>> FSHIFT;
        long frac = ((x & (FIXED_1 - 1)) * 100) >>> FSHIFT;
        return whole + "." + (frac < 10 ? "0" : "") + frac;
    }
}
