package dev.memcgdiff.linux418;

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
import dev.memcgdiff.mm.vmscan.VmscanConstants;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.HostSpec;

/**
 * RHEL 8.1's kernel, 4.18.0-147.el8: the kernel of the OOM reports in golden/incidents. Upstream 4.18 plus
 * the 4.19 memcg OOM rework (synchronous OOM kills from any charge, memory.oom.group).
 */
public final class Linux418 implements Kernel {
    /** The facts of 4.18.0-147, each from the kernel function that decides it. */
    static final KernelTraits TRAITS = KernelTraits.builder()
            // mm/page_counter.c:propagate_protected_usage (4.18.0-147): the leaf's usage, all or nothing per memcg
            .protectedUsagePropagation(PageCounter.Propagation.LEAF_ALL_OR_NOTHING)
            // mm/page_alloc.c:init_per_zone_wmark_min / __setup_per_zone_wmarks (4.18.0-147): 64 MiB clamp, scale
            // factor
            .watermarks(65536, Watermarks.Formula.SCALE_FACTOR)
            // mm/huge_memory.c:do_huge_pmd_anonymous_page (4.18.0-147): charged with GFP_TRANSHUGE_LIGHT
            // (defrag=madvise)
            .hugePageChargeGfp(Gfp.TRANSHUGE_LIGHT)
            // mm/swap.c:pagevec_move_tail_fn (4.18.0-147): a PG_reclaim page whose writeback ends goes to the inactive
            // tail
            .rotateActiveOnWriteback(true)
            // mm/filemap.c:generic_perform_write (4.18.0-147): grab_cache_page_write_begin has no FGP_ACCESSED
            .writeMarksAccessed(false)
            // mm/filemap.c:generic_file_buffered_read uses mapping_gfp_constraint, mm/readahead.c readahead_gfp_mask
            // (4.18.0-147)
            .readChargesWithMappingGfp(true)
            // mm/memory.c:do_swap_page (4.18.0-147): activate_page on the swapped-in page
            .swapinActivates(true)
            // mm/vmscan.c:__remove_mapping (4.18.0-147): workingset_eviction for page cache only, no anon shadows
            .anonShadows(false)
            // mm/filemap.c:add_to_page_cache_lru (4.18.0-147): no workingset_refault for __GFP_WRITE adds
            .refaultSkipsWriteAdds(true)
            // mm/page_alloc.c:should_reclaim_retry (4.18.0-147): MAX_RECLAIM_RETRIES passes without progress, then OOM
            .allocNoProgressRetries(VmscanConstants.MAX_RECLAIM_RETRIES)
            // mm/memcontrol.c:memcg_memory_event (4.18.0-147): counted on the memcg only, no propagation
            .memoryEvents(MemoryEventScope.LOCAL)
            // mm/vmscan.c:shrink_page_list / page_check_references / shrink_active_list (4.18.0-147)
            .reclaimRules(ReclaimRules.NONE
                    .withDirtyFileActivates(true)
                    .withLockedActivates(false)
                    .withSetsWorkingsetOnDeactivate(true)
                    .withSwapBackedActivatesOnFirstReference(true))
            // mm/memcontrol.c:mem_cgroup_swappiness_write, kernel/sysctl.c vm_swappiness (4.18.0-147): 0..100
            .swappinessMax(100)
            // mm/memcontrol.c:mem_cgroup_legacy_files / memory_files (4.18.0-147): both hierarchies
            .cgroupInterfaces(CgroupInterface.V1, CgroupInterface.V2)
            // mm/memcontrol.c:swap_files (4.18.0-147): no swap.high (mainline 5.8)
            .missingKnob("memory.swap.high", "not in 4.18 (added in 5.8)")
            // mm/vmstat.c:vmstat_text (4.18.0-147)
            .vmstatNames(MemcgFiles::vmstatName)
            // fs/ext4/super.c:ext4_fill_super sets SB_I_CGROUPWB (4.18.0-147); XFS has no cgroup writeback before 5.3
            .cgroupWriteback(HostSpec.Fs.EXT4)
            // kernel/sched/psi.c (4.18.0-147, the 4.20 PSI backport): psi_enable from CONFIG_PSI_DEFAULT_DISABLED,
            // which RHEL 8's config sets (unverified: the tree has no RHEL config), so psi=1 turns it on;
            // psi_proc_init makes /proc/pressure/* either way (psi_show: EOPNOTSUPP when off); test_state's
            // MEM_FULL needs no running task, psi_memstall_tick samples a reclaimer's FULL each tick;
            // mm/swap_state.c:__read_swap_cache_async sets PG_workingset on every page read from swap;
            // arch/x86/configs/x86_64_defconfig CONFIG_HZ_1000 (RHEL 8's own HZ=1000 unverified)
            .psi(new PsiTraits(true, false, true, PsiTraits.FullOnCpu.TICK, true, 1000, null))
            .build();

    /** The kernel's classes for one machine, built in dependency order: each takes only what was built before it. */
    record Components(
            Workingset workingset,
            ReclaimStatSwap swap,
            Vmscan vmscan,
            MemcgOom memcgOom,
            OomKill oomKill,
            Memcontrol memcontrol,
            MemcgWrites writes,
            MemcgFiles files) {
        KernelOps ops() {
            return new KernelOps(TRAITS, memcontrol, swap, vmscan, oomKill, files);
        }
    }

    static Components build(Machine m) {
        Workingset workingset = new Workingset(m);
        // mm/swap.c (4.18.0-147): reclaim_stat bookkeeping as in 3.10; lru_cache_add keeps the page's own flags
        ReclaimStatSwap swap = new ReclaimStatSwap(m, workingset, false);
        Vmscan vmscan = new Vmscan(m, new LruReclaim(m, TRAITS.reclaimRules(), swap));
        MemcgOom memcgOom = new MemcgOom(m);
        OomKill oomKill = new OomKill(m, memcgOom, MemcgFiles.V1_STATS);
        Memcontrol memcontrol = new Memcontrol(m, vmscan, oomKill, memcgOom);
        MemcgWrites writes = new MemcgWrites(m, vmscan, oomKill);
        MemcgFiles files = new MemcgFiles(m, writes);
        return new Components(workingset, swap, vmscan, memcgOom, oomKill, memcontrol, writes, files);
    }

    @Override
    public String version() {
        return "4.18";
    }

    @Override
    public String release() {
        return "4.18.0-147.el8.x86_64";
    }

    @Override
    public KernelTraits traits() {
        return TRAITS;
    }

    @Override
    public KernelOps boot(Machine machine) {
        return build(machine).ops();
    }
}
