package dev.memcgdiff.linux310;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.kernel.KernelTraits;
import dev.memcgdiff.kernel.KernelTraits.MemoryEventScope;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.ReclaimStatSwap;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.node.Watermarks;
import dev.memcgdiff.mm.psi.PsiTraits;
import dev.memcgdiff.mm.vmscan.LruReclaim;
import dev.memcgdiff.mm.vmscan.ReclaimRules;
import dev.memcgdiff.scenario.CgroupInterface;
import java.util.List;

/**
 * RHEL 7.9's kernel, 3.10.0-1160.el7: cgroup v1 only, with RHEL's page_counter backport, the
 * memcg OOM deferred to the end of a user page fault, and the 3.15 workingset code backported.
 */
public final class Linux310 implements Kernel {
    /**
     * The files of the scenario language that 3.10 does not have: the cgroup v2 interface's. The
     * rest of the language, the v1 files a scenario may write (memory.limit_in_bytes,
     * memory.memsw.limit_in_bytes, memory.soft_limit_in_bytes, memory.kmem.limit_in_bytes,
     * memory.swappiness, memory.use_hierarchy, memory.oom_control, memory.move_charge_at_immigrate),
     * are all in mem_cgroup_files (mm/memcontrol.c, 3.10.0-1160).
     */
    static final List<String> MISSING_KNOBS = List.of(
            "memory.max",
            "memory.high",
            "memory.low",
            "memory.min",
            "memory.swap.max",
            "memory.swap.high",
            "memory.oom.group");

    /** What 3.10.0-1160 is, as data. */
    static final KernelTraits TRAITS = buildTraits();

    private static KernelTraits buildTraits() {
        KernelTraits.Builder b = KernelTraits.builder()
                // mm/page_counter.c:page_counter_charge (3.10.0-1160): no memory.min/low, protected usage is always 0
                .protectedUsagePropagation(PageCounter.Propagation.PER_LEVEL)
                // mm/page_alloc.c:init_per_zone_wmark_min (3.10.0-1160): min_free_kbytes <= 262144 (upstream: 65536)
                // mm/page_alloc.c:__setup_per_zone_wmarks (3.10.0-1160): low = min + min/4, high = min + min/2
                .watermarks(262144, Watermarks.Formula.QUARTER_HALF)
                // mm/huge_memory.c:do_huge_pmd_anonymous_page (3.10.0-1160): mem_cgroup_newpage_charge(GFP_KERNEL)
                .hugePageChargeGfp(Gfp.GFP_KERNEL)
                // mm/swap.c:pagevec_move_tail_fn (3.10.0-1160): only an inactive PG_reclaim page is rotated
                .rotateActiveOnWriteback(false)
                // mm/filemap.c:generic_perform_write (3.10.0-1160): mark_page_accessed after each copy
                .writeMarksAccessed(true)
                // mm/filemap.c:do_generic_file_read and mm/readahead.c:read_pages charge with GFP_KERNEL (3.10.0-1160)
                .readChargesWithMappingGfp(false)
                // mm/memory.c:do_swap_page (3.10.0-1160): no activate_page; lru_cache_add_anon leaves it inactive
                .swapinActivates(false)
                // mm/vmscan.c:__remove_mapping (3.10.0-1160): only a page cache page leaves a shadow
                .anonShadows(false)
                // mm/filemap.c:add_to_page_cache_lru (3.10.0-1160): every shadow is checked, __GFP_WRITE adds included
                .refaultSkipsWriteAdds(false)
                // mm/page_alloc.c:should_alloc_retry (3.10.0-1160): retry while reclaim progresses, then OOM at once
                .allocNoProgressRetries(0)
                // mm/memcontrol.c:mem_cgroup_files (3.10.0-1160): v1 only, no memory.events
                .memoryEvents(MemoryEventScope.NONE)
                // mm/vmscan.c:shrink_page_list (3.10.0-1160): dirty file kept, VM_LOCKED unmapped, no PG_workingset
                // mm/vmscan.c:page_check_references (3.10.0-1160): a referenced swap-backed page is activated at once
                .reclaimRules(ReclaimRules.NONE.withSwapBackedActivatesOnFirstReference(true))
                // mm/memcontrol.c:mem_cgroup_swappiness_write (3.10.0-1160): val > 100 is EINVAL
                .swappinessMax(100)
                // mm/memcontrol.c:mem_cgroup_subsys (3.10.0-1160): RHEL 7 mounts only the legacy hierarchy
                .cgroupInterfaces(CgroupInterface.V1)
                // mm/vmstat.c:vmstat_text (3.10.0-1160): per-zone pgscan/pgsteal/pgrefill, no oom_kill
                .vmstatNames(MemcgFiles::vmstatName)
                // kernel/sched/ (3.10.0-1160): no psi.c, no /proc/pressure (PSI is mainline 4.20)
                .psi(PsiTraits.none("3.10.0-1160 has no PSI (no kernel/sched/psi.c; mainline 4.20)"));
        // mm/memcontrol.c:mem_cgroup_files (3.10.0-1160): none of the cgroup v2 files
        for (String knob : MISSING_KNOBS) {
            b.missingKnob(knob, "not in 3.10");
        }
        return b.build();
    }

    @Override
    public String version() {
        return "3.10";
    }

    @Override
    public String release() {
        return "3.10.0-1160.el7.x86_64";
    }

    @Override
    public KernelTraits traits() {
        return TRAITS;
    }

    /**
     * The tables, each built after what it uses: swappiness first (charging, reclaim, the OOM and
     * the files all read it), then the LRU side, reclaim, the OOM killer, the memcg OOM and the
     * OOM entry points, charging, and the cgroup files. The OOM sleepers are the machine's
     * memcg_oom_waitq.
     */
    @Override
    public KernelOps boot(Machine m) {
        Swappiness swappiness = new Swappiness(m.vmSwappiness);
        // mm/swap.c (3.10.0-1160): reclaim_stat bookkeeping; lru_cache_add_anon starts tmpfs and swap-ins inactive
        ReclaimStatSwap swap = new ReclaimStatSwap(m, new Workingset(m), true);
        Vmscan vmscan = new Vmscan(m, swappiness, new LruReclaim(m, TRAITS.reclaimRules(), swap));
        OomKiller killer = new OomKiller(m, vmscan, MemcgFiles.STATS);
        MemcgOom memcgOom = new MemcgOom(m, killer, swappiness);
        OomKill oomKill = new OomKill(m, memcgOom, killer);
        Memcontrol memcontrol = new Memcontrol(m, swappiness, vmscan, memcgOom);
        MemcgFiles files = new MemcgFiles(m, swappiness, new MemcgWrites(m, memcontrol, swappiness));
        return new KernelOps(TRAITS, memcontrol, swap, vmscan, oomKill, files);
    }
}
