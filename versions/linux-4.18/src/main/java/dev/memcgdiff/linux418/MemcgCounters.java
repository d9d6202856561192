package dev.memcgdiff.linux418;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.PageCounter;

/** The page counter reads of mm/memcontrol.c (4.18.0-147) that the charge, the OOM sleepers and protection share. */
final class MemcgCounters {
    private MemcgCounters() {
    }

    /** mem_cgroup_margin: room under memory (and, with memsw accounting, memsw) max. */
    static long margin(Machine m, MemCgroup memcg) {
        long margin = memcg.memory.margin();
        if (m.memswCharged()) {
            margin = Math.min(margin, memcg.memsw.margin());
        }
        return margin;
    }

    /** parent_mem_cgroup: the owner of the memory counter's parent (null without hierarchy). */
    static MemCgroup parentOf(MemCgroup c) {
        PageCounter p = c.memory.parent();
        return p == null ? null : p.owner();
    }
}
