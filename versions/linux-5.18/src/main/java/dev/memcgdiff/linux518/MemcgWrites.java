package dev.memcgdiff.linux518;

import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemoryEvent;
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

    /** page_counter_memparse (5.18): bytes rounded down to pages, "max" (or v1 "-1") is PAGE_COUNTER_MAX. */
    static long pages(Knob knob) {
        return knob.isMax() ? PageCounter.MAX : Math.min(PageCounter.MAX, knob.value() / 4096);
    }

    /** A write to a memory controller file: its handler's checks and side effects, and the errno. */
    KnobWrite write(MemCgroup memcg, Knob knob) {
        if (m.cgroupInterface == CgroupInterface.V1) {
            return writeV1(memcg, knob);
        }
        if (memcg.isRoot()) {
            m.trace.count(TracePoints.NOT_ON_ROOT, memcg,
                knob.name() + " does not exist on the v2 root cgroup (CFTYPE_NOT_ON_ROOT)");
            return KnobWrite.EINVAL;
        }
        return writeV2(memcg, knob);
    }

    private KnobWrite writeV1(MemCgroup memcg, Knob knob) {
        long pages = pages(knob);
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
                return swappinessWrite(memcg, knob.value());
            case "memory.use_hierarchy":
                return hierarchyWrite(knob.value());
            case "memory.oom_control":
                if (memcg.isRoot() || (knob.value() != 0 && knob.value() != 1)) {
                    return KnobWrite.EINVAL;
                }
                memcg.oomKillDisable = knob.value() != 0;
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

    /** mem_cgroup_swappiness_write: 0..swappinessMax (200); the root's file is vm.swappiness itself. */
    private KnobWrite swappinessWrite(MemCgroup memcg, long value) {
        if (value > m.traits().swappinessMax()) {
            return KnobWrite.EINVAL;
        }
        if (memcg.isRoot()) {
            swappiness.setVmSwappiness((int) value);
        } else {
            memcg.swappiness = (int) value;
        }
        return KnobWrite.OK;
    }

    /**
     * mem_cgroup_resize_max: the limit must keep memory.limit &lt;= memsw.limit (-EINVAL); over
     * usage, drain the stocks once, then reclaim a page at a time until it fits, -EBUSY when
     * reclaim makes no progress.
     */
    private KnobWrite resizeMax(MemCgroup memcg, long max, boolean memsw) {
        boolean drained = false;
        PageCounter counter = memsw ? memcg.memsw : memcg.memory;
        while (true) {
            boolean limitsInvariant = memsw ? max >= memcg.memory.max() : max <= memcg.memsw.max();
            if (!limitsInvariant) {
                return KnobWrite.EINVAL;
            }
            if (counter.setMax(max)) {
                return KnobWrite.OK;
            }
            if (!drained) {
                m.stock.drainSubtree(memcg);
                drained = true;
                continue;
            }
            if (vmscan.tryToFreeMemCgroupPages(memcg, 1, Gfp.GFP_KERNEL, !memsw) == 0) {
                return KnobWrite.EBUSY;
            }
        }
    }

    private KnobWrite writeV2(MemCgroup memcg, Knob knob) {
        long pages = pages(knob);
        switch (knob.name()) {
            case "memory.max":
                return memoryMaxWrite(memcg, pages);
            case "memory.high":
                return memoryHighWrite(memcg, pages);
            case "memory.low":
                memcg.memory.setLow(pages);
                return KnobWrite.OK;
            case "memory.min":
                memcg.memory.setMin(pages);
                return KnobWrite.OK;
            case "memory.swap.max":
                memcg.swap.forceMax(pages);
                return KnobWrite.OK;
            case "memory.swap.high":
                memcg.swapHigh = pages;
                return KnobWrite.OK;
            case "memory.oom.group":
                if (knob.value() != 0 && knob.value() != 1) {
                    return KnobWrite.EINVAL;
                }
                memcg.oomGroup = knob.value() != 0;
                return KnobWrite.OK;
            default:
                return KnobWrite.EINVAL;
        }
    }

    /**
     * memory_high_write: set, drain the stocks once, then reclaim the excess until under high;
     * it gives up after MAX_RECLAIM_RETRIES passes without progress (the 17th). Never an OOM,
     * and no MEMCG_HIGH event: that is reclaim_high's.
     */
    KnobWrite memoryHighWrite(MemCgroup memcg, long high) {
        memcg.memory.setHigh(high);
        int nrRetries = Vmscan.MAX_RECLAIM_RETRIES;
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
                m.trace.count(TracePoints.HIGH_WRITE_GAVE_UP, memcg,
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
        memcg.memory.forceMax(max);
        int nrReclaims = Vmscan.MAX_RECLAIM_RETRIES;
        boolean drained = false;
        int oomRounds = 0;
        while (true) {
            long nrPages = memcg.memory.usage();
            if (nrPages <= max) {
                return KnobWrite.OK;
            }
            if (!drained) {
                m.stock.drainSubtree(memcg);
                drained = true;
                continue;
            }
            if (nrReclaims > 0) {
                if (vmscan.tryToFreeMemCgroupPages(memcg, nrPages - max, Gfp.GFP_KERNEL, true) == 0) {
                    nrReclaims--;
                }
                continue;
            }
            m.memcgMemoryEvent(memcg, MemoryEvent.OOM);
            if (++oomRounds > OomKill.MAX_OOM_ROUNDS
                || !oomKill.memCgroupOutOfMemory(memcg, Gfp.GFP_KERNEL, 0, LimitKind.MEMORY, null)) {
                m.trace.count(TracePoints.MAX_WRITE_OVER, memcg,
                    "memory_max_write " + memcg.path() + ": usage stays over the new memory.max");
                return KnobWrite.OK;
            }
        }
    }
}
