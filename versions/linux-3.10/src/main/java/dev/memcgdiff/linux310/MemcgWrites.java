package dev.memcgdiff.linux310;

import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgWriteHandlers;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.vmscan.VmscanConstants;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.Knob;
import java.util.BitSet;

/**
 * The v1 write handlers of mm/memcontrol.c in 3.10.0-1160: mem_cgroup_write (limits through
 * page_counter_memparse, which rounds down to whole pages), mem_cgroup_resize_limit and
 * mem_cgroup_resize_memsw_limit, memcg_update_kmem_limit, mem_cgroup_hierarchy_write,
 * mem_cgroup_swappiness_write and mem_cgroup_oom_control_write.
 */
final class MemcgWrites {
    private final Machine m;
    private final Memcontrol memcontrol;
    private final Swappiness swappiness;
    /** memcg_kmem_is_active, by memcg id. */
    private final BitSet kmemActive = new BitSet();

    MemcgWrites(Machine m, Memcontrol memcontrol, Swappiness swappiness) {
        this.m = m;
        this.memcontrol = memcontrol;
        this.swappiness = swappiness;
    }

    /** A write to a v1 file (3.10 has no other). */
    KnobWrite write(MemCgroup memcg, Knob knob) {
        return m.cgroupInterface == CgroupInterface.V1 ? writeV1(memcg, knob) : KnobWrite.EINVAL;
    }

    private KnobWrite writeV1(MemCgroup memcg, Knob knob) {
        switch (knob.name()) {
            case "memory.limit_in_bytes":
                return memcg.isRoot() ? KnobWrite.EINVAL : resizeLimit(memcg, PageCounter.memparse(knob));
            case "memory.memsw.limit_in_bytes":
                if (memcg.isRoot() || !m.memswCharged()) {
                    return KnobWrite.EINVAL;
                }
                return resizeMemswLimit(memcg, PageCounter.memparse(knob));
            case "memory.kmem.limit_in_bytes":
                return memcg.isRoot() ? KnobWrite.EINVAL : updateKmemLimit(memcg, PageCounter.memparse(knob));
            case "memory.soft_limit_in_bytes":
                memcg.softLimit = PageCounter.memparse(knob);
                return KnobWrite.OK;
            case "memory.swappiness":
                return MemcgWriteHandlers.swappinessWrite(m, memcg, knob.value(), swappiness::setVm);
            case "memory.use_hierarchy":
                return hierarchyWrite(memcg, knob.value());
            case "memory.oom_control":
                return oomControlWrite(memcg, knob.value());
            case "memory.move_charge_at_immigrate":
                if (knob.value() >= 4) {
                    return KnobWrite.EINVAL;
                }
                memcg.moveChargeAtImmigrate = (int) knob.value();
                return KnobWrite.OK;
            default:
                return KnobWrite.EINVAL;
        }
    }

    /** mem_cgroup_count_children: the memcgs for_each_mem_cgroup_tree visits. */
    private static int countChildren(MemCgroup memcg) {
        return memcg.hierarchy().size();
    }

    /**
     * mem_cgroup_resize_limit: EINVAL above memsw.limit; while usage is above the new limit,
     * reclaim (MEM_CGROUP_RECLAIM_SHRINK) and give up with EBUSY after 5 x children rounds that
     * did not lower usage. A raised limit wakes OOM sleepers.
     */
    private KnobWrite resizeLimit(MemCgroup memcg, long limit) {
        int retryCount = VmscanConstants.MEM_CGROUP_RECLAIM_RETRIES * countChildren(memcg);
        long oldusage = memcg.memory.usage();
        boolean enlarge = false;
        KnobWrite ret;
        do {
            if (limit > memcg.memsw.max()) {
                return KnobWrite.EINVAL;
            }
            if (limit > memcg.memory.max()) {
                enlarge = true;
            }
            if (memcg.memory.setMax(limit)) {
                memcontrol.setMemswIsMinimum(memcg, memcg.memsw.max() == limit);
                ret = KnobWrite.OK;
                break;
            }
            ret = KnobWrite.EBUSY;
            memcontrol.memCgroupReclaim(memcg, Gfp.GFP_KERNEL, false, true);
            long curusage = memcg.memory.usage();
            if (curusage >= oldusage) {
                retryCount--;
            } else {
                oldusage = curusage;
            }
        } while (retryCount > 0);
        if (ret == KnobWrite.OK && enlarge) {
            m.memcgOomWaitq.recover(memcg);
        }
        return ret;
    }

