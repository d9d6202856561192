package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.PageCounter;

/**
 * Effective memory protection of 5.18 (mem_cgroup_calculate_protection, effective_protection,
 * mem_cgroup_protection, mem_cgroup_below_min/low): memory.min and memory.low are distributed
 * down the tree in proportion to each child's protected usage. The results are cached in the
 * counter (emin/elow) and, as in the kernel, left stale where the calculation returns early.
 */
final class Protection {
    private Protection() {}

    /**
     * mem_cgroup_calculate_protection: must be called top-down (shrink_node_memcgs' pre-order
     * walk), since a child's value derives from its parent's fresh one. {@code target} is the
     * reclaim target, null (the root memcg) in global reclaim.
     */
    static void calculate(MemCgroup target, MemCgroup memcg) {
        if (memcg == target || memcg.isRoot()) {
            return;
        }
        PageCounter c = memcg.memory;
        long usage = c.usage();
        if (usage == 0) {
            return;
        }
        MemCgroup parent = LruvecState.parent(memcg);
        if (parent == null) {
            return;
        }
        if (parent == target || (target == null && parent.isRoot())) {
            c.emin = c.min();
            c.elow = c.low();
            return;
        }
        long parentUsage = parent.memory.usage();
        c.emin = effectiveProtection(usage, parentUsage, c.min(), parent.memory.emin, parent.memory.childrenMinUsage());
        c.elow = effectiveProtection(usage, parentUsage, c.low(), parent.memory.elow, parent.memory.childrenLowUsage());
    }

    /**
     * effective_protection without the memory_recursiveprot mount option (off by default): a
     * child keeps min(usage, setting) unless the siblings together claim more than the parent
     * has, in which case the parent's share is split in proportion to their protected usage.
     */
    static long effectiveProtection(
            long usage, long parentUsage, long setting, long parentEffective, long siblingsProtected) {
        long protectedUsage = Math.min(usage, setting);
        if (siblingsProtected > parentEffective) {
            return protectedUsage * parentEffective / siblingsProtected;
        }
        return protectedUsage;
    }

    /**
     * mem_cgroup_protection: (emin, elow) of the memcg; nothing for the reclaim target itself.
     * {@code target} is sc->target_mem_cgroup, null in global reclaim.
     */
    static long[] protection(MemCgroup target, MemCgroup memcg) {
        if (target == memcg) {
            return new long[] {0, 0};
        }
        return new long[] {memcg.memory.emin, memcg.memory.elow};
    }

    /** mem_cgroup_below_min: the root is never protected. */
    static boolean belowMin(MemCgroup memcg) {
        return !memcg.isRoot() && memcg.memory.emin >= memcg.memory.usage();
    }

    /** mem_cgroup_below_low. */
    static boolean belowLow(MemCgroup memcg) {
        return !memcg.isRoot() && memcg.memory.elow >= memcg.memory.usage();
    }
}
