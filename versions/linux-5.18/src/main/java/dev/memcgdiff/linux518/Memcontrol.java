package dev.memcgdiff.linux518;

import dev.memcgdiff.kernel.ChargeRequest;
import dev.memcgdiff.kernel.FaultRetry;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.ChargeStock;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.scenario.CgroupInterface;
import java.util.Locale;

/**
 * mm/memcontrol.c of 5.18: try_charge_memcg with its stock, reclaim, retries and OOM;
 * memcg_memory_event; the swap helpers reclaim and the OOM killer ask; v1 oom_kill_disable
 * handling at the end of a fault.
 */
final class Memcontrol {
    /** MAX_RECLAIM_RETRIES (mm/internal.h). */
    static final int MAX_RECLAIM_RETRIES = 16;
    /** PAGE_ALLOC_COSTLY_ORDER. */
    static final int PAGE_ALLOC_COSTLY_ORDER = 3;
    /**
     * The kernel keeps retrying while the OOM killer reports progress; a kill that frees nothing
     * charged to the memcg would let it loop as long as tasks remain. The model gives up after
     * this many OOM rounds of one charge and says so in the trace.
     */
    static final int MAX_OOM_ROUNDS = 64;

    private final Machine m;
    private Vmscan vmscan;
    private OomKill oomKill;
    private OverHigh overHigh;
    /** vm_swappiness: the sysctl, which a write to the v1 root's memory.swappiness changes. */
    int vmSwappiness;

    Memcontrol(Machine m) {
        this.m = m;
        this.vmSwappiness = m.vmSwappiness;
    }

    void wire(Vmscan vmscan, OomKill oomKill, OverHigh overHigh) {
        this.vmscan = vmscan;
        this.oomKill = oomKill;
        this.overHigh = overHigh;
    }

    boolean v2() {
        return m.cgroupInterface == CgroupInterface.V2;
    }

    /**
     * memcg_memory_event: .local counts here only; memory.events here and, in cgroup v2, in
     * every ancestor below the root.
     */
    void memcgMemoryEvent(MemCgroup memcg, MemoryEvent event) {
        memcg.raiseMemoryEvent(event, v2());
    }

    /** mem_cgroup_margin: room under memory.max and, with memsw accounting, under memsw.max. */
    long margin(MemCgroup memcg) {
        long margin = memcg.memory.margin();
        if (m.memswCharged()) {
            margin = Math.min(margin, memcg.memsw.margin());
        }
        return margin;
    }

    /** mem_cgroup_swappiness: cgroup v2 and the v1 root use vm_swappiness. */
    int swappiness(MemCgroup memcg) {
        if (v2() || memcg.isRoot()) {
            return vmSwappiness;
        }
        return memcg.swappiness;
    }

    /** mem_cgroup_get_nr_swap_pages: free swap, in v2 bounded by swap.max - swap.current up the tree. */
    long getNrSwapPages(MemCgroup memcg) {
        long nr = m.swap.free();
        if (!v2()) {
            return nr;
        }
        for (MemCgroup c = memcg; c != null && !c.isRoot(); c = c.parent()) {
            nr = Math.min(nr, c.swap.max() - c.swap.usage());
        }
        return nr;
    }

    /** mem_cgroup_get_max: the OOM killer's totalpages for a memcg OOM. */
    long getMax(MemCgroup memcg) {
        long max = memcg.memory.max();
        if (swappiness(memcg) != 0) {
            long swap = v2() ? memcg.swap.max() : memcg.memsw.max() - max;
            max += Math.min(swap, m.swap.slots());
        }
        return max;
    }

    // ---------------------------------------------------------------- the charge path

    /** try_charge: the root memcg is never charged. */
    boolean tryCharge(ChargeRequest req) {
        if (req.memcg().isRoot()) {
            return true;
        }
        return tryChargeMemcg(req.memcg(), req.gfp(), req.nrPages(), req);
    }

