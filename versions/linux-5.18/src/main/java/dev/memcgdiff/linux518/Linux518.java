package dev.memcgdiff.linux518;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.kernel.KernelTraits;
import dev.memcgdiff.kernel.KernelTraits.MemoryEventScope;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.node.Watermarks;
import dev.memcgdiff.mm.psi.PsiTraits;
import dev.memcgdiff.mm.vmscan.LruReclaim;
import dev.memcgdiff.mm.vmscan.ReclaimRules;
import dev.memcgdiff.mm.vmscan.VmscanConstants;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.HostSpec;

/**
 * Upstream Linux 5.18 (read in 5.18.12): cgroup v1 always hierarchical, cgroup v2 with
 * memory.events propagation, the LRU cost model, anon and file workingset, effective memory
 * protection, and the OOM report format of 5.18. Every scenario knob exists in 5.18 (a
 * kmem.limit_in_bytes write fails with EOPNOTSUPP), so nothing is unsupported.
 */
public final class Linux518 implements Kernel {
    /** The facts of 5.18, each from the function named beside it. */
    static final KernelTraits TRAITS = KernelTraits.builder()
            // mm/page_counter.c:propagate_protected_usage (5.18): min(usage, protection) at every level a charge
            // touches
            .protectedUsagePropagation(PageCounter.Propagation.PER_LEVEL)
            // mm/page_alloc.c:calculate_min_free_kbytes (5.18): clamp(.., 128, 262144);
            // mm/page_alloc.c:__setup_per_zone_wmarks (5.18): gap max(min/4, managed * watermark_scale_factor / 10000)
            .watermarks(262144, Watermarks.Formula.SCALE_FACTOR)
            // mm/huge_memory.c:vma_thp_gfp_mask (5.18): defrag=madvise, not madvised: GFP_TRANSHUGE_LIGHT, no direct
            // reclaim
            .hugePageChargeGfp(Gfp.TRANSHUGE_LIGHT)
            // mm/swap.c:pagevec_move_tail_fn (5.18): a written PG_reclaim folio goes to the inactive tail even if
            // active
            .rotateActiveOnWriteback(true)
            // mm/folio-compat.c:grab_cache_page_write_begin (5.18): no FGP_ACCESSED, a buffered write marks nothing
            .writeMarksAccessed(false)
            // mm/filemap.c:filemap_create_folio uses mapping_gfp_constraint, mm/readahead.c readahead_gfp_mask (5.18)
            .readChargesWithMappingGfp(true)
            // mm/memory.c:do_swap_page passes GFP_HIGHUSER_MOVABLE to swapin_readahead, whose
            // __read_swap_cache_async charges with it (mem_cgroup_swapin_charge_page) (5.18)
            .swapinChargeGfp(Gfp.GFP_HIGHUSER_MOVABLE)
            // mm/memory.c:do_swap_page (5.18): no activation of the swapped-in page; workingset_refault may
            .swapinActivates(false)
            // mm/vmscan.c:__remove_mapping (5.18): a swap cache anon page leaves a shadow too
            .anonShadows(true)
            // mm/filemap.c:filemap_add_folio (5.18): no refault check for __GFP_WRITE adds
            .refaultSkipsWriteAdds(true)
            // mm/page_alloc.c:should_reclaim_retry (5.18): MAX_RECLAIM_RETRIES passes without progress, then OOM
            .allocNoProgressRetries(VmscanConstants.MAX_RECLAIM_RETRIES)
            // include/linux/memcontrol.h:memcg_memory_event (5.18): .local here, memory.events up to the root on v2
            .memoryEvents(MemoryEventScope.HIERARCHICAL_ON_V2)
            // mm/vmscan.c:shrink_page_list and folio_check_references (5.18)
            .reclaimRules(ReclaimRules.NONE
                    .withDirtyFileActivates(true) // dirty file pages in direct/memcg reclaim: activate_locked
                    .withLockedActivates(true) // VM_LOCKED referenced folio: PAGEREF_ACTIVATE
                    .withSetsWorkingsetOnDeactivate(true) // shrink_active_list: SetPageWorkingset
                    .withSwapBackedActivatesOnFirstReference(
                            false)) // 5.9+: a swap-backed page's first reference keeps it
            // mm/memcontrol.c:mem_cgroup_swappiness_write, kernel/sysctl.c vm.swappiness (5.18): 0..200
            .swappinessMax(200)
            // mm/memcontrol.c:mem_cgroup_legacy_files and memory_files (5.18): both hierarchies
            .cgroupInterfaces(CgroupInterface.V1, CgroupInterface.V2)
            // mm/vmstat.c:vmstat_text (5.18): workingset counters split by type, allocstall_movable
            .vmstatNames(MemcgFiles::vmstatName)
            // SB_I_CGROUPWB: fs/ext4/super.c:__ext4_fill_super and fs/xfs/xfs_super.c:xfs_fs_fill_super (5.18)
            .cgroupWriteback(HostSpec.Fs.EXT4, HostSpec.Fs.XFS)
            // kernel/sched/psi.c (5.18): CONFIG_PSI=y (what distributions build) without
            // CONFIG_PSI_DEFAULT_DISABLED (init/Kconfig: default n), so on unless psi=0; psi_proc_init makes
            // /proc/pressure only when on; test_state's MEM_FULL counts TSK_MEMSTALL_RUNNING tasks as stalled;
            // PG_workingset on a swapped-in page only from workingset_refault (mm/workingset.c);
            // arch/x86/configs/x86_64_defconfig CONFIG_HZ_1000
            .psi(new PsiTraits(true, true, false, PsiTraits.FullOnCpu.MEMSTALL_RUNNING, false, 1000, null))
            .build();

