package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.TracePoint;

/**
 * The decisions 5.18's own paths record in the trace, one point per kind of decision; tests
 * count and inspect events by these points, never by the text (which stays the kernel's words in
 * the golden files). The shared model's points are in {@link dev.memcgdiff.mm.TracePoints}.
 */
final class TracePoints {
    private TracePoints() {}

    // ---- mm/memcontrol.c: try_charge_memcg

    /** The memory counter failed; reclaim under the memcg over its limit, swapping allowed. */
    static final TracePoint CHARGE_RECLAIM = new TracePoint("try_charge_memcg", "memory limit hit, may_swap=1");
    /** The memory counter failed after memsw latched may_swap=0: reclaim without swapping. */
    static final TracePoint CHARGE_RECLAIM_NO_SWAP = new TracePoint("try_charge_memcg", "memory limit hit, may_swap=0");
    /** The memory+swap counter (v1) failed: reclaim without swapping. */
    static final TracePoint CHARGE_RECLAIM_MEMSW = new TracePoint("try_charge_memcg", "memsw limit hit, may_swap=0");
    /** mem_cgroup_oom reported progress: retry the charge. */
    static final TracePoint CHARGE_OOM_PROGRESS = new TracePoint("try_charge_memcg", "mem_cgroup_oom = true");
    /** mem_cgroup_oom made no progress: the charge fails. */
    static final TracePoint CHARGE_OOM_NO_PROGRESS = new TracePoint("try_charge_memcg", "mem_cgroup_oom = false");
    /** The model's limit on OOM rounds of one charge ran out. */
    static final TracePoint CHARGE_OOM_ROUNDS = new TracePoint("try_charge_memcg", "model OOM round limit");
    /** nomem with __GFP_NOFAIL or __GFP_HIGH: the charge is forced past the limit. */
    static final TracePoint FORCE_CHARGE = new TracePoint("try_charge_memcg", "force charge");
    /** nomem: -ENOMEM because current is already in a memcg OOM (task_in_memcg_oom). */
    static final TracePoint ENOMEM_IN_MEMCG_OOM = new TracePoint("try_charge_memcg", "-ENOMEM task_in_memcg_oom");
    /** nomem: -ENOMEM because the gfp mask cannot block (no __GFP_DIRECT_RECLAIM). */
    static final TracePoint ENOMEM_CANNOT_BLOCK = new TracePoint("try_charge_memcg", "-ENOMEM gfp cannot block");
    /** nomem: -ENOMEM for __GFP_NORETRY after the first reclaim. */
    static final TracePoint ENOMEM_NORETRY = new TracePoint("try_charge_memcg", "-ENOMEM __GFP_NORETRY");
    /** nomem: -ENOMEM for __GFP_RETRY_MAYFAIL after the retries. */
    static final TracePoint ENOMEM_RETRY_MAYFAIL = new TracePoint("try_charge_memcg", "-ENOMEM __GFP_RETRY_MAYFAIL");
    /** nomem: -ENOMEM for a dying task after an OOM passed (passed_oom and task_is_dying). */
    static final TracePoint ENOMEM_DYING = new TracePoint("try_charge_memcg", "-ENOMEM passed_oom and task_is_dying");
    /** nomem: -ENOMEM after the model's OOM round limit. */
    static final TracePoint ENOMEM_OOM_ROUNDS = new TracePoint("try_charge_memcg", "-ENOMEM model OOM round limit");
    /** nomem: -ENOMEM because mem_cgroup_oom failed. */
    static final TracePoint ENOMEM_OOM_FAILED = new TracePoint("try_charge_memcg", "-ENOMEM mem_cgroup_oom failed");

    // ---- mm/memcontrol.c: the memcg OOM

    /** mem_cgroup_oom with v1 oom_kill_disable in a user fault: the task will wait. */
    static final TracePoint OOM_KILL_DISABLE_WAIT = new TracePoint("mem_cgroup_oom", "oom_kill_disable wait");
    /** mem_cgroup_out_of_memory found a margin meanwhile: no kill. */
    static final TracePoint OOM_MARGIN = new TracePoint("mem_cgroup_out_of_memory", "margin appeared");

