package dev.memcgdiff.linux418;

import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.PageCounter;

/** parent_mem_cgroup as 4.18.0-147 reads it, which the charge path and protection share (mem_cgroup_margin is {@code MemcgRoom}). */
final class MemcgCounters {
    private MemcgCounters() {}

    /** parent_mem_cgroup: the owner of the memory counter's parent (null without hierarchy). */
    static MemCgroup parentOf(MemCgroup c) {
        PageCounter p = c.memory.parent();
        return p == null ? null : p.owner();
    }
}
