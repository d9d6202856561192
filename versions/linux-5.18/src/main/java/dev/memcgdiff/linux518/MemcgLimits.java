package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgRoom;
import dev.memcgdiff.scenario.CgroupInterface;

/**
 * The room a memcg has under its limits, as mm/memcontrol.c (5.18) computes it for the charge
 * path, reclaim, the workingset and the OOM killer: mem_cgroup_margin,
 * mem_cgroup_get_nr_swap_pages, mem_cgroup_get_max. Read-only helpers that call nothing back.
 */
final class MemcgLimits {
    private final Machine m;
    private final Swappiness swappiness;

    MemcgLimits(Machine m, Swappiness swappiness) {
        this.m = m;
        this.swappiness = swappiness;
    }

    private boolean v2() {
        return m.cgroupInterface == CgroupInterface.V2;
    }

    /** mem_cgroup_margin (the shared 4.18/5.18 rule). */
    long margin(MemCgroup memcg) {
        return MemcgRoom.margin(m, memcg);
    }

    /** mem_cgroup_get_nr_swap_pages (the shared 4.18/5.18 rule). */
    long getNrSwapPages(MemCgroup memcg) {
        return MemcgRoom.nrSwapPages(m, memcg);
    }

    /** mem_cgroup_get_max: the OOM killer's totalpages for a memcg OOM. */
    long getMax(MemCgroup memcg) {
        long max = memcg.memory.max();
        if (swappiness.of(memcg) != 0) {
            long swap = v2() ? memcg.swap.max() : memcg.memsw.max() - max;
            max += Math.min(swap, m.swap.slots());
        }
        return max;
    }
}
