package dev.memcgdiff.linux310;

import dev.memcgdiff.mm.memcg.MemCgroup;

/**
 * vm_swappiness and mem_cgroup_swappiness of 3.10.0-1160 (mm/memcontrol.c, mm/vmscan.c): the root
 * memcg has no swappiness of its own, it reads (and its memory.swappiness writes) vm_swappiness.
 * Charging, reclaim, the OOM killer and the cgroup files all read swappiness here.
 */
final class Swappiness {
    /** vm_swappiness. */
    private int vmSwappiness;

    Swappiness(int vmSwappiness) {
        this.vmSwappiness = vmSwappiness;
    }

    /** vm_swappiness: what global reclaim uses (vmscan_swappiness without a target memcg). */
    int vm() {
        return vmSwappiness;
    }

    /** mem_cgroup_swappiness_write on the root cgroup: sets vm_swappiness. */
    void setVm(int value) {
        vmSwappiness = value;
    }

    /** mem_cgroup_swappiness: root reads vm_swappiness, every other memcg its own. */
    int of(MemCgroup memcg) {
        return memcg.isRoot() ? vmSwappiness : memcg.swappiness;
    }
}
