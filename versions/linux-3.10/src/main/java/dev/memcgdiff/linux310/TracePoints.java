package dev.memcgdiff.linux310;

import dev.memcgdiff.mm.TracePoint;

/**
 * The decisions 3.10.0-1160's own code records in the trace, one point per kind of decision. Each
 * event's memcg is the one the decision is about (the memcg being charged, the lruvec's memcg, the
 * OOM's memcg), or null for a host-wide decision. The shared model's points are in
 * {@link dev.memcgdiff.mm.TracePoints}.
 */
final class TracePoints {
    private TracePoints() {}

    // ---------------------------------------------------------------- __mem_cgroup_try_charge

    /** A TIF_MEMDIE task's charge is bypassed: the page goes to root_mem_cgroup uncharged. Number: pages. */
    static final TracePoint BYPASS_TIF_MEMDIE = new TracePoint("__mem_cgroup_try_charge", "bypass (TIF_MEMDIE)");
    /** A __GFP_NOFAIL charge that could not be charged is bypassed to root_mem_cgroup. Number: pages. */
    static final TracePoint BYPASS_NOFAIL = new TracePoint("__mem_cgroup_try_charge", "bypass (__GFP_NOFAIL)");
    /** The task already recorded a memcg OOM in this fault: the charge fails at once. */
    static final TracePoint TASK_IN_MEMCG_OOM = new TracePoint("__mem_cgroup_try_charge", "task_in_memcg_oom");
    /** mem_cgroup_do_charge said CHARGE_WOULDBLOCK (no __GFP_WAIT): -ENOMEM without reclaim. */
    static final TracePoint ENOMEM_WOULDBLOCK =
            new TracePoint("__mem_cgroup_try_charge", "-ENOMEM (CHARGE_WOULDBLOCK)");
    /** A charge that may not OOM (oom=false: the THP charge of mem_cgroup_charge_common) ran out of room. */
    static final TracePoint ENOMEM_NO_OOM = new TracePoint("__mem_cgroup_try_charge", "-ENOMEM (oom=false)");
    /** A charge that may OOM failed its last retry (after mem_cgroup_oom, or a __GFP_NORETRY charge). */
    static final TracePoint ENOMEM_OOM_RETRIES_DONE =
            new TracePoint("__mem_cgroup_try_charge", "-ENOMEM (OOM retries done)");
    /** The model's bound on CHARGE_RETRY: it gives the charge up (the kernel would loop on). */
    static final TracePoint MODEL_RETRY_LIMIT = new TracePoint("__mem_cgroup_try_charge", "model retry limit");

    // ---------------------------------------------------------------- mem_cgroup_do_charge

    /** The memory counter of the memcg or an ancestor was full: mem_cgroup_reclaim of it. Number: reclaimed. */
    static final TracePoint MEMORY_LIMIT_RECLAIM =
            new TracePoint("mem_cgroup_do_charge", "memory limit hit, mem_cgroup_reclaim");
    /** The memsw counter was full: mem_cgroup_reclaim with NOSWAP. Number: reclaimed. */
    static final TracePoint MEMSW_LIMIT_RECLAIM_NOSWAP =
            new TracePoint("mem_cgroup_do_charge", "memsw limit hit, mem_cgroup_reclaim NOSWAP");

    // ---------------------------------------------------------------- the deferred memcg OOM

    /** mem_cgroup_oom outside a user fault (memcg_oom.may_oom clear): no OOM, the charge gets -ENOMEM. */
    static final TracePoint OOM_NOT_IN_USER_FAULT = new TracePoint("mem_cgroup_oom", "not in a user fault");
    /** mem_cgroup_oom records the OOM in current->memcg_oom, handled at the end of the fault. */
    static final TracePoint OOM_RECORDED = new TracePoint("mem_cgroup_oom", "recorded");
    // mem_cgroup_oom_synchronize's sleep and wake-ups are the shared model's
    // (dev.memcgdiff.mm.TracePoints.MEMCG_OOM_SLEEPS_DISABLED, _LOCKED, MEMCG_OOM_WOKEN)

    // ---------------------------------------------------------------- the OOM killer

    /** mem_cgroup_out_of_memory: a TIF_MEMDIE task is still exiting, no new kill. */
    static final TracePoint MEMCG_OOM_VICTIM_EXITING = new TracePoint("mem_cgroup_out_of_memory", "victim exiting");
    /** mem_cgroup_out_of_memory: no task in the subtree can be killed. */
    static final TracePoint MEMCG_OOM_NO_VICTIM = new TracePoint("mem_cgroup_out_of_memory", "no killable task");
    /** out_of_memory: a TIF_MEMDIE task is still exiting, no new kill. */
    static final TracePoint GLOBAL_OOM_VICTIM_EXITING = new TracePoint("out_of_memory", "victim exiting");
    /** oom_kill_process killed a task; the memcg is the OOM's (null for the global OOM killer). */
    static final TracePoint OOM_KILL_PROCESS = new TracePoint("oom_kill_process", "killed");

    // ---------------------------------------------------------------- reclaim

    /** try_to_free_pages: one round of global direct reclaim. Number: progress. */
    static final TracePoint TRY_TO_FREE_PAGES = new TracePoint("try_to_free_pages", "global direct reclaim");
    /** shrink_lruvec under a memcg's limit reclaim (the memcg is the lruvec's). Numbers: scans and reclaims. */
    static final TracePoint SHRINK_LRUVEC_LIMIT = new TracePoint("shrink_lruvec", "limit reclaim");
    /** shrink_lruvec for global direct reclaim. */
    static final TracePoint SHRINK_LRUVEC_GLOBAL = new TracePoint("shrink_lruvec", "global direct reclaim");
    /** shrink_lruvec for kswapd. */
    static final TracePoint SHRINK_LRUVEC_KSWAPD = new TracePoint("shrink_lruvec", "kswapd");
    /** balance_pgdat: one kswapd run on a node. Number: reclaimed. */
    static final TracePoint KSWAPD_BALANCE_PGDAT = new TracePoint("balance_pgdat", "kswapd run");

    // ---------------------------------------------------------------- workingset

    /** workingset_refault: the refault distance fits in the zone's active file list; the page is activated. */
    static final TracePoint REFAULT_ACTIVATED = new TracePoint("workingset_refault", "activated");
}
