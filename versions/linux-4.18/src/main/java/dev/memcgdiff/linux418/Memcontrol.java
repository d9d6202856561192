package dev.memcgdiff.linux418;

import dev.memcgdiff.kernel.ChargeRequest;
import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.ChargeStock;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.Knob;

/**
 * mm/memcontrol.c of RHEL 8.1 (4.18.0-147.el8): try_charge with its stock, reclaim, retries and
 * the synchronous memcg OOM RHEL backported from 4.19; the limit writes; memory.high on return
 * to user space; memory.events counted on the memcg only.
 */
final class Memcontrol {
    /** MEM_CGROUP_RECLAIM_RETRIES. */
    static final int MEM_CGROUP_RECLAIM_RETRIES = 5;
    /** PAGE_ALLOC_COSTLY_ORDER. */
    static final int PAGE_ALLOC_COSTLY_ORDER = 3;
    /** The kernel would retry a charge whose OOM kills free nothing forever; the model stops here. */
    private static final int MAX_OOM_ROUNDS = 64;

    private final Machine m;
    private Vmscan vmscan;
    private OomKill oomKill;

    Memcontrol(Machine m) {
        this.m = m;
    }

    void wire(Vmscan vmscan, OomKill oomKill) {
        this.vmscan = vmscan;
        this.oomKill = oomKill;
    }

    /** enum oom_status (4.19 backport). */
    enum OomStatus { SUCCESS, FAILED, ASYNC, SKIPPED }

    /** memcg_memory_event (4.18): the event is counted on this memcg only, no propagation. */
    void memcgMemoryEvent(MemCgroup memcg, MemoryEvent event) {
        memcg.raiseMemoryEvent(event, false);
    }

    /** mem_cgroup_margin: room under memory (and, with memsw accounting, memsw) max. */
    long margin(MemCgroup memcg) {
        long margin = memcg.memory.margin();
        if (m.memswCharged()) {
            margin = Math.min(margin, memcg.memsw.margin());
        }
        return margin;
    }

