package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.scenario.CgroupInterface;

/**
 * vm_swappiness (mm/vmscan.c) and mem_cgroup_swappiness (include/linux/swap.h, 5.18): the sysctl,
 * which a write to the v1 root's memory.swappiness changes, and the value reclaim and the OOM
 * killer use for a memcg. Reclaim, the charge path, the OOM killer and the cgroup files all ask
 * it; it asks nobody.
 */
final class Swappiness {
    private final Machine m;
    private int vmSwappiness;

    Swappiness(Machine m) {
        this.m = m;
        this.vmSwappiness = m.vmSwappiness;
    }

    /** vm_swappiness. */
    int vmSwappiness() {
        return vmSwappiness;
    }

    /** mem_cgroup_swappiness_write on the root: vm_swappiness itself changes. */
    void setVmSwappiness(int value) {
        vmSwappiness = value;
    }

    /** mem_cgroup_swappiness: cgroup v2 and the v1 root use vm_swappiness. */
    int of(MemCgroup memcg) {
        if (m.cgroupInterface == CgroupInterface.V2 || memcg.isRoot()) {
            return vmSwappiness;
        }
        return memcg.swappiness;
    }
}