    // ---- mm/memcontrol.c: memory.high, the write handlers

    /** mem_cgroup_handle_over_high: reclaim could not keep up, the task would sleep (jiffies). */
    static final TracePoint OVER_HIGH_SLEEP = new TracePoint("mem_cgroup_handle_over_high", "would sleep");
    /** memory_high_write gave up reclaiming with usage still over the new memory.high. */
    static final TracePoint HIGH_WRITE_GAVE_UP = new TracePoint("memory_high_write", "reclaim gave up");
    /** memory_max_write ended with usage still over the new memory.max. */
    static final TracePoint MAX_WRITE_OVER = new TracePoint("memory_max_write", "usage stays over");
    /** A v2 write to a file the root cgroup does not have. */
    static final TracePoint NOT_ON_ROOT = new TracePoint("cgroup_file_write", "CFTYPE_NOT_ON_ROOT");

    // ---- mm/oom_kill.c

    /** out_of_memory: the kill (the memcg is the OOM domain, null for a global OOM). */
    static final TracePoint OOM_KILL_PROCESS = new TracePoint("oom_kill_process", "killed");
    /** out_of_memory: nothing killable. */
    static final TracePoint OOM_NOTHING_KILLABLE = new TracePoint("out_of_memory", "no killable processes");
    /** out_of_memory: an earlier victim has not exited yet (select_bad_process aborts). */
    static final TracePoint OOM_VICTIM_PENDING = new TracePoint("out_of_memory", "previous victim not exited");
    /** pagefault_out_of_memory: "Huh VM_FAULT_OOM leaked out to the #PF handler". */
    static final TracePoint PAGEFAULT_OOM_LEAKED = new TracePoint("pagefault_out_of_memory", "VM_FAULT_OOM leaked");

    // ---- mm/workingset.c

    /** workingset_refault activated a refaulting file page. */
    static final TracePoint REFAULT_ACTIVATE_FILE = new TracePoint("workingset_refault", "activate file");
    /** workingset_refault activated a refaulting anon page. */
    static final TracePoint REFAULT_ACTIVATE_ANON = new TracePoint("workingset_refault", "activate anon");

    // ---- mm/vmscan.c

    /** try_to_free_pages: one global direct reclaim (reclaimed). */
    static final TracePoint TRY_TO_FREE_PAGES = new TracePoint("try_to_free_pages", "reclaimed");
    /** do_try_to_free_pages: nothing reclaimed, retry with force_deactivate. */
    static final TracePoint RETRY_FORCE_DEACTIVATE = new TracePoint("do_try_to_free_pages", "force_deactivate");
    /** do_try_to_free_pages: nothing reclaimed, retry with memcg_low_reclaim. */
    static final TracePoint RETRY_MEMCG_LOW_RECLAIM = new TracePoint("do_try_to_free_pages", "memcg_low_reclaim");
    /** shrink_lruvec with get_scan_count's SCAN_EQUAL (the memcg is the lruvec's). */
    static final TracePoint SCAN_EQUAL = new TracePoint("shrink_lruvec", "SCAN_EQUAL");
    /** shrink_lruvec with get_scan_count's SCAN_FRACT. */
    static final TracePoint SCAN_FRACT = new TracePoint("shrink_lruvec", "SCAN_FRACT");
    /** shrink_lruvec with get_scan_count's SCAN_ANON. */
    static final TracePoint SCAN_ANON = new TracePoint("shrink_lruvec", "SCAN_ANON");
    /** shrink_lruvec with get_scan_count's SCAN_FILE. */
    static final TracePoint SCAN_FILE = new TracePoint("shrink_lruvec", "SCAN_FILE");
    /** kswapd's balance_pgdat ran (reclaimed). */
    static final TracePoint KSWAPD_BALANCE = new TracePoint("balance_pgdat", "reclaimed");
}
