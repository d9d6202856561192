package dev.memcgdiff.linux418;

import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgWriteHandlers;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.vmscan.VmscanConstants;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.Knob;

/**
 * The write handlers of 4.18.0-147's memory controller files (mm/memcontrol.c): mem_cgroup_write
 * with mem_cgroup_resize_max, mem_cgroup_hierarchy_write, mem_cgroup_swappiness_write,
 * mem_cgroup_oom_control_write for v1; memory_max_write, memory_high_write, memory_low_write,
 * memory_min_write, swap_max_write and memory_oom_group_write for v2.
 */
final class MemcgWrites {
    private final Machine m;
    private final Vmscan vmscan;
    private final OomKill oomKill;

    MemcgWrites(Machine m, Vmscan vmscan, OomKill oomKill) {
        this.m = m;
        this.vmscan = vmscan;
        this.oomKill = oomKill;
    }

    KnobWrite write(MemCgroup memcg, Knob knob) {
        long pages = PageCounter.memparse(knob);
        if (m.cgroupInterface == CgroupInterface.V1) {
            return writeV1(memcg, knob, pages);
        }
        return writeV2(memcg, knob, pages);
    }

    private KnobWrite writeV1(MemCgroup memcg, Knob knob, long pages) {
        switch (knob.name()) {
            case "memory.limit_in_bytes":
                return resizeMax(memcg, pages, false);
            case "memory.memsw.limit_in_bytes":
                return resizeMax(memcg, pages, true);
            case "memory.soft_limit_in_bytes":
                memcg.softLimit = pages;
                return KnobWrite.OK;
            case "memory.kmem.limit_in_bytes":
                return memcg.kmem.setMax(pages) ? KnobWrite.OK : KnobWrite.EBUSY;
            case "memory.swappiness":
                memcg.swappiness = (int) knob.value();
                return KnobWrite.OK;
            case "memory.use_hierarchy":
                return writeUseHierarchy(memcg, knob.value() != 0);
            case "memory.oom_control":
                if (memcg.isRoot()) {
                    return KnobWrite.EINVAL;
                }
                memcg.oomKillDisable = knob.value() != 0;
                if (!memcg.oomKillDisable) {
                    // mm/memcontrol.c:mem_cgroup_oom_control_write (4.18.0-147): clearing it wakes the sleepers
                    m.memcgOomWaitq.recover(memcg);
                }
                return KnobWrite.OK;
            case "memory.move_charge_at_immigrate":
                memcg.moveChargeAtImmigrate = (int) knob.value();
                return KnobWrite.OK;
            default:
                return KnobWrite.EINVAL;
        }
    }

    /** mem_cgroup_hierarchy_write. */
    private static KnobWrite writeUseHierarchy(MemCgroup memcg, boolean value) {
        if (memcg.useHierarchy == value) {
            return KnobWrite.OK;
        }
        MemCgroup parent = memcg.parent();
        if (parent == null || !parent.useHierarchy) {
            if (!memcg.children().isEmpty()) {
                return KnobWrite.EBUSY;
            }
            memcg.useHierarchy = value;
            return KnobWrite.OK;
        }
        return KnobWrite.EINVAL;
    }

    /**
     * mem_cgroup_resize_max: memory.limit_in_bytes must stay at or below memsw.limit_in_bytes;
     * over usage, reclaim (a page at a time, one stock drain) until it fits or reclaim fails: EBUSY.
     */
    private KnobWrite resizeMax(MemCgroup memcg, long max, boolean memsw) {
        if (!m.memswCharged() && memsw) {
            return KnobWrite.EINVAL;
        }
        if ((!memsw && m.memswCharged() && max > memcg.memsw.max()) || (memsw && max < memcg.memory.max())) {
            return KnobWrite.EINVAL;
        }
        return MemcgWriteHandlers.resizeMax(m, memcg, max, memsw, vmscan);
    }

    private KnobWrite writeV2(MemCgroup memcg, Knob knob, long pages) {
        switch (knob.name()) {
            case "memory.max":
                return memoryMaxWrite(memcg, pages);
            case "memory.high":
                memcg.memory.setHigh(pages);
                if (memcg.memory.usage() > pages) {
                    vmscan.tryToFreeMemCgroupPages(memcg, memcg.memory.usage() - pages, Gfp.GFP_KERNEL, true);
                }
                return KnobWrite.OK;
            case "memory.oom.group":
                memcg.oomGroup = knob.value() != 0;
                return KnobWrite.OK;
            default: // memory.low, memory.min, memory.swap.max
                return MemcgWriteHandlers.v2StoreWrite(memcg, knob.name(), pages);
        }
    }

    /**
     * memory_max_write (4.18.0-147): set, then reclaim down to it (MEM_CGROUP_RECLAIM_RETRIES
     * passes without progress), then OOM-kill until it fits or nothing is left; always OK.
     */
    private KnobWrite memoryMaxWrite(MemCgroup memcg, long max) {
        MemcgWriteHandlers.memoryMaxWrite(
                m,
                memcg,
                max,
                VmscanConstants.MEM_CGROUP_RECLAIM_RETRIES,
                vmscan,
                () -> oomKill.memCgroupOutOfMemory(memcg, Gfp.GFP_KERNEL, 0, LimitKind.MEMORY));
        return KnobWrite.OK;
    }
}
