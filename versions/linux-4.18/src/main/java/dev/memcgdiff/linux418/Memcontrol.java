package dev.memcgdiff.linux418;

import static dev.memcgdiff.mm.PageOrder.PAGE_ALLOC_COSTLY_ORDER;
import static dev.memcgdiff.mm.vmscan.VmscanConstants.MEM_CGROUP_RECLAIM_RETRIES;

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
import dev.memcgdiff.mm.memcg.MemcgRoom;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.OverLimit;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.scenario.CgroupInterface;
import java.util.Locale;

/**
 * mm/memcontrol.c of RHEL 8.1 (4.18.0-147.el8): a new memcg's defaults, try_charge with its stock,
 * reclaim, retries and the synchronous memcg OOM RHEL backported from 4.19, and memory.high on
 * return to user space. memory.events are counted on the memcg only (the machine's
 * memcg_memory_event, by this kernel's traits).
 */
final class Memcontrol implements MemcgOps {
    /** The kernel would retry a charge whose OOM kills free nothing forever; the model stops here. */
    private static final int MAX_OOM_ROUNDS = 64;

    private final Machine m;
    private final Vmscan vmscan;
    private final OomKill oomKill;
    private final MemcgOom memcgOom;

    Memcontrol(Machine m, Vmscan vmscan, OomKill oomKill, MemcgOom memcgOom) {
        this.m = m;
        this.vmscan = vmscan;
        this.oomKill = oomKill;
        this.memcgOom = memcgOom;
    }

    /** enum oom_status (4.19 backport). */
    enum OomStatus {
        SUCCESS,
        FAILED,
        ASYNC,
        SKIPPED
    }

    /** mem_cgroup_css_alloc: v1 children link to the parent only when it uses hierarchy; v2 always. */
    @Override
    public boolean linksToParent(MemCgroup parent) {
        return m.cgroupInterface == CgroupInterface.V2 || parent.useHierarchy;
    }

    /**
     * mem_cgroup_css_alloc: use_hierarchy, swappiness (mem_cgroup_swappiness of the parent) and
     * oom_kill_disable come from the parent; the root has vm.swappiness.
     */
    @Override
    public void cgroupCreated(MemCgroup memcg) {
        MemCgroup parent = memcg.parent();
        if (parent == null) {
            memcg.useHierarchy = m.cgroupInterface == CgroupInterface.V2;
            memcg.swappiness = m.vmSwappiness;
            return;
        }
        memcg.useHierarchy = parent.useHierarchy || m.cgroupInterface == CgroupInterface.V2;
        memcg.swappiness = Swappiness.memCgroupSwappiness(m, parent);
        memcg.oomKillDisable = parent.oomKillDisable;
    }

    /** try_charge (mm/memcontrol.c, 4.18.0-147). The page is always committed to the memcg asked for. */
    @Override
    public ChargeResult tryCharge(ChargeRequest req) {
        MemCgroup memcg = req.memcg();
        int nr = req.nrPages();
        Task current = req.current();
        if (memcg.isRoot()) {
            return ChargeResult.charged(memcg);
        }
        int batch = Math.max(ChargeStock.CHARGE_BATCH, nr);
        int retries = MEM_CGROUP_RECLAIM_RETRIES;
        boolean maySwap = true;
        boolean drained = false;
        boolean oomed = false;
        int oomRounds = 0;
        while (true) {
            if (m.stock.consume(memcg, nr)) {
                return ChargeResult.charged(memcg);
            }
            OverLimit over = OverLimit.tryCharge(m, memcg, batch);
            if (over == null) {
                doneRestock(memcg, nr, batch, current);
                return ChargeResult.charged(memcg);
            }
            MemCgroup overLimit = over.memcg();
            LimitKind limit = over.limit();
            if (limit == LimitKind.MEMSW) {
                maySwap = false;
            }
            if (batch > nr) {
                batch = nr;
                continue;
            }
            if (current != null && current.oomVictim) {
                return force(memcg, nr, "tsk_is_oom_victim");
            }
            if (current != null && current.memcgInOom != null) {
                return nomem(req);
            }
            if (!Gfp.has(req.gfp(), Gfp.DIRECT_RECLAIM)) {
                return nomem(req);
            }
            m.memcgMemoryEvent(overLimit, MemoryEvent.MAX);
            long reclaimed = vmscan.tryToFreeMemCgroupPages(overLimit, nr, req.gfp(), maySwap);
            m.trace.add(
                    limitReclaimPoint(limit, maySwap),
                    overLimit,
                    "try_charge " + memcg.path() + ": "
                            + limit.text() + " limit of " + overLimit.path() + " hit, try_to_free_mem_cgroup_pages("
                            + overLimit.path() + ", may_swap=" + (maySwap ? 1 : 0) + ")",
                    new String[] {"reclaimed"},
                    reclaimed);
            if (MemcgRoom.margin(m, overLimit) >= nr) {
                continue;
            }
            if (!drained) {
                m.stock.drainSubtree(overLimit);
                drained = true;
                continue;
            }
            if (Gfp.has(req.gfp(), Gfp.NORETRY)) {
                m.trace.count(
                        TracePoints.CHARGE_NORETRY_FAILS,
                        memcg,
                        "try_charge " + memcg.path()
                                + ": __GFP_NORETRY charge fails with -ENOMEM ("
                                + req.purpose().name().toLowerCase(Locale.ROOT)
                                + ")");
                return nomem(req);
            }
            if (reclaimed > 0 && nr <= (1 << PAGE_ALLOC_COSTLY_ORDER)) {
                continue;
            }
            if (retries-- > 0) {
                continue;
            }
            if (Gfp.has(req.gfp(), Gfp.RETRY_MAYFAIL) && oomed) {
                return nomem(req);
            }
            if (Gfp.has(req.gfp(), Gfp.NOFAIL)) {
                return force(memcg, nr, "__GFP_NOFAIL");
            }
            if (++oomRounds > MAX_OOM_ROUNDS) {
                m.trace.count(
                        TracePoints.CHARGE_OOM_ROUNDS_EXHAUSTED,
                        memcg,
                        "try_charge " + memcg.path() + ": OOM killer freed nothing " + MAX_OOM_ROUNDS
                                + " times, the model gives up the charge");
                return ChargeResult.FAILED;
            }
            m.memcgMemoryEvent(overLimit, MemoryEvent.OOM);
            OomStatus status = memCgroupOom(overLimit, req, PageOrder.ofPages(nr), limit);
            m.trace.count(
                    oomStatusPoint(status),
                    overLimit,
                    "try_charge " + memcg.path() + ": mem_cgroup_oom(" + overLimit.path() + ") = OOM_" + status);
            switch (status) {
                case SUCCESS -> {
                    retries = MEM_CGROUP_RECLAIM_RETRIES;
                    oomed = true;
                }
                case FAILED -> {
                    return force(memcg, nr, "OOM_FAILED");
                }
                default -> {
                    return nomem(req);
                }
            }
        }
    }

