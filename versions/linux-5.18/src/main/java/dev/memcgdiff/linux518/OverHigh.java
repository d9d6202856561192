package dev.memcgdiff.linux518;

import static dev.memcgdiff.mm.vmscan.VmscanConstants.MAX_RECLAIM_RETRIES;
import static dev.memcgdiff.mm.vmscan.VmscanConstants.SWAP_CLUSTER_MAX;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.ChargeStock;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.task.Task;

/**
 * memory.high and memory.swap.high in 5.18 (mem_cgroup_handle_over_high, reclaim_high,
 * calculate_overage, calculate_high_delay): a task that charged over a high limit reclaims on
 * return to user space and is throttled in proportion to the square of the overage. The model
 * has no clock, so the sleep it would take is recorded in the trace instead.
 */
final class OverHigh {
    /** CONFIG_HZ of the distribution kernels the incidents' hosts run (1000: a jiffy is 1 ms). */
    static final long HZ = 1000;

    /** A jiffy, in ns of the clock. */
    static final long NANOS_PER_JIFFY = 1_000_000_000L / HZ;
    /** MEMCG_MAX_HIGH_DELAY_JIFFIES. */
    static final long MAX_HIGH_DELAY_JIFFIES = 2 * HZ;

    static final int DELAY_PRECISION_SHIFT = 20;
    static final int DELAY_SCALING_SHIFT = 14;

    private final Machine m;
    private final Vmscan vmscan;

    OverHigh(Machine m, Vmscan vmscan) {
        this.m = m;
        this.vmscan = vmscan;
    }

    /** calculate_overage: (usage - high) / high in 2^-20 units, 0 at or under high. */
    static long calculateOverage(long usage, long high) {
        if (usage <= high) {
            return 0;
        }
        long h = Math.max(high, 1);
        return ((usage - h) << DELAY_PRECISION_SHIFT) / h;
    }

    /**
     * calculate_high_delay: overage squared, scaled to jiffies, times this task's share of a
     * batch. The arithmetic is the kernel's unsigned 64-bit one, wrap-around included (an
     * overage of more than about 130 times memory.high overflows the square).
     */
    static long calculateHighDelay(long nrPages, long maxOverage) {
        if (maxOverage == 0) {
            return 0;
        }
        long penalty = maxOverage * maxOverage * HZ;
        penalty >>>= DELAY_PRECISION_SHIFT;
        penalty >>>= DELAY_SCALING_SHIFT;
        return Long.divideUnsigned(penalty * nrPages, ChargeStock.CHARGE_BATCH);
    }

    /** mem_find_max_overage: the worst memory.high overage from the memcg up, root excluded. */
    static long memFindMaxOverage(MemCgroup memcg) {
        long max = 0;
        for (MemCgroup c = memcg; c != null && !c.isRoot(); c = c.parent()) {
            max = Math.max(max, calculateOverage(c.memory.usage(), c.memory.high()));
        }
        return max;
    }

    /** swap_find_max_overage: the same for swap.high, raising MEMCG_SWAP_HIGH at every level over it. */
    long swapFindMaxOverage(MemCgroup memcg) {
        long max = 0;
        for (MemCgroup c = memcg; c != null && !c.isRoot(); c = c.parent()) {
            long overage = calculateOverage(c.swap.usage(), c.swapHigh);
            if (overage > 0) {
                m.memcgMemoryEvent(c, MemoryEvent.SWAP_HIGH);
            }
            max = Math.max(max, overage);
        }
        return max;
    }

    /**
     * reclaim_high: every level from the memcg up to (not including) the root that is over
     * memory.high raises MEMCG_HIGH and reclaims nrPages, swapping allowed.
     */
    long reclaimHigh(MemCgroup memcg, long nrPages) {
        long reclaimed = 0;
        for (MemCgroup c = memcg; c != null && !c.isRoot(); c = c.parent()) {
            if (c.memory.usage() <= c.memory.high()) {
                continue;
            }
            m.memcgMemoryEvent(c, MemoryEvent.HIGH);
            m.psi().memstallEnter(m.current, m.clock.now()); // psi_memstall_enter around the reclaim
            reclaimed += vmscan.tryToFreeMemCgroupPages(c, nrPages, Gfp.GFP_KERNEL, true);
            m.psi().memstallLeave(m.current, m.clock.now());
        }
        return reclaimed;
    }

    /**
     * mem_cgroup_handle_over_high: reclaim the debt at every level over high, then compute the
     * penalty; below 10 ms nothing happens; while reclaim progresses (or 16 tries remain) it
     * reclaims another SWAP_CLUSTER_MAX; then it sleeps the penalty, capped at two seconds.
     */
    void handleOverHigh(Task task) {
        long nrPages = task.nrPagesOverHigh;
        if (nrPages == 0) {
            return;
        }
        MemCgroup memcg = task.memcg();
        task.nrPagesOverHigh = 0;
        int nrRetries = MAX_RECLAIM_RETRIES;
        boolean inRetry = false;
        while (true) {
            long nrReclaimed = reclaimHigh(memcg, inRetry ? SWAP_CLUSTER_MAX : nrPages);
            long penalty = calculateHighDelay(nrPages, memFindMaxOverage(memcg))
                    + calculateHighDelay(nrPages, swapFindMaxOverage(memcg));
            if (Long.compareUnsigned(penalty, MAX_HIGH_DELAY_JIFFIES) > 0) {
                penalty = MAX_HIGH_DELAY_JIFFIES;
            }
            if (penalty <= HZ / 100) {
                return;
            }
            if (nrReclaimed > 0 || nrRetries-- > 0) {
                inRetry = true;
                continue;
            }
            m.trace.add(
                    TracePoints.OVER_HIGH_SLEEP,
                    memcg,
                    "mem_cgroup_handle_over_high " + memcg.path() + ": " + task.comm() + " sleeps (HZ=" + HZ + ")",
                    new String[] {"jiffies"},
                    penalty);
            // psi_memstall_enter; schedule_timeout_killable(penalty_jiffies): the task sleeps on the clock
            m.psi().memstallEnter(task, m.clock.now());
            m.sleep(task, penalty * NANOS_PER_JIFFY);
            m.psi().memstallLeave(task, m.clock.now());
            return;
        }
    }
}
