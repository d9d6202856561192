package dev.memcgdiff.mm.vmscan;

/** int_sqrt (lib/int_sqrt.c): the integer square root, rounded down. */
public final class IntSqrt {
    private IntSqrt() {}

    public static long intSqrt(long x) {
        if (x < 2) {
            return x;
        }
        long r = (long) Math.sqrt((double) x);
        while (r * r > x) {
            r--;
        }
        while ((r + 1) * (r + 1) <= x) {
            r++;
        }
        return r;
    }

    /**
     * The inactive ratio every modelled kernel derives from an LRU type's size: gb = pages >> 18
     * (1 GiB of 4 KiB pages); int_sqrt(10 * gb), or 1 below 1 GiB. The table of docs/QUESTIONS.md §2:
     * 10MB 1, 100MB 1, 1GB 3, 10GB 10, 100GB 31, 1TB 101, 10TB 320.
     */
    public static long inactiveRatio(long lruPages) {
        long gb = lruPages >> (30 - 12);
        return gb != 0 ? intSqrt(10 * gb) : 1;
    }
}