    /** try_charge (mm/memcontrol.c, 4.18.0-147). */
    boolean tryCharge(ChargeRequest req) {
        MemCgroup memcg = req.memcg();
        int nr = req.nrPages();
        Task current = req.current();
        if (memcg.isRoot()) {
            return true;
        }
        int batch = Math.max(ChargeStock.CHARGE_BATCH, nr);
        int retries = MEM_CGROUP_RECLAIM_RETRIES;
        boolean maySwap = true;
        boolean drained = false;
        boolean oomed = false;
        int oomRounds = 0;
        while (true) {
            if (m.stock.consume(memcg, nr)) {
                return true;
            }
            MemCgroup overLimit;
            String limit;
            PageCounter failed = m.memswCharged() ? memcg.memsw.tryCharge(batch) : null;
            if (failed == null) {
                failed = memcg.memory.tryCharge(batch);
                if (failed == null) {
                    doneRestock(memcg, nr, batch, current);
                    return true;
                }
                if (m.memswCharged()) {
                    memcg.memsw.uncharge(batch);
                }
                overLimit = failed.owner();
                limit = "memory";
            } else {
                overLimit = failed.owner();
                limit = "memsw";
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
            memcgMemoryEvent(overLimit, MemoryEvent.MAX);
            long reclaimed = vmscan.tryToFreeMemCgroupPages(overLimit, nr, req.gfp(), maySwap);
            m.trace.add("try_charge " + memcg.path() + ": " + limit + " limit of " + overLimit.path()
                + " hit, try_to_free_mem_cgroup_pages(" + overLimit.path() + ", may_swap=" + (maySwap ? 1 : 0) + ")",
                new String[] {"reclaimed"}, reclaimed);
            if (margin(overLimit) >= nr) {
                continue;
            }
            if (!drained) {
                m.stock.drainSubtree(overLimit);
                drained = true;
                continue;
            }
            if (Gfp.has(req.gfp(), Gfp.NORETRY)) {
                m.trace.count("try_charge " + memcg.path() + ": __GFP_NORETRY charge fails with -ENOMEM ("
                    + req.purpose().name().toLowerCase(java.util.Locale.ROOT) + ")");
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
                m.trace.count("try_charge " + memcg.path() + ": OOM killer freed nothing " + MAX_OOM_ROUNDS
                    + " times, the model gives up the charge");
                return false;
            }
            memcgMemoryEvent(overLimit, MemoryEvent.OOM);
            OomStatus status = memCgroupOom(overLimit, req, order(nr), limit);
            m.trace.count("try_charge " + memcg.path() + ": mem_cgroup_oom(" + overLimit.path() + ") = OOM_" + status);
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

    private static int order(int nr) {
        int order = 0;
        while ((1 << order) < nr) {
            order++;
        }
        return order;
    }

    /** try_charge's nomem label: -ENOMEM, except that a __GFP_NOFAIL charge is forced. */
    private boolean nomem(ChargeRequest req) {
        if (Gfp.has(req.gfp(), Gfp.NOFAIL)) {
            return force(req.memcg(), req.nrPages(), "__GFP_NOFAIL");
        }
        return false;
    }

    private boolean force(MemCgroup memcg, int nr, String why) {
        m.charging().forceCharge(memcg, nr);
        m.trace.add("try_charge " + memcg.path() + ": force charge (" + why + ")", new String[] {"pages"}, nr);
        return true;
    }

    /** done_restock: keep the rest of the batch in the stock; note memory.high excess for return to user. */
    private void doneRestock(MemCgroup memcg, int nr, int batch, Task current) {
        if (batch > nr) {
            m.stock.refill(memcg, batch - nr);
        }
        for (MemCgroup c = memcg; c != null; c = parentOf(c)) {
            if (c.memory.usage() > c.memory.high()) {
                if (current != null) {
                    current.nrPagesOverHigh += batch;
                }
                break;
            }
        }
    }

    /** parent_mem_cgroup: the owner of the memory counter's parent (null without hierarchy). */
    static MemCgroup parentOf(MemCgroup c) {
        PageCounter p = c.memory.parent();
        return p == null ? null : p.owner();
    }

    /** mem_cgroup_oom (4.19 backport in RHEL 8.1). */
    private OomStatus memCgroupOom(MemCgroup memcg, ChargeRequest req, int order, String limit) {
        if (order > PAGE_ALLOC_COSTLY_ORDER) {
            return OomStatus.SKIPPED;
        }
        if (memcg.oomKillDisable) {
            if (!req.userFault() || req.current() == null) {
                return OomStatus.SKIPPED;
            }
            req.current().memcgInOom = memcg;
            return OomStatus.ASYNC;
        }
        return oomKill.memCgroupOutOfMemory(memcg, req.gfp(), order, limit, req) ? OomStatus.SUCCESS
            : OomStatus.FAILED;
    }

    /**
     * mem_cgroup_handle_over_high on return to user space: reclaim_high walks from the task's
     * memcg to the root and reclaims the accumulated pages at each level over memory.high.
     * 4.18 does not throttle.
     */
    void handleOverHigh(Task t) {
        long nr = t.nrPagesOverHigh;
        if (nr == 0) {
            return;
        }
        t.nrPagesOverHigh = 0;
        for (MemCgroup c = t.memcg(); c != null; c = parentOf(c)) {
            if (c.memory.usage() <= c.memory.high()) {
                continue;
            }
            memcgMemoryEvent(c, MemoryEvent.HIGH);
            vmscan.tryToFreeMemCgroupPages(c, nr, Gfp.GFP_KERNEL, true);
        }
    }

    /**
     * mem_cgroup_oom_synchronize at the end of a fault that recorded memcg_in_oom (v1
     * oom_kill_disable): the task sleeps until the OOM is resolved by someone else.
     *
     * @return false: nothing in the model can wake it
     */
    boolean oomSynchronize(Task t) {
        MemCgroup memcg = t.memcgInOom;
        t.memcgInOom = null;
        if (memcg == null) {
            return true;
        }
        memcg.underOom++;
        m.trace.count("mem_cgroup_oom_synchronize: " + t.comm() + " sleeps under_oom in " + memcg.path()
            + " (oom_kill_disable)");
        return margin(memcg) > 0;
    }

    // ---------------------------------------------------------------- knob writes

    KnobWrite write(MemCgroup memcg, Knob knob) {
        // page_counter_memparse: bytes to pages, rounded down.
        long pages = knob.isMax() ? PageCounter.MAX : Math.min(PageCounter.MAX, knob.value() / 4096);
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
        PageCounter counter = memsw ? memcg.memsw : memcg.memory;
        boolean drained = false;
        while (!counter.setMax(max)) {
            if (!drained) {
                m.stock.drainSubtree(memcg);
                drained = true;
                continue;
            }
            if (vmscan.tryToFreeMemCgroupPages(memcg, 1, Gfp.GFP_KERNEL, !memsw) == 0) {
                return KnobWrite.EBUSY;
            }
        }
        return KnobWrite.OK;
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
            case "memory.low":
                memcg.memory.setLow(pages);
                return KnobWrite.OK;
            case "memory.min":
                memcg.memory.setMin(pages);
                return KnobWrite.OK;
            case "memory.swap.max":
                memcg.swap.forceMax(pages);
                return KnobWrite.OK;
            case "memory.oom.group":
                memcg.oomGroup = knob.value() != 0;
                return KnobWrite.OK;
            default:
                return KnobWrite.EINVAL;
        }
    }

    /** memory_max_write: set, then reclaim down to it, then OOM-kill until it fits or nothing is left. */
    private KnobWrite memoryMaxWrite(MemCgroup memcg, long max) {
        memcg.memory.forceMax(max);
        boolean drained = false;
        int reclaims = MEM_CGROUP_RECLAIM_RETRIES;
        while (true) {
            long usage = memcg.memory.usage();
            if (usage <= max) {
                break;
            }
            if (!drained) {
                m.stock.drainSubtree(memcg);
                drained = true;
                continue;
            }
            if (reclaims > 0) {
                if (vmscan.tryToFreeMemCgroupPages(memcg, usage - max, Gfp.GFP_KERNEL, true) == 0) {
                    reclaims--;
                }
                continue;
            }
            memcgMemoryEvent(memcg, MemoryEvent.OOM);
            if (!oomKill.memCgroupOutOfMemory(memcg, Gfp.GFP_KERNEL, 0, "memory", null)) {
                break;
            }
        }
        return KnobWrite.OK;
    }
}
