package dev.memcgdiff.mm.memcg;

import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Sizes;

/**
 * struct page_counter (mm/page_counter.c): a hierarchical counter of pages with a limit.
 * A charge walks from the counter up through its parents; the first level that would go over
 * its max fails, counts a failcnt there (only there), and every level below is undone.
 *
 * <p>min/low and the protected-usage sums exist from 4.18 on; the 3.10 kernel simply never sets
 * them. How the protected usage is propagated differs: see {@link Propagation}.
 */
public final class PageCounter {
    /** PAGE_COUNTER_MAX: LONG_MAX / PAGE_SIZE. "max" and "unlimited" read back as this. */
    public static final long MAX = Long.MAX_VALUE / 4096;

    private final String name;
    private final PageCounter parent;
    private final MemCgroup owner;
    private long usage;
    private long max = MAX;
    private long watermark;
    private long failcnt;
    private long min;
    private long low;
    private long high = MAX;
    private long minUsage;
    private long lowUsage;
    private long childrenMinUsage;
    private long childrenLowUsage;
    /** mem_cgroup_protected / calculate_protection results, cached as the kernel caches them. */
    public long emin;

    public long elow;
    private final Propagation propagation;

    /** How a kernel's propagate_protected_usage computes a level's protected usage. */
    public enum Propagation {
        /**
         * 5.18: each level's protected usage is min(usage, min), propagated for every level
         * a charge touches.
         */
        PER_LEVEL,
        /**
         * 4.18 (RHEL 8.1 and upstream): protected usage is usage when usage &lt;= min, else 0; and
         * page_counter_charge/try_charge pass the leaf counter with each ancestor's new usage, so
         * after a charge the leaf's protected usage derives from the top level's usage and the
         * ancestors' sums are not updated. Uncharge and setting min/low propagate correctly.
         */
        LEAF_ALL_OR_NOTHING
    }

    /**
     * page_counter_memparse (mm/page_counter.c, every modelled kernel): a written limit in pages,
     * the bytes rounded down and capped at PAGE_COUNTER_MAX; "max" (v1 also "-1") is
     * PAGE_COUNTER_MAX.
     */
    public static long memparse(Knob knob) {
        return knob.isMax() ? MAX : Math.min(MAX, knob.value() / Sizes.PAGE_SIZE);
    }

    public PageCounter(String name, MemCgroup owner, PageCounter parent, Propagation propagation) {
        this.name = name;
        this.owner = owner;
        this.parent = parent;
        this.propagation = propagation;
    }

    public String name() {
        return name;
    }

    public MemCgroup owner() {
        return owner;
    }

    public PageCounter parent() {
        return parent;
    }

    public long usage() {
        return usage;
    }

    public long max() {
        return max;
    }

    public long watermark() {
        return watermark;
    }

    public long failcnt() {
        return failcnt;
    }

    public void resetFailcnt() {
        failcnt = 0;
    }

    public void resetWatermark() {
        watermark = usage;
    }

    public long min() {
        return min;
    }

    public long low() {
        return low;
    }

    public long high() {
        return high;
    }

    public void setHigh(long high) {
        this.high = high;
    }

    public long minUsage() {
        return minUsage;
    }

    public long lowUsage() {
        return lowUsage;
    }

    public long childrenMinUsage() {
        return childrenMinUsage;
    }

    public long childrenLowUsage() {
        return childrenLowUsage;
    }

    /** mem_cgroup_margin's building block: how many pages fit under max. */
    public long margin() {
        return usage < max ? max - usage : 0;
    }

    /**
     * page_counter_try_charge: charge {@code n} pages here and in every ancestor.
     *
     * @return null on success, or the counter whose limit was hit (its failcnt is incremented)
     */
    public PageCounter tryCharge(long n) {
        for (PageCounter c = this; c != null; c = c.parent) {
            long next = c.usage + n;
            if (next > c.max) {
                if (propagation == Propagation.LEAF_ALL_OR_NOTHING) {
                    // 4.18 propagates the refused usage through the leaf before giving up.
                    propagateProtectedUsage(this, next);
                }
                c.failcnt++;
                for (PageCounter u = this; u != c; u = u.parent) {
                    u.cancel(n);
                }
                return c;
            }
            c.usage = next;
            propagateAfterCharge(c, next);
            if (next > c.watermark) {
                c.watermark = next;
            }
        }
        return null;
    }

    /** page_counter_charge: charge ignoring the limit (force charge, swap-in double charge, ...). */
    public void charge(long n) {
        for (PageCounter c = this; c != null; c = c.parent) {
            c.usage += n;
            propagateAfterCharge(c, c.usage);
            if (c.usage > c.watermark) {
                c.watermark = c.usage;
            }
        }
    }

    /** page_counter_uncharge. */
    public void uncharge(long n) {
        for (PageCounter c = this; c != null; c = c.parent) {
            c.cancel(n);
        }
    }

    private void cancel(long n) {
        long next = usage - n;
        if (next < 0) {
            throw new IllegalStateException("page_counter underflow on " + name + " of "
                    + (owner == null ? "?" : owner.path()) + ": " + usage + " - " + n);
        }
        usage = next;
        propagateProtectedUsage(this, next);
    }

    private void propagateAfterCharge(PageCounter level, long newUsage) {
        propagateProtectedUsage(propagation == Propagation.LEAF_ALL_OR_NOTHING ? this : level, newUsage);
    }

    /** propagate_protected_usage: keep the parent's sum of its children's protected usage. */
    private static void propagateProtectedUsage(PageCounter c, long usage) {
        if (c.parent == null) {
            return;
        }
        if (c.min != 0 || c.minUsage != 0) {
            long protectedUsage = c.protectedPart(usage, c.min);
            long delta = protectedUsage - c.minUsage;
            c.minUsage = protectedUsage;
            c.parent.childrenMinUsage += delta;
        }
        if (c.low != 0 || c.lowUsage != 0) {
            long protectedUsage = c.protectedPart(usage, c.low);
            long delta = protectedUsage - c.lowUsage;
            c.lowUsage = protectedUsage;
            c.parent.childrenLowUsage += delta;
        }
    }

    private long protectedPart(long usage, long protection) {
        if (propagation == Propagation.LEAF_ALL_OR_NOTHING) {
            return usage <= protection ? usage : 0;
        }
        return Math.min(usage, protection);
    }

    /** page_counter_set_max: refuse (false) when usage is already above the new max. */
    public boolean setMax(long newMax) {
        if (usage > newMax) {
            return false;
        }
        max = newMax;
        return true;
    }

    /** Set max without the usage check (v2 memory.max writes set first, then reclaim). */
    public void forceMax(long newMax) {
        max = newMax;
    }

    public void setMin(long newMin) {
        min = newMin;
        for (PageCounter c = this; c != null; c = c.parent) {
            propagateProtectedUsage(c, c.usage);
        }
    }

    public void setLow(long newLow) {
        low = newLow;
        for (PageCounter c = this; c != null; c = c.parent) {
            propagateProtectedUsage(c, c.usage);
        }
    }
}
