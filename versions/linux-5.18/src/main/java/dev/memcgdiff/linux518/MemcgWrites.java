package dev.memcgdiff.linux518;

import static dev.memcgdiff.mm.vmscan.VmscanConstants.MAX_RECLAIM_RETRIES;

import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgWriteHandlers;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.Knob;

/**
 * The write handlers of 5.18's memory controller files: mem_cgroup_write and
 * mem_cgroup_resize_max (v1 limits; the deprecated kmem.limit_in_bytes is -EOPNOTSUPP),
 * mem_cgroup_hierarchy_write, mem_cgroup_swappiness_write, mem_cgroup_oom_control_write, and the v2 memory_max_write, memory_high_write,
 * memory_low_write, memory_min_write, swap_max_write, swap_high_write, memory_oom_group_write.
 */
final class MemcgWrites {
    private final Machine m;
    private final Swappiness swappiness;
    private final Vmscan vmscan;
    private final OomKill oomKill;

    MemcgWrites(Machine m, Swappiness swappiness, Vmscan vmscan, OomKill oomKill) {
        this.m = m;
        this.swappiness = swappiness;
        this.vmscan = vmscan;
        this.oomKill = oomKill;
    }

    /** A write to a memory controller file: its handler's checks and side effects, and the errno. */
    KnobWrite write(MemCgroup memcg, Knob knob) {
        if (m.cgroupInterface == CgroupInterface.V1) {
            return writeV1(memcg, knob);
        }
        if (memcg.isRoot()) {
            m.trace.count(
                    TracePoints.NOT_ON_ROOT,
                    memcg,
                    knob.name() + " does not exist on the v2 root cgroup (CFTYPE_NOT_ON_ROOT)");
            return KnobWrite.EINVAL;
        }
        return writeV2(memcg, knob);
    }

    private KnobWrite writeV1(MemCgroup memcg, Knob knob) {
        long pages = PageCounter.memparse(knob);
        switch (knob.name()) {
            case "memory.limit_in_bytes":
                return memcg.isRoot() ? KnobWrite.EINVAL : resizeMax(memcg, pages, false);
            case "memory.memsw.limit_in_bytes":
                return memcg.isRoot() ? KnobWrite.EINVAL : resizeMax(memcg, pages, true);
            case "memory.kmem.limit_in_bytes":
                return memcg.isRoot() ? KnobWrite.EINVAL : KnobWrite.EOPNOTSUPP; // deprecated in 5.18
            case "memory.soft_limit_in_bytes":
                memcg.softLimit = pages;
                return KnobWrite.OK;
            case "memory.swappiness":
                return MemcgWriteHandlers.swappinessWrite(m, memcg, knob.value(), swappiness::setVmSwappiness);
            case "memory.use_hierarchy":
                return hierarchyWrite(knob.value());
            case "memory.oom_control":
                if (memcg.isRoot() || (knob.value() != 0 && knob.value() != 1)) {
                    return KnobWrite.EINVAL;
                }
                memcg.oomKillDisable = knob.value() != 0;
                if (!memcg.oomKillDisable) {
                    // mm/memcontrol.c:mem_cgroup_oom_control_write (5.18): clearing it wakes the sleepers
                    m.memcgOomWaitq.recover(memcg);
                }
                return KnobWrite.OK;
            case "memory.move_charge_at_immigrate":
                if ((knob.value() & ~3L) != 0) {
                    return KnobWrite.EINVAL;
                }
                memcg.moveChargeAtImmigrate = (int) knob.value();
                return KnobWrite.OK;
            default:
                return KnobWrite.EINVAL;
        }
    }

    /**
     * mem_cgroup_hierarchy_write (5.18): writing 1 succeeds and changes nothing; the
     * non-hierarchical mode is gone (5.11), so 0 is -EINVAL.
     */
    static KnobWrite hierarchyWrite(long value) {
        return value == 1 ? KnobWrite.OK : KnobWrite.EINVAL;
    }

    /**
     * mem_cgroup_resize_max (5.18): the limit must keep memory.limit &lt;= memsw.limit (-EINVAL;
     * the kernel checks it on every pass, but nothing in the loop changes the other limit); then
     * the shared drain-and-reclaim loop, -EBUSY when reclaim makes no progress.
     */
    private KnobWrite resizeMax(MemCgroup memcg, long max, boolean memsw) {
        boolean limitsInvariant = memsw ? max >= memcg.memory.max() : max <= memcg.memsw.max();
        if (!limitsInvariant) {
            return KnobWrite.EINVAL;
        }
        return MemcgWriteHandlers.resizeMax(m, memcg, max, memsw, vmscan);
    }

    private KnobWrite writeV2(MemCgroup memcg, Knob knob) {
        long pages = PageCounter.memparse(knob);
        switch (knob.name()) {
            case "memory.max":
                return memoryMaxWrite(memcg, pages);
            case "memory.high":
                return memoryHighWrite(memcg, pages);
            case "memory.swap.high":
                memcg.swapHigh = pages;
                return KnobWrite.OK;
            case "memory.oom.group":
                if (knob.value() != 0 && knob.value() != 1) {
                    return KnobWrite.EINVAL;
                }
                memcg.oomGroup = knob.value() != 0;
                return KnobWrite.OK;
            default: // memory.low, memory.min, memory.swap.max
                return MemcgWriteHandlers.v2StoreWrite(memcg, knob.name(), pages);
        }
    }

    /**
     * memory_high_write: set, drain the stocks once, then reclaim the excess until under high;
     * it gives up after MAX_RECLAIM_RETRIES passes without progress (the 17th). Never an OOM,
     * and no MEMCG_HIGH event: that is reclaim_high's.
     */
    KnobWrite memoryHighWrite(MemCgroup memcg, long high) {
        memcg.memory.setHigh(high);
        int nrRetries = MAX_RECLAIM_RETRIES;
        boolean drained = false;
        while (true) {
            long nrPages = memcg.memory.usage();
            if (nrPages <= high) {
                return KnobWrite.OK;
            }
            if (!drained) {
                m.stock.drainSubtree(memcg);
                drained = true;
                continue;
            }
            long reclaimed = vmscan.tryToFreeMemCgroupPages(memcg, nrPages - high, Gfp.GFP_KERNEL, true);
            if (reclaimed == 0 && nrRetries-- == 0) {
                m.trace.count(
                        TracePoints.HIGH_WRITE_GAVE_UP,
                        memcg,
                        "memory_high_write " + memcg.path() + ": reclaim gave up over memory.high");
                return KnobWrite.OK;
            }
        }
    }

    /**
     * memory_max_write: set the limit at once, drain the stocks once, reclaim until it fits;
     * after MAX_RECLAIM_RETRIES passes without progress every pass raises MEMCG_OOM and runs the
     * memcg OOM killer, until it fits or the killer finds nothing. The write always succeeds.
     */
    KnobWrite memoryMaxWrite(MemCgroup memcg, long max) {
        int[] oomRounds = {0};
        boolean fits = MemcgWriteHandlers.memoryMaxWrite(
                m,
                memcg,
                max,
                MAX_RECLAIM_RETRIES,
                vmscan,
                () -> ++oomRounds[0] <= OomKill.MAX_OOM_ROUNDS
                        && oomKill.memCgroupOutOfMemory(memcg, Gfp.GFP_KERNEL, 0, LimitKind.MEMORY, null));
        if (!fits) {
            m.trace.count(
                    TracePoints.MAX_WRITE_OVER,
                    memcg,
                    "memory_max_write " + memcg.path() + ": usage stays over the new memory.max");
        }
        return KnobWrite.OK;
    }
}
