package dev.memcgdiff.kernel;

import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.scenario.Knob;

/**
 * The hooks where kernel versions differ, each named after the kernel function it stands for.
 * The shared model calls them from its generic paths; an implementation follows its own kernel's
 * source and uses the machine's mechanisms. One instance serves one run.
 */
public interface KernelOps {

    // ---- setup and interfaces (mm/memcontrol.c: mem_cgroup_css_alloc, the cftype handlers) ----

    /** How this kernel's page_counter propagates protected usage. */
    PageCounter.Propagation protectedUsagePropagation();

    /** init_per_zone_wmark_min / __setup_per_zone_wmarks: min_free_kbytes and each node's watermarks. */
    void setupWatermarks();

    /**
     * Whether a new child of {@code parent} charges its parent's counters
     * (v1 use_hierarchy; always in cgroup v2 and from 5.11).
     */
    boolean linksToParent(MemCgroup parent);

    /** mem_cgroup_css_alloc: the defaults a new memcg inherits (swappiness, use_hierarchy, oom_kill_disable). */
    void cgroupCreated(MemCgroup memcg);

    /** A write to a cgroup file, with that kernel's checks and side effects (reclaim, OOM). */
    KnobWrite writeKnob(MemCgroup memcg, Knob knob);

    /** Every file this kernel shows for the memcg under the scenario's interface, in bytes as printed. */
    CgroupFiles cgroupFiles(MemCgroup memcg);

    /** The /proc/vmstat name this kernel prints for an event counter, or null when it has none. */
    String vmstatName(dev.memcgdiff.mm.memcg.VmEvent event);

    // ---- charging (try_charge and friends) ----

    /**
     * Charge pages to a memcg's counters: the whole charge path with its stock, reclaim, retries
     * and OOM handling. Returns true when the counters were charged (the caller commits the page).
     */
    boolean tryCharge(ChargeRequest request);

    /**
     * The memcg a successful charge commits its page to: the one asked for, except where the
     * kernel bypasses the charge (3.10 lets a dying task's page go to the root cgroup).
     */
    default MemCgroup committedTo(ChargeRequest request) {
        return request.memcg();
    }

    /**
     * The gfp mask a THP fault charges with (3.10: GFP_KERNEL; 4.18 and 5.18 with the default
     * defrag=madvise: GFP_TRANSHUGE_LIGHT, which may not reclaim).
     */
    default int hugePageChargeGfp() {
        return dev.memcgdiff.mm.Gfp.GFP_KERNEL;
    }

    /**
     * Whether end_page_writeback's rotate_reclaimable_page also moves an ACTIVE PG_reclaim page
     * to the inactive tail, clearing PG_active (4.18 and 5.18 pagevec_move_tail_fn), rather than
     * only inactive ones (3.10).
     */
    default boolean rotateActiveOnWriteback() {
        return false;
    }

    /** A page's charge left this memcg (uncharge_batch's memcg_oom_recover wakes OOM sleepers). */
    default void memcgUncharged(MemCgroup memcg) {
    }

    /** On return to user space: mem_cgroup_handle_over_high (memory.high reclaim), where the kernel has it. */
    void returnToUser(Task task);

    // ---- LRU placement (mm/swap.c, mm/rmap.c) ----

    /**
     * lru_cache_add_active_or_unevictable / lru_cache_add_inactive_or_unevictable: put a freshly
     * faulted anonymous page on its list.
     */
    void lruAddNewAnon(int pfn);

    /** lru_cache_add (__pagevec_lru_add_fn): a page cache, tmpfs or swapped-in page joins the LRU. */
    void lruCacheAdd(int pfn, Lruvec lruvec);

    /** mark_page_accessed / folio_mark_accessed. */
    void markPageAccessed(int pfn);

    /** Whether a buffered write marks its page accessed (generic_perform_write / write_begin flags). */
    boolean writeMarksAccessed();

    /** Whether a swapped-in anonymous page is activated (do_swap_page's activate_page in 4.18). */
    boolean swapinActivates();

    // ---- workingset (mm/workingset.c) ----

    /** workingset_eviction: the shadow entry a reclaimed page cache page leaves behind. */
    long workingsetEviction(int pfn, MemCgroup target);

    /**
     * workingset_refault: a page comes back where its shadow was; may set PG_active. The gfp is
     * the page cache add's (4.18 and 5.18 skip the refault check for __GFP_WRITE adds).
     */
    void workingsetRefault(int pfn, long shadow, int gfp);

    /** memcg_memory_event: count a memory.events event where this kernel counts it. */
    void memcgMemoryEvent(dev.memcgdiff.mm.memcg.MemCgroup memcg, dev.memcgdiff.mm.memcg.MemoryEvent event);

    /** Whether an evicted anonymous (swap cache) page leaves a shadow (5.18's anon workingset). */
    boolean anonShadows();

    // ---- reclaim (mm/vmscan.c) ----

    /** try_to_free_mem_cgroup_pages: limit reclaim under {@code memcg}. Returns pages reclaimed. */
    long tryToFreeMemCgroupPages(MemCgroup memcg, long nrPages, int gfp, boolean maySwap);

    /** try_to_free_pages: global direct reclaim for an allocation. Returns pages reclaimed. */
    long tryToFreePages(int gfp);

    /** kswapd's balance_pgdat, run to completion when the allocator wakes it. */
    void kswapd(Node node);

    /**
     * How many times the allocator's slow path retries direct reclaim without progress before the
     * global OOM killer (should_reclaim_retry; 3.10 retries order-0 forever while reclaim progresses).
     */
    int allocNoProgressRetries();

    // ---- OOM (mm/oom_kill.c) ----

    /** out_of_memory for an allocation that failed on the whole host (CONSTRAINT_NONE). True when a task died or will. */
    boolean outOfMemory(int gfp, Task current);

    /** pagefault_out_of_memory, after a fault returned VM_FAULT_OOM. */
    FaultRetry pagefaultOutOfMemory(Task task);
}
