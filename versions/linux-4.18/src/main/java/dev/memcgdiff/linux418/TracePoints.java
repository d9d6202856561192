package dev.memcgdiff.linux418;

import dev.memcgdiff.mm.TracePoint;

/**
 * The decisions 4.18.0-147's functions record in the trace, one point per kind of decision. The
 * event's text stays the kernel's words of the golden files; tests count and inspect events by
 * these points, never by that text.
 */
public final class TracePoints {
    private TracePoints() {}

    // ---------------------------------------------------------------- mm/memcontrol.c: try_charge

    /** try_charge: the memory counter failed; try_to_free_mem_cgroup_pages(mem_over_limit, may_swap=1). */
    public static final TracePoint CHARGE_RECLAIM_MEMORY =
            new TracePoint("try_charge", "memory limit hit, reclaim with may_swap=1");
    /** try_charge: the memory counter failed after memsw had failed earlier in the charge: may_swap stays 0. */
    public static final TracePoint CHARGE_RECLAIM_MEMORY_NOSWAP =
            new TracePoint("try_charge", "memory limit hit, reclaim with may_swap=0");
    /** try_charge: the memory+swap counter failed (v1); reclaim with may_swap=0. */
    public static final TracePoint CHARGE_RECLAIM_MEMSW =
            new TracePoint("try_charge", "memsw limit hit, reclaim with may_swap=0");
    /** try_charge: a __GFP_NORETRY charge (readahead) gives up after reclaim and the drain: -ENOMEM. */
    public static final TracePoint CHARGE_NORETRY_FAILS = new TracePoint("try_charge", "__GFP_NORETRY -ENOMEM");
    /** try_charge: the charge is forced past the limit (OOM victim, __GFP_NOFAIL, OOM_FAILED). */
    public static final TracePoint FORCE_CHARGE = new TracePoint("try_charge", "force charge");
    /** try_charge: the model's bound on OOM rounds that free nothing; the charge fails. */
    public static final TracePoint CHARGE_OOM_ROUNDS_EXHAUSTED =
            new TracePoint("try_charge", "OOM killer freed nothing, the model gives up");

    // ---------------------------------------------------------------- mm/memcontrol.c: mem_cgroup_oom

    /** mem_cgroup_oom = OOM_SUCCESS: the OOM killer killed; the charge retries. */
    public static final TracePoint MEM_CGROUP_OOM_SUCCESS = new TracePoint("mem_cgroup_oom", "OOM_SUCCESS");
    /** mem_cgroup_oom = OOM_FAILED: nothing killable; the charge is forced. */
    public static final TracePoint MEM_CGROUP_OOM_FAILED = new TracePoint("mem_cgroup_oom", "OOM_FAILED");
    /** mem_cgroup_oom = OOM_ASYNC: oom_kill_disable in a user fault; memcg_in_oom recorded. */
    public static final TracePoint MEM_CGROUP_OOM_ASYNC = new TracePoint("mem_cgroup_oom", "OOM_ASYNC");
    /** mem_cgroup_oom = OOM_SKIPPED: costly order, or oom_kill_disable outside a user fault. */
    public static final TracePoint MEM_CGROUP_OOM_SKIPPED = new TracePoint("mem_cgroup_oom", "OOM_SKIPPED");

    // ---------------------------------------------------------------- mm/vmscan.c

    /** try_to_free_pages: one global direct reclaim call, with what it reclaimed. */
    public static final TracePoint TRY_TO_FREE_PAGES = new TracePoint("try_to_free_pages", "global direct reclaim");
    /** do_try_to_free_pages: memory.low memcgs were skipped and nothing was reclaimed: retry with memcg_low_reclaim. */
    public static final TracePoint LOW_RECLAIM_RETRY =
            new TracePoint("do_try_to_free_pages", "memory.low skipped, retry with memcg_low_reclaim");
    /** shrink_node_memcg in limit reclaim (try_to_free_mem_cgroup_pages). */
    public static final TracePoint SHRINK_LIMIT = new TracePoint("shrink_node_memcg", "limit reclaim");
    /** shrink_node_memcg in global direct reclaim. */
    public static final TracePoint SHRINK_GLOBAL = new TracePoint("shrink_node_memcg", "global direct reclaim");
    /** shrink_node_memcg from kswapd's balance_pgdat. */
    public static final TracePoint SHRINK_KSWAPD = new TracePoint("shrink_node_memcg", "kswapd");
    /** shrink_node_memcg from mem_cgroup_shrink_node (v1 soft limit reclaim). */
    public static final TracePoint SHRINK_SOFT_LIMIT = new TracePoint("shrink_node_memcg", "soft limit reclaim");
    /** balance_pgdat: one kswapd run, with what it reclaimed. */
    public static final TracePoint KSWAPD_BALANCE = new TracePoint("balance_pgdat", "kswapd run");

    // ---------------------------------------------------------------- mm/oom_kill.c

    /** out_of_memory: select_bad_process met a victim still exiting: no new kill. */
    public static final TracePoint OOM_VICTIM_EXITING = new TracePoint("out_of_memory", "previous victim exiting");
    /** mem_cgroup_out_of_memory: no killable process in the memcg (OOM_FAILED). */
    public static final TracePoint MEMCG_OOM_NO_VICTIM =
            new TracePoint("mem_cgroup_out_of_memory", "no killable processes");
    /** oom_kill_process for a memcg limit (CONSTRAINT_MEMCG). */
    public static final TracePoint OOM_KILL_MEMCG = new TracePoint("oom_kill_process", "memcg kill");
    /** oom_kill_process for the host (CONSTRAINT_NONE). */
    public static final TracePoint OOM_KILL_GLOBAL = new TracePoint("oom_kill_process", "global kill");

    // ---------------------------------------------------------------- mm/workingset.c

    /** workingset_refault: the refault distance is within the evicting memcg's active file: activated. */
    public static final TracePoint REFAULT_ACTIVATE = new TracePoint("workingset_refault", "activate");
}
