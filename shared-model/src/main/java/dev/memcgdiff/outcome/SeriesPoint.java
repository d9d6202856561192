package dev.memcgdiff.outcome;

/**
 * One memcg's sizes after a step, in pages, for the report's charts: memory usage and limit,
 * swap charged to it, and its own LRU lists (inactive_anon, active_anon, inactive_file,
 * active_file, unevictable).
 */
public record SeriesPoint(int step, long usage, long limit, long swap, long[] lru) {
    public SeriesPoint {
        lru = lru.clone();
    }

    @Override
    public long[] lru() {
        return lru.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesPoint p
                && p.step == step
                && p.usage == usage
                && p.limit == limit
                && p.swap == swap
                && java.util.Arrays.equals(p.lru, lru);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(step, usage, limit, swap, java.util.Arrays.hashCode(lru));
    }

    @Override
    public String toString() {
        return "SeriesPoint[step=" + step + ", usage=" + usage + ", limit=" + limit + ", swap=" + swap + ", lru="
                + java.util.Arrays.toString(lru) + "]";
    }
}