    /** try_charge_memcg (5.18): the decision order of the source, retry by retry. */
    boolean tryChargeMemcg(MemCgroup memcg, int gfp, int nrPages, ChargeRequest req) {
        Task current = req.current();
        int batch = Math.max(ChargeStock.CHARGE_BATCH, nrPages);
        int nrRetries = MAX_RECLAIM_RETRIES;
        boolean passedOom = false;
        boolean maySwap = true;
        boolean drained = false;
        int oomRounds = 0;
        while (true) {
            if (m.stock.consume(memcg, nrPages)) {
                return true;
            }
            MemCgroup memOverLimit;
            String limit;
            PageCounter failed = m.memswCharged() ? memcg.memsw.tryCharge(batch) : null;
            if (failed == null) {
                failed = memcg.memory.tryCharge(batch);
                if (failed == null) {
                    doneRestock(memcg, nrPages, batch, gfp, current);
                    return true;
                }
                if (m.memswCharged()) {
                    memcg.memsw.uncharge(batch);
                }
                memOverLimit = failed.owner();
                limit = "memory";
            } else {
                memOverLimit = failed.owner();
                limit = "memsw";
                maySwap = false;
            }
            if (batch > nrPages) {
                batch = nrPages;
                continue;
            }
            if (current != null && current.memcgInOom != null) {
                return nomem(memcg, nrPages, gfp, req, "task_in_memcg_oom");
            }
            if (!Gfp.has(gfp, Gfp.DIRECT_RECLAIM)) {
                return nomem(memcg, nrPages, gfp, req, "gfp cannot block");
            }
            memcgMemoryEvent(memOverLimit, MemoryEvent.MAX);
            long nrReclaimed = vmscan.tryToFreeMemCgroupPages(memOverLimit, nrPages, gfp, maySwap);
            m.trace.add("try_charge_memcg " + memcg.path() + ": " + limit + " limit of " + memOverLimit.path()
                + " hit, try_to_free_mem_cgroup_pages(" + memOverLimit.path() + ", may_swap=" + (maySwap ? 1 : 0)
                + ")", new String[] {"reclaimed"}, nrReclaimed);
            if (margin(memOverLimit) >= nrPages) {
                continue;
            }
            if (!drained) {
                m.stock.drainSubtree(memOverLimit);
                drained = true;
                continue;
            }
            if (Gfp.has(gfp, Gfp.NORETRY)) {
                return nomem(memcg, nrPages, gfp, req, "__GFP_NORETRY");
            }
            if (nrReclaimed > 0 && nrPages <= (1 << PAGE_ALLOC_COSTLY_ORDER)) {
                continue;
            }
            if (nrRetries-- > 0) {
                continue;
            }
            if (Gfp.has(gfp, Gfp.RETRY_MAYFAIL)) {
                return nomem(memcg, nrPages, gfp, req, "__GFP_RETRY_MAYFAIL");
            }
            if (passedOom && taskIsDying(current)) {
                return nomem(memcg, nrPages, gfp, req, "passed_oom and task_is_dying");
            }
            if (++oomRounds > MAX_OOM_ROUNDS) {
                m.trace.count("try_charge_memcg " + memcg.path() + ": the OOM killer reported progress "
                    + MAX_OOM_ROUNDS + " times without room, the model gives up the charge");
                return nomem(memcg, nrPages, gfp, req, "model OOM round limit");
            }
            boolean progress = memCgroupOom(memOverLimit, gfp, order(nrPages), limit, req);
            m.trace.count("try_charge_memcg " + memcg.path() + ": mem_cgroup_oom(" + memOverLimit.path() + ") = "
                + progress);
            if (progress) {
                passedOom = true;
                nrRetries = MAX_RECLAIM_RETRIES;
                continue;
            }
            return nomem(memcg, nrPages, gfp, req, "mem_cgroup_oom failed");
        }
    }

    /** task_is_dying: an OOM victim (the model's tasks only die that way, or by exiting). */
    static boolean taskIsDying(Task current) {
        return current != null && current.oomVictim;
    }

    /** get_order(nr_pages * PAGE_SIZE). */
    static int order(int nrPages) {
        int order = 0;
        while ((1 << order) < nrPages) {
            order++;
        }
        return order;
    }

    /** nomem: -ENOMEM, unless __GFP_NOFAIL or __GFP_HIGH turn it into a force charge. */
    private boolean nomem(MemCgroup memcg, int nrPages, int gfp, ChargeRequest req, String why) {
        if (Gfp.has(gfp, Gfp.NOFAIL) || Gfp.has(gfp, Gfp.HIGH)) {
            m.charging().forceCharge(memcg, nrPages);
            m.trace.add("try_charge_memcg " + memcg.path() + ": force charge (" + why + ", "
                + (Gfp.has(gfp, Gfp.NOFAIL) ? "__GFP_NOFAIL" : "__GFP_HIGH") + ")", new String[] {"pages"}, nrPages);
            return true;
        }
        m.trace.count("try_charge_memcg " + memcg.path() + ": -ENOMEM (" + why + ", "
            + req.purpose().name().toLowerCase(Locale.ROOT) + ")");
        return false;
    }

