package dev.memcgdiff.mm.memcg;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.scenario.CgroupInterface;

/**
 * The room a memcg has under its limits as mm/memcontrol.c computes it in 4.18 and 5.18 alike
 * (3.10's mem_cgroup_margin ignores a memsw counter already over its limit and is its own).
 */
public final class MemcgRoom {
    private MemcgRoom() {}

    /** mem_cgroup_margin (4.18, 5.18): room under memory.max and, with memsw accounting, under memsw.max. */
    public static long margin(Machine m, MemCgroup memcg) {
        long margin = memcg.memory.margin();
        if (m.memswCharged()) {
            margin = Math.min(margin, memcg.memsw.margin());
        }
        return margin;
    }

    /**
     * mem_cgroup_get_nr_swap_pages (4.18, 5.18): free swap, on cgroup v2 bounded by swap.max -
     * swap.current of the memcg and every ancestor below the root.
     */
    public static long nrSwapPages(Machine m, MemCgroup memcg) {
        long nr = m.swap.free();
        if (m.cgroupInterface != CgroupInterface.V2) {
            return nr;
        }
        for (MemCgroup c = memcg; c != null && !c.isRoot(); c = c.parent()) {
            nr = Math.min(nr, c.swap.max() - c.swap.usage());
        }
        return nr;
    }
}
