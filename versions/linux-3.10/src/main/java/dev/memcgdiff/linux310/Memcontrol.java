package dev.memcgdiff.linux310;

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
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.vmscan.VmscanConstants;
import java.util.BitSet;
import java.util.Locale;

/**
 * The charge path of mm/memcontrol.c in 3.10.0-1160: __mem_cgroup_try_charge with its stock and
 * retry loop, mem_cgroup_do_charge (memory first, then memsw), mem_cgroup_reclaim and
 * mem_cgroup_margin, mem_cgroup_css_online's inheritance, and the swap-out uncharge's memcg_oom_recover.
 * A charge that runs out of retries inside a user page fault only records the OOM
 * (mem_cgroup_oom); the kill happens at the end of the fault ({@link MemcgOom}).
 */
final class Memcontrol implements MemcgOps {
    /** MEM_CGROUP_MAX_RECLAIM_LOOPS. */
    static final int MEM_CGROUP_MAX_RECLAIM_LOOPS = 100;
    /**
     * CHARGE_RETRY has no bound in the kernel while reclaim keeps freeing pages; the model stops a
     * charge that retried this often and calls it a failure, saying so in the trace.
     */
    private static final int MODEL_RETRY_LIMIT = 100_000;

    /** The outcomes of mem_cgroup_do_charge. */
    enum Charge {
        OK,
        RETRY,
        NOMEM,
        WOULDBLOCK
    }

    private final Machine m;
    private final Swappiness swappiness;
    private final Vmscan vmscan;
    private final MemcgOom oom;
    /** memcg->memsw_is_minimum, by memcg id: set when a resize made memory.limit equal memsw.limit. */
    private final BitSet memswIsMinimum = new BitSet();

    Memcontrol(Machine m, Swappiness swappiness, Vmscan vmscan, MemcgOom oom) {
        this.m = m;
        this.swappiness = swappiness;
        this.vmscan = vmscan;
        this.oom = oom;
    }

    /** mem_cgroup_css_online: a child charges its parent only when the parent has use_hierarchy=1. */
    @Override
    public boolean linksToParent(MemCgroup parent) {
        return parent.useHierarchy;
    }

    /**
     * mem_cgroup_css_online: use_hierarchy, oom_kill_disable and swappiness come from the parent;
     * root's use_hierarchy is 0 (no sane_behavior mount).
     */
    @Override
    public void cgroupCreated(MemCgroup memcg) {
        MemCgroup parent = memcg.parent();
        if (parent == null) {
            memcg.useHierarchy = false;
            memcg.swappiness = swappiness.vm();
            return;
        }
        memcg.useHierarchy = parent.useHierarchy;
        memcg.oomKillDisable = parent.oomKillDisable;
        memcg.swappiness = swappiness.of(parent);
    }

    /**
     * mm/memcontrol.c:mem_cgroup_uncharge_swapcache (3.10.0-1160): a swapped-out page is uncharged
     * through __mem_cgroup_uncharge_common like any other, inside shrink_page_list's uncharge batch,
     * so mem_cgroup_uncharge_end calls memcg_oom_recover.
     */
    @Override
    public void swappedOut(MemCgroup memcg) {
        m.memcgOomWaitq.recover(memcg);
    }

    /** handle_mm_fault's end without VM_FAULT_OOM: mem_cgroup_oom_synchronize(false) drops a recorded OOM. */
    @Override
    public void returnToUser(Task task) {
        oom.forget(task);
    }

    void setMemswIsMinimum(MemCgroup memcg, boolean value) {
        memswIsMinimum.set(memcg.id(), value);
    }

    /** mem_cgroup_margin: room under memory.limit and, with swap accounting, memsw.limit; this memcg only. */
    long margin(MemCgroup memcg) {
        long margin = memcg.memory.margin();
        if (m.memswCharged() && memcg.memsw.usage() <= memcg.memsw.max()) {
            margin = Math.min(margin, memcg.memsw.max() - memcg.memsw.usage());
        }
        return margin;
    }