    /**
     * done_restock: the rest of the batch goes to the stock; the first level from the memcg up
     * to the root over memory.high or swap.high adds the batch to the task's over-high debt. A
     * debt above one batch is paid at once (mem_cgroup_handle_over_high), else on return to user.
     */
    private void doneRestock(MemCgroup memcg, int nrPages, int batch, int gfp, Task current) {
        if (batch > nrPages) {
            m.stock.refill(memcg, batch - nrPages);
        }
        if (current == null) {
            return; // a kernel thread never returns to user space; the model has no high_work
        }
        for (MemCgroup c = memcg; c != null; c = c.parent()) {
            boolean memHigh = c.memory.usage() > c.memory.high();
            boolean swapHigh = c.swap.usage() > c.swap.high();
            if (memHigh || swapHigh) {
                current.nrPagesOverHigh += batch;
                break;
            }
        }
        if (current.nrPagesOverHigh > ChargeStock.CHARGE_BATCH && Gfp.has(gfp, Gfp.DIRECT_RECLAIM)) {
            overHigh.handleOverHigh(current);
        }
    }

    // ---------------------------------------------------------------- OOM from the charge path

    /**
     * mem_cgroup_oom (5.18): costly orders never OOM and raise nothing; otherwise MEMCG_OOM;
     * v1 oom_kill_disable records the OOM for mem_cgroup_oom_synchronize (in a user fault) and
     * fails the charge; otherwise the memcg OOM killer runs now.
     */
    boolean memCgroupOom(MemCgroup memcg, int gfp, int order, String limit, ChargeRequest req) {
        if (order > PAGE_ALLOC_COSTLY_ORDER) {
            return false;
        }
        memcgMemoryEvent(memcg, MemoryEvent.OOM);
        if (memcg.oomKillDisable) {
            if (req.userFault() && req.current() != null) {
                req.current().memcgInOom = memcg;
                m.trace.count("mem_cgroup_oom " + memcg.path() + ": oom_kill_disable, "
                    + req.current().comm() + " will wait in mem_cgroup_oom_synchronize");
            }
            return false;
        }
        return memCgroupOutOfMemory(memcg, gfp, order, limit, req.current());
    }

    /**
     * mem_cgroup_out_of_memory: a margin of 1 &lt;&lt; order appeared meanwhile (true, no kill);
     * a dying current task counts as progress; otherwise out_of_memory constrained to the memcg.
     */
    boolean memCgroupOutOfMemory(MemCgroup memcg, int gfp, int order, String limit, Task current) {
        if (margin(memcg) >= (1L << order)) {
            m.trace.count("mem_cgroup_out_of_memory " + memcg.path() + ": margin appeared, no kill");
            return true;
        }
        if (taskIsDying(current)) {
            return true;
        }
        return oomKill.memcgOutOfMemory(memcg, gfp, order, limit);
    }

    /**
     * pagefault_out_of_memory (5.18): mem_cgroup_oom_synchronize for a fault that recorded a v1
     * oom_kill_disable OOM (the task sleeps until someone else resolves it: nothing in the model
     * can); a dying task just returns; otherwise "Huh VM_FAULT_OOM leaked out to the #PF
     * handler" and the fault is retried. Never a global OOM.
     */
    FaultRetry pagefaultOutOfMemory(Task task) {
        MemCgroup memcg = task.memcgInOom;
        if (memcg != null) {
            task.memcgInOom = null;
            if (!memcg.oomKillDisable) {
                memCgroupOutOfMemory(memcg, Gfp.GFP_KERNEL, 0, "memory", task);
                return FaultRetry.RETRY;
            }
            memcg.underOom++;
            m.trace.count("mem_cgroup_oom_synchronize: " + task.comm() + " sleeps under_oom in " + memcg.path()
                + " (oom_kill_disable)");
            return FaultRetry.STUCK;
        }
        if (taskIsDying(task)) {
            return FaultRetry.RETRY;
        }
        m.trace.count("pagefault_out_of_memory: Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF");
        return FaultRetry.RETRY;
    }
}