    /**
     * One booted 5.18: every component, built in dependency order (each takes only components
     * built before it). {@link #boot} returns its tables; tests reach the components here.
     */
    record Components(
            Swappiness swappiness,
            MemcgLimits limits,
            Workingset workingset,
            Swap swap,
            LruReclaim lruReclaim,
            ShrinkPageList shrinkPageList,
            Vmscan vmscan,
            OverHigh overHigh,
            OomKill oomKill,
            Memcontrol memcontrol,
            MemcgWrites writes,
            MemcgFiles files) {

        /** The kernel's operation tables. */
        KernelOps ops() {
            return new KernelOps(TRAITS, memcontrol, swap, vmscan, oomKill, files);
        }
    }

    /** Build every component on the machine, in dependency order. */
    static Components build(Machine m) {
        Swappiness swappiness = new Swappiness(m);
        MemcgLimits limits = new MemcgLimits(m, swappiness);
        Workingset workingset = new Workingset(m, limits);
        Swap swap = new Swap(m, workingset);
        LruReclaim lruReclaim = new LruReclaim(m, TRAITS.reclaimRules(), swap);
        ShrinkPageList shrinkPageList = new ShrinkPageList(m, workingset, lruReclaim);
        Vmscan vmscan = new Vmscan(m, swappiness, limits, workingset, lruReclaim, shrinkPageList);
        OverHigh overHigh = new OverHigh(m, vmscan);
        OomKill oomKill = new OomKill(m, limits);
        Memcontrol memcontrol = new Memcontrol(m, swappiness, limits, vmscan, oomKill, overHigh);
        MemcgWrites writes = new MemcgWrites(m, swappiness, vmscan, oomKill);
        MemcgFiles files = new MemcgFiles(m, swappiness, writes);
        return new Components(
                swappiness,
                limits,
                workingset,
                swap,
                lruReclaim,
                shrinkPageList,
                vmscan,
                overHigh,
                oomKill,
                memcontrol,
                writes,
                files);
    }

    @Override
    public String version() {
        return "5.18";
    }

    @Override
    public String release() {
        return "5.18.12";
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