    /**
     * __mem_cgroup_try_charge (3.10.0-1160). The
     * OOM killer is allowed (oom=true) except for a THP charge (mem_cgroup_charge_common) and
     * __GFP_NOFAIL.
     */
    @Override
    public ChargeResult tryCharge(ChargeRequest req) {
        MemCgroup memcg = req.memcg();
        int nr = req.nrPages();
        Task current = req.current();
        int gfp = chargeGfp(req);
        boolean oomAllowed = req.purpose() != ChargeRequest.Purpose.THP && !Gfp.has(gfp, Gfp.NOFAIL);
        if (current != null && current.oomVictim) {
            return bypass(req, TracePoints.BYPASS_TIF_MEMDIE, "TIF_MEMDIE");
        }
        if (current != null && current.memcgInOom != null) {
            m.trace.count(
                    TracePoints.TASK_IN_MEMCG_OOM,
                    memcg,
                    "__mem_cgroup_try_charge " + memcg.path() + ": task_in_memcg_oom, -ENOMEM at once");
            return ChargeResult.FAILED;
        }
        if (memcg.isRoot()) {
            return ChargeResult.charged(memcg);
        }
        int batch = Math.max(ChargeStock.CHARGE_BATCH, nr);
        int nrOomRetries = VmscanConstants.MEM_CGROUP_RECLAIM_RETRIES;
        int rounds = 0;
        again:
        while (true) {
            if (m.stock.consume(memcg, nr)) {
                return ChargeResult.charged(memcg);
            }
            while (true) {
                if (++rounds > MODEL_RETRY_LIMIT) {
                    m.trace.count(
                            TracePoints.MODEL_RETRY_LIMIT,
                            memcg,
                            "__mem_cgroup_try_charge " + memcg.path() + ": CHARGE_RETRY " + MODEL_RETRY_LIMIT
                                    + " times, the model gives up the charge");
                    return ChargeResult.FAILED;
                }
                boolean invokeOom = oomAllowed && nrOomRetries == 0;
                Charge ret = doCharge(memcg, gfp, batch, nr, invokeOom, req);
                switch (ret) {
                    case OK -> {
                        if (batch > nr) {
                            m.stock.refill(memcg, batch - nr);
                        }
                        return ChargeResult.charged(memcg);
                    }
                    case RETRY -> {
                        batch = nr;
                        continue again;
                    }
                    case WOULDBLOCK -> {
                        return nomem(memcg, gfp, req, TracePoints.ENOMEM_WOULDBLOCK);
                    }
                    case NOMEM -> {
                        if (!oomAllowed) {
                            return nomem(memcg, gfp, req, TracePoints.ENOMEM_NO_OOM);
                        }
                        if (invokeOom) {
                            return nomem(memcg, gfp, req, TracePoints.ENOMEM_OOM_RETRIES_DONE);
                        }
                        nrOomRetries--;
                    }
                }
            }
        }
    }

    /**
     * The gfp a charge runs with. Readahead pages are charged by read_pages / mpage_readpages with
     * GFP_KERNEL: only their allocation carries __GFP_NORETRY, so 3.10 readahead charges reclaim.
     */
    private static int chargeGfp(ChargeRequest req) {
        int gfp = req.gfp();
        if (req.purpose() == ChargeRequest.Purpose.CACHE && Gfp.has(gfp, Gfp.NORETRY) && Gfp.has(gfp, Gfp.NOWARN)) {
            return Gfp.GFP_KERNEL;
        }
        return gfp;
    }

    /** The nomem label: -ENOMEM, except that __GFP_NOFAIL bypasses. {@code why} says which way it got here. */
    private ChargeResult nomem(MemCgroup memcg, int gfp, ChargeRequest req, TracePoint why) {
        if (Gfp.has(gfp, Gfp.NOFAIL)) {
            return bypass(req, TracePoints.BYPASS_NOFAIL, "__GFP_NOFAIL");
        }
        m.trace.count(
                why,
                memcg,
                "__mem_cgroup_try_charge " + memcg.path() + ": -ENOMEM ("
                        + req.purpose().name().toLowerCase(Locale.ROOT) + ")");
        return ChargeResult.FAILED;
    }

