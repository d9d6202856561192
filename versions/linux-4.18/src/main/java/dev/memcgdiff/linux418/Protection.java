package dev.memcgdiff.linux418;

import dev.memcgdiff.mm.memcg.MemCgroup;

/** mem_cgroup_protected (4.18): memory.min / memory.low, all or nothing per memcg. */
final class Protection {
    enum Result {
        NONE,
        LOW,
        MIN
    }

    private Protection() {}

    /**
     * Compute and cache emin/elow top-down (the walk is pre-order, so the parent's are fresh) and
     * say whether the memcg is protected. The reclaim root's own protection never counts.
     */
    static Result memCgroupProtected(MemCgroup root, MemCgroup memcg) {
        if (memcg == root) {
            return Result.NONE;
        }
        long usage = memcg.memory.usage();
        if (usage == 0) {
            return Result.NONE;
        }
        long emin = memcg.memory.min();
        long elow = memcg.memory.low();
        MemCgroup parent = MemcgCounters.parentOf(memcg);
        if (parent == null) {
            return Result.NONE;
        }
        if (parent != root) {
            long parentEmin = parent.memory.emin;
            emin = Math.min(emin, parentEmin);
            if (emin != 0 && parentEmin != 0) {
                long minUsage = Math.min(usage, memcg.memory.min());
                long siblings = parent.memory.childrenMinUsage();
                if (minUsage != 0 && siblings != 0) {
                    emin = Math.min(emin, parentEmin * minUsage / siblings);
                }
            }
            long parentElow = parent.memory.elow;
            elow = Math.min(elow, parentElow);
            if (elow != 0 && parentElow != 0) {
                long lowUsage = Math.min(usage, memcg.memory.low());
                long siblings = parent.memory.childrenLowUsage();
                if (lowUsage != 0 && siblings != 0) {
                    elow = Math.min(elow, parentElow * lowUsage / siblings);
                }
            }
        }
        memcg.memory.emin = emin;
        memcg.memory.elow = elow;
        if (usage <= emin) {
            return Result.MIN;
        }
        if (usage <= elow) {
            return Result.LOW;
        }
        return Result.NONE;
    }
}