    /** mem_cgroup_resize_memsw_limit: EINVAL below memory.limit; reclaim is NOSWAP. */
    private KnobWrite resizeMemswLimit(MemCgroup memcg, long limit) {
        int retryCount = VmscanConstants.MEM_CGROUP_RECLAIM_RETRIES * countChildren(memcg);
        long oldusage = memcg.memsw.usage();
        boolean enlarge = false;
        KnobWrite ret;
        do {
            if (limit < memcg.memory.max()) {
                return KnobWrite.EINVAL;
            }
            if (limit > memcg.memsw.max()) {
                enlarge = true;
            }
            if (memcg.memsw.setMax(limit)) {
                memcontrol.setMemswIsMinimum(memcg, memcg.memory.max() == limit);
                ret = KnobWrite.OK;
                break;
            }
            ret = KnobWrite.EBUSY;
            memcontrol.memCgroupReclaim(memcg, Gfp.GFP_KERNEL, true, true);
            long curusage = memcg.memsw.usage();
            if (curusage >= oldusage) {
                retryCount--;
            } else {
                oldusage = curusage;
            }
        } while (retryCount > 0);
        if (ret == KnobWrite.OK && enlarge) {
            m.memcgOomWaitq.recover(memcg);
        }
        return ret;
    }

    /**
     * memcg_update_kmem_limit: the first limit activates kmem accounting, refused with EBUSY once
     * the cgroup has tasks or children. The model charges no kernel memory.
     */
    private KnobWrite updateKmemLimit(MemCgroup memcg, long limit) {
        if (!kmemActive.get(memcg.id()) && limit != PageCounter.MAX) {
            if (!memcg.taskIds().isEmpty() || !memcg.children().isEmpty()) {
                return KnobWrite.EBUSY;
            }
            memcg.kmem.setMax(limit);
            kmemActive.set(memcg.id());
            return KnobWrite.OK;
        }
        return memcg.kmem.setMax(limit) ? KnobWrite.OK : KnobWrite.EBUSY;
    }

    /**
     * mem_cgroup_hierarchy_write: changeable only while the parent has use_hierarchy=0 (root
     * always qualifies), and then only without children (EBUSY); under a hierarchical parent EINVAL.
     */
    private static KnobWrite hierarchyWrite(MemCgroup memcg, long val) {
        boolean value = val != 0;
        if (memcg.useHierarchy == value) {
            return KnobWrite.OK;
        }
        MemCgroup parent = memcg.parent();
        if ((parent == null || !parent.useHierarchy) && (val == 0 || val == 1)) {
            if (!memcg.children().isEmpty()) {
                return KnobWrite.EBUSY;
            }
            memcg.useHierarchy = value;
            return KnobWrite.OK;
        }
        return KnobWrite.EINVAL;
    }

    /** mem_cgroup_oom_control_write: not on root; clearing oom_kill_disable wakes the sleepers. */
    private KnobWrite oomControlWrite(MemCgroup memcg, long val) {
        if (memcg.isRoot() || (val != 0 && val != 1)) {
            return KnobWrite.EINVAL;
        }
        memcg.oomKillDisable = val == 1;
        if (val == 0) {
            m.memcgOomWaitq.recover(memcg);
        }
        return KnobWrite.OK;
    }
}