    /**
     * The bypass: *ptr = root_mem_cgroup and -EINTR, which mem_cgroup_charge_common and the
     * swap-in charge treat as success: the page is committed to the root cgroup and no counter is
     * charged, the requested memcg's limit included.
     */
    private ChargeResult bypass(ChargeRequest req, TracePoint point, String why) {
        if (!req.memcg().isRoot()) {
            m.trace.add(
                    point,
                    req.memcg(),
                    "__mem_cgroup_try_charge " + req.memcg().path() + ": bypass (" + why
                            + "), the page goes to the root cgroup uncharged",
                    new String[] {"pages"},
                    req.nrPages());
        }
        return ChargeResult.charged(m.root());
    }

    /** mem_cgroup_do_charge (3.10.0-1160): memory counter first, then memsw. */
    private Charge doCharge(MemCgroup memcg, int gfp, int nrPages, int minPages, boolean invokeOom, ChargeRequest req) {
        MemCgroup overLimit;
        boolean noswap = false;
        LimitKind limit;
        PageCounter failed = memcg.memory.tryCharge(nrPages);
        if (failed == null) {
            if (!m.memswCharged()) {
                return Charge.OK;
            }
            failed = memcg.memsw.tryCharge(nrPages);
            if (failed == null) {
                return Charge.OK;
            }
            memcg.memory.uncharge(nrPages);
            overLimit = failed.owner();
            noswap = true;
            limit = LimitKind.MEMSW;
        } else {
            overLimit = failed.owner();
            limit = LimitKind.MEMORY;
        }
        if (nrPages > minPages) {
            return Charge.RETRY;
        }
        if (!Gfp.has(gfp, Gfp.DIRECT_RECLAIM)) {
            return Charge.WOULDBLOCK;
        }
        if (Gfp.has(gfp, Gfp.NORETRY)) {
            return Charge.NOMEM;
        }
        long reclaimed = memCgroupReclaim(overLimit, gfp, noswap, false);
        m.trace.add(
                noswap ? TracePoints.MEMSW_LIMIT_RECLAIM_NOSWAP : TracePoints.MEMORY_LIMIT_RECLAIM,
                memcg,
                "mem_cgroup_do_charge " + memcg.path() + ": " + limit.text() + " limit of " + overLimit.path()
                        + " hit, mem_cgroup_reclaim(" + overLimit.path() + (noswap ? ", NOSWAP" : "") + ")",
                new String[] {"reclaimed"},
                reclaimed);
        if (margin(overLimit) >= nrPages) {
            return Charge.RETRY;
        }
        if (nrPages <= (1 << PageOrder.PAGE_ALLOC_COSTLY_ORDER) && reclaimed > 0) {
            return Charge.RETRY;
        }
        if (invokeOom) {
            oom.memCgroupOom(overLimit, gfp, PageOrder.ofPages(nrPages), limit, req, mayOom(req));
        }
        return Charge.NOMEM;
    }

    /** current->memcg_oom.may_oom: set by handle_mm_fault around a user fault (readahead inside it included). */
    private static boolean mayOom(ChargeRequest req) {
        return req.current() != null && req.userFault();
    }

    /**
     * mem_cgroup_reclaim: up to 100 rounds of try_to_free_mem_cgroup_pages, draining the stock
     * from the second round; stop at any margin, after two rounds that freed nothing, or (resize)
     * at the first progress. memsw_is_minimum makes charge reclaim NOSWAP.
     */
    long memCgroupReclaim(MemCgroup memcg, int gfp, boolean noswapFlag, boolean shrink) {
        boolean noswap = noswapFlag || (!shrink && memswIsMinimum.get(memcg.id()));
        long total = 0;
        for (int loop = 0; loop < MEM_CGROUP_MAX_RECLAIM_LOOPS; loop++) {
            if (loop > 0) {
                m.stock.drainSubtree(memcg);
            }
            total += vmscan.tryToFreeMemCgroupPages(memcg, gfp, noswap);
            if (total > 0 && shrink) {
                break;
            }
            if (margin(memcg) > 0) {
                break;
            }
            if (loop > 0 && total == 0) {
                break;
            }
        }
        return total;
    }
}