    /** Which limit reclaim try_charge runs: the counter that failed, and whether it may swap. */
    private static TracePoint limitReclaimPoint(LimitKind limit, boolean maySwap) {
        if (limit == LimitKind.MEMSW) {
            return TracePoints.CHARGE_RECLAIM_MEMSW;
        }
        return maySwap ? TracePoints.CHARGE_RECLAIM_MEMORY : TracePoints.CHARGE_RECLAIM_MEMORY_NOSWAP;
    }

    private static TracePoint oomStatusPoint(OomStatus status) {
        return switch (status) {
            case SUCCESS -> TracePoints.MEM_CGROUP_OOM_SUCCESS;
            case FAILED -> TracePoints.MEM_CGROUP_OOM_FAILED;
            case ASYNC -> TracePoints.MEM_CGROUP_OOM_ASYNC;
            case SKIPPED -> TracePoints.MEM_CGROUP_OOM_SKIPPED;
        };
    }

    /** try_charge's nomem label: -ENOMEM, except that a __GFP_NOFAIL charge is forced. */
    private ChargeResult nomem(ChargeRequest req) {
        if (Gfp.has(req.gfp(), Gfp.NOFAIL)) {
            return force(req.memcg(), req.nrPages(), "__GFP_NOFAIL");
        }
        return ChargeResult.FAILED;
    }

    private ChargeResult force(MemCgroup memcg, int nr, String why) {
        m.charging().forceCharge(memcg, nr);
        m.trace.add(
                TracePoints.FORCE_CHARGE,
                memcg,
                "try_charge " + memcg.path() + ": force charge (" + why + ")",
                new String[] {"pages"},
                nr);
        return ChargeResult.charged(memcg);
    }

    /** done_restock: keep the rest of the batch in the stock; note memory.high excess for return to user. */
    private void doneRestock(MemCgroup memcg, int nr, int batch, Task current) {
        if (batch > nr) {
            m.stock.refill(memcg, batch - nr);
        }
        for (MemCgroup c = memcg; c != null; c = MemcgCounters.parentOf(c)) {
            if (c.memory.usage() > c.memory.high()) {
                if (current != null) {
                    current.nrPagesOverHigh += batch;
                }
                break;
            }
        }
    }

    /** mem_cgroup_oom (4.19 backport in RHEL 8.1). */
    private OomStatus memCgroupOom(MemCgroup memcg, ChargeRequest req, int order, LimitKind limit) {
        if (order > PAGE_ALLOC_COSTLY_ORDER) {
            return OomStatus.SKIPPED;
        }
        if (memcg.oomKillDisable) {
            if (!req.userFault() || req.current() == null) {
                return OomStatus.SKIPPED;
            }
            memcgOom.record(req.current(), memcg, req.gfp(), order, limit);
            return OomStatus.ASYNC;
        }
        return oomKill.memCgroupOutOfMemory(memcg, req.gfp(), order, limit) ? OomStatus.SUCCESS : OomStatus.FAILED;
    }

    /**
     * mem_cgroup_handle_over_high on return to user space: reclaim_high walks from the task's
     * memcg to the root and reclaims the accumulated pages at each level over memory.high.
     * 4.18 does not throttle.
     */
    @Override
    public void returnToUser(Task t) {
        long nr = t.nrPagesOverHigh;
        if (nr == 0) {
            return;
        }
        t.nrPagesOverHigh = 0;
        for (MemCgroup c = t.memcg(); c != null; c = MemcgCounters.parentOf(c)) {
            if (c.memory.usage() <= c.memory.high()) {
                continue;
            }
            m.memcgMemoryEvent(c, MemoryEvent.HIGH);
            vmscan.tryToFreeMemCgroupPages(c, nr, Gfp.GFP_KERNEL, true);
        }
    }
}
