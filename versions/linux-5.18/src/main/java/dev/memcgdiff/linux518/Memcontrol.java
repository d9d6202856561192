package dev.memcgdiff.linux518;

import static dev.memcgdiff.mm.PageOrder.PAGE_ALLOC_COSTLY_ORDER;
import static dev.memcgdiff.mm.vmscan.VmscanConstants.MAX_RECLAIM_RETRIES;

import dev.memcgdiff.kernel.ChargeRequest;
import dev.memcgdiff.kernel.ChargeResult;
import dev.memcgdiff.kernel.MemcgOps;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.PageOrder;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.mm.memcg.ChargeStock;
import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.OverLimit;
import dev.memcgdiff.mm.task.Task;
import java.util.Locale;

/**
 * mm/memcontrol.c of 5.18: mem_cgroup_css_alloc's defaults, try_charge_memcg with its stock,
 * reclaim, retries and OOM, mem_cgroup_oom with v1 oom_kill_disable, and the return to user
 * space (mem_cgroup_handle_over_high). The helpers other files ask (margin, swap room, swappiness)
 * are {@link MemcgLimits} and {@link Swappiness}; mem_cgroup_out_of_memory and
 * mem_cgroup_oom_synchronize are {@link OomKill}'s; memcg_memory_event is the machine's.
 */
final class Memcontrol implements MemcgOps {
    /** Why try_charge_memcg gives up (nomem), with the trace point of its -ENOMEM. */
    enum Nomem {
        TASK_IN_MEMCG_OOM("task_in_memcg_oom", TracePoints.ENOMEM_IN_MEMCG_OOM),
        CANNOT_BLOCK("gfp cannot block", TracePoints.ENOMEM_CANNOT_BLOCK),
        NORETRY("__GFP_NORETRY", TracePoints.ENOMEM_NORETRY),
        RETRY_MAYFAIL("__GFP_RETRY_MAYFAIL", TracePoints.ENOMEM_RETRY_MAYFAIL),
        DYING("passed_oom and task_is_dying", TracePoints.ENOMEM_DYING),
        OOM_ROUNDS("model OOM round limit", TracePoints.ENOMEM_OOM_ROUNDS),
        OOM_FAILED("mem_cgroup_oom failed", TracePoints.ENOMEM_OOM_FAILED);

        final String text;
        final TracePoint enomem;

        Nomem(String text, TracePoint enomem) {
            this.text = text;
            this.enomem = enomem;
        }
    }

    private final Machine m;
    private final Swappiness swappiness;
    private final MemcgLimits limits;
    private final Vmscan vmscan;
    private final OomKill oomKill;
    private final OverHigh overHigh;

    Memcontrol(
            Machine m, Swappiness swappiness, MemcgLimits limits, Vmscan vmscan, OomKill oomKill, OverHigh overHigh) {
        this.m = m;
        this.swappiness = swappiness;
        this.limits = limits;
        this.vmscan = vmscan;
        this.oomKill = oomKill;
        this.overHigh = overHigh;
    }

    /** mem_cgroup_css_alloc (5.18): every memcg's counters link to its parent's, v1 included. */
    @Override
    public boolean linksToParent(MemCgroup parent) {
        return true;
    }

    /** mem_cgroup_css_alloc: swappiness (mem_cgroup_swappiness of the parent) and oom_kill_disable inherited. */
    @Override
    public void cgroupCreated(MemCgroup memcg) {
        memcg.useHierarchy = true;
        MemCgroup parent = memcg.parent();
        if (parent == null) {
            memcg.swappiness = swappiness.vmSwappiness();
            return;
        }
        memcg.swappiness = swappiness.of(parent);
        memcg.oomKillDisable = parent.oomKillDisable;
    }

    /** The return to user space: mem_cgroup_handle_over_high (set_notify_resume). */
    @Override
    public void returnToUser(Task task) {
        overHigh.handleOverHigh(task);
    }

    // ---------------------------------------------------------------- the charge path

