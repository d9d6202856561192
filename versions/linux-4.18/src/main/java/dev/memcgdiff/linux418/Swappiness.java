package dev.memcgdiff.linux418;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.scenario.CgroupInterface;

/** include/linux/swap.h:mem_cgroup_swappiness (4.18.0-147): the one swappiness rule of this kernel. */
final class Swappiness {
    private Swappiness() {}

    /**
     * mem_cgroup_swappiness: cgroup v2 has no per-cgroup swappiness (vm_swappiness); in v1 the
     * root uses vm_swappiness and every other memcg its own memory.swappiness.
     */
    static int memCgroupSwappiness(Machine m, MemCgroup memcg) {
        if (m.cgroupInterface == CgroupInterface.V2) {
            return m.vmSwappiness;
        }
        if (memcg.isRoot()) {
            return m.vmSwappiness;
        }
        return memcg.swappiness;
    }
}
