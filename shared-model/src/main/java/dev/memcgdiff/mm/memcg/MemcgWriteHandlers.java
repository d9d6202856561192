package dev.memcgdiff.mm.memcg;

import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.kernel.ReclaimOps;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * The write handlers of mm/memcontrol.c that several modelled kernels run the same way; each
 * kernel's MemcgWrites checks what its version checks first and passes in what differs.
 */
public final class MemcgWriteHandlers {
    private MemcgWriteHandlers() {}

    /**
     * mem_cgroup_resize_max's loop (4.18, 5.18), once the limits invariant holds (the version's
     * check; nothing in the loop changes the other limit): set the counter's max; while usage is
     * above it drain the stocks once, then reclaim a page at a time (memsw: without swap) until
     * it fits, EBUSY when reclaim makes no progress. A raised limit that was set wakes the memcg's
     * OOM sleepers (memcg_oom_recover).
     */
    public static KnobWrite resizeMax(Machine m, MemCgroup memcg, long max, boolean memsw, ReclaimOps reclaim) {
        PageCounter counter = memsw ? memcg.memsw : memcg.memory;
        boolean enlarge = max > counter.max();
        boolean drained = false;
        while (!counter.setMax(max)) {
            if (!drained) {
                m.stock.drainSubtree(memcg);
                drained = true;
                continue;
            }
            if (reclaim.tryToFreeMemCgroupPages(memcg, 1, Gfp.GFP_KERNEL, !memsw) == 0) {
                return KnobWrite.EBUSY;
            }
        }
        if (enlarge) {
            m.memcgOomWaitq.recover(memcg);
        }
        return KnobWrite.OK;
    }

    /**
     * memory_max_write (4.18, 5.18): set the limit at once, drain the stocks once, reclaim the
     * excess until usage fits; after {@code nrReclaims} reclaims without progress (4.18:
     * MEM_CGROUP_RECLAIM_RETRIES, 5.18: MAX_RECLAIM_RETRIES) every pass raises MEMCG_OOM and runs
     * {@code outOfMemory} (the memcg OOM killer) until usage fits or it reports no progress.
     *
     * @return true when usage fits under the new max, false when the OOM killer gave up
     */
    public static boolean memoryMaxWrite(
            Machine m, MemCgroup memcg, long max, int nrReclaims, ReclaimOps reclaim, BooleanSupplier outOfMemory) {
        memcg.memory.forceMax(max);
        int reclaims = nrReclaims;
        boolean drained = false;
        while (true) {
            long nrPages = memcg.memory.usage();
            if (nrPages <= max) {
                return true;
            }
            if (!drained) {
                m.stock.drainSubtree(memcg);
                drained = true;
                continue;
            }
            if (reclaims > 0) {
                if (reclaim.tryToFreeMemCgroupPages(memcg, nrPages - max, Gfp.GFP_KERNEL, true) == 0) {
                    reclaims--;
                }
                continue;
            }
            m.memcgMemoryEvent(memcg, MemoryEvent.OOM);
            if (!outOfMemory.getAsBoolean()) {
                return false;
            }
        }
    }

    /**
     * memory_low_write (page_counter_set_low), memory_min_write (page_counter_set_min) and
     * swap_max_write (4.18, 5.18): the value is stored and nothing else runs; EINVAL for a file
     * that is none of them.
     */
    public static KnobWrite v2StoreWrite(MemCgroup memcg, String file, long pages) {
        switch (file) {
            case "memory.low" -> memcg.memory.setLow(pages);
            case "memory.min" -> memcg.memory.setMin(pages);
            case "memory.swap.max" -> memcg.swap.forceMax(pages);
            default -> {
                return KnobWrite.EINVAL;
            }
        }
        return KnobWrite.OK;
    }

    /**
     * mem_cgroup_swappiness_write (3.10, 5.18): above the kernel's maximum (its traits) EINVAL;
     * on the root it sets vm_swappiness, on any other memcg its own memory.swappiness.
     */
    public static KnobWrite swappinessWrite(Machine m, MemCgroup memcg, long val, IntConsumer setVmSwappiness) {
        if (val > m.traits().swappinessMax()) {
            return KnobWrite.EINVAL;
        }
        if (memcg.isRoot()) {
            setVmSwappiness.accept((int) val);
        } else {
            memcg.swappiness = (int) val;
        }
        return KnobWrite.OK;
    }
}