    /** try_charge: the root memcg is never charged; 5.18 never bypasses a charge to another memcg. */
    @Override
    public ChargeResult tryCharge(ChargeRequest req) {
        if (req.memcg().isRoot()) {
            return ChargeResult.charged(req.memcg());
        }
        return tryChargeMemcg(req.memcg(), req.gfp(), req.nrPages(), req)
                ? ChargeResult.charged(req.memcg())
                : ChargeResult.FAILED;
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
            OverLimit over = OverLimit.tryCharge(m, memcg, batch);
            if (over == null) {
                doneRestock(memcg, nrPages, batch, gfp, current);
                return true;
            }
            MemCgroup memOverLimit = over.memcg();
            LimitKind limit = over.limit();
            if (limit == LimitKind.MEMSW) {
                maySwap = false;
            }
            if (batch > nrPages) {
                batch = nrPages;
                continue;
            }
            if (current != null && current.memcgInOom != null) {
                return nomem(memcg, nrPages, gfp, req, Nomem.TASK_IN_MEMCG_OOM);
            }
            if (!Gfp.has(gfp, Gfp.DIRECT_RECLAIM)) {
                return nomem(memcg, nrPages, gfp, req, Nomem.CANNOT_BLOCK);
            }
            m.memcgMemoryEvent(memOverLimit, MemoryEvent.MAX);
            m.psi().memstallEnter(current, m.clock.now()); // psi_memstall_enter around the reclaim
            long nrReclaimed = vmscan.tryToFreeMemCgroupPages(memOverLimit, nrPages, gfp, maySwap);
            m.psi().memstallLeave(current, m.clock.now());
            m.trace.add(
                    reclaimPoint(limit, maySwap),
                    memcg,
                    "try_charge_memcg " + memcg.path() + ": " + limit.text()
                            + " limit of " + memOverLimit.path() + " hit, try_to_free_mem_cgroup_pages("
                            + memOverLimit.path()
                            + ", may_swap=" + (maySwap ? 1 : 0) + ")",
                    new String[] {"reclaimed"},
                    nrReclaimed);
            if (limits.margin(memOverLimit) >= nrPages) {
                continue;
            }
            if (!drained) {
                m.stock.drainSubtree(memOverLimit);
                drained = true;
                continue;
            }
            if (Gfp.has(gfp, Gfp.NORETRY)) {
                return nomem(memcg, nrPages, gfp, req, Nomem.NORETRY);
            }
            if (nrReclaimed > 0 && nrPages <= (1 << PAGE_ALLOC_COSTLY_ORDER)) {
                continue;
            }
            if (nrRetries-- > 0) {
                continue;
            }
            if (Gfp.has(gfp, Gfp.RETRY_MAYFAIL)) {
                return nomem(memcg, nrPages, gfp, req, Nomem.RETRY_MAYFAIL);
            }
            if (passedOom && OomKill.taskIsDying(current)) {
                return nomem(memcg, nrPages, gfp, req, Nomem.DYING);
            }
            if (++oomRounds > OomKill.MAX_OOM_ROUNDS) {
                m.trace.count(
                        TracePoints.CHARGE_OOM_ROUNDS,
                        memcg,
                        "try_charge_memcg " + memcg.path()
                                + ": the OOM killer reported progress " + OomKill.MAX_OOM_ROUNDS
                                + " times without room, the model gives up the charge");
                return nomem(memcg, nrPages, gfp, req, Nomem.OOM_ROUNDS);
            }
            boolean progress = memCgroupOom(memOverLimit, gfp, PageOrder.ofPages(nrPages), limit, req);
            m.trace.count(
                    progress ? TracePoints.CHARGE_OOM_PROGRESS : TracePoints.CHARGE_OOM_NO_PROGRESS,
                    memcg,
                    "try_charge_memcg " + memcg.path() + ": mem_cgroup_oom(" + memOverLimit.path() + ") = " + progress);
            if (progress) {
                passedOom = true;
                nrRetries = MAX_RECLAIM_RETRIES;
                continue;
            }
            return nomem(memcg, nrPages, gfp, req, Nomem.OOM_FAILED);
        }
    }

    /** Which reclaim of try_charge_memcg the trace records: the counter that failed, and may_swap. */
    private static TracePoint reclaimPoint(LimitKind limit, boolean maySwap) {
        if (limit == LimitKind.MEMSW) {
            return TracePoints.CHARGE_RECLAIM_MEMSW;
        }
        return maySwap ? TracePoints.CHARGE_RECLAIM : TracePoints.CHARGE_RECLAIM_NO_SWAP;
    }

    /** nomem: -ENOMEM, unless __GFP_NOFAIL or __GFP_HIGH turn it into a force charge. */
    private boolean nomem(MemCgroup memcg, int nrPages, int gfp, ChargeRequest req, Nomem why) {
        if (Gfp.has(gfp, Gfp.NOFAIL) || Gfp.has(gfp, Gfp.HIGH)) {
            m.charging().forceCharge(memcg, nrPages);
            m.trace.add(
                    TracePoints.FORCE_CHARGE,
                    memcg,
                    "try_charge_memcg " + memcg.path() + ": force charge (" + why.text + ", "
                            + (Gfp.has(gfp, Gfp.NOFAIL) ? "__GFP_NOFAIL" : "__GFP_HIGH") + ")",
                    new String[] {"pages"},
                    nrPages);
            return true;
        }
        m.trace.count(
                why.enomem,
                memcg,
                "try_charge_memcg " + memcg.path() + ": -ENOMEM (" + why.text + ", "
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
            boolean swapHigh = c.swap.usage() > c.swapHigh;
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
    boolean memCgroupOom(MemCgroup memcg, int gfp, int order, LimitKind limit, ChargeRequest req) {
        if (order > PAGE_ALLOC_COSTLY_ORDER) {
            return false;
        }
        m.memcgMemoryEvent(memcg, MemoryEvent.OOM);
        if (memcg.oomKillDisable) {
            if (req.userFault() && req.current() != null) {
                req.current().memcgInOom = memcg;
                m.trace.count(
                        TracePoints.OOM_KILL_DISABLE_WAIT,
                        memcg,
                        "mem_cgroup_oom " + memcg.path() + ": oom_kill_disable, "
                                + req.current().comm() + " will wait in mem_cgroup_oom_synchronize");
            }
            return false;
        }
        return oomKill.memCgroupOutOfMemory(memcg, gfp, order, limit, req.current());
    }
}
