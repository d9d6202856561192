package dev.memcgdiff.linux518;

import dev.memcgdiff.kernel.ChargeRequest;
import dev.memcgdiff.kernel.FaultRetry;
import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.node.Watermarks;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.vmscan.LruReclaim;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.scenario.Knob;

/** The 5.18 kernel's hooks, each delegating to the class named after its source file. */
final class Ops implements KernelOps {
    /** calculate_min_free_kbytes' upper clamp in 5.18: 256 MiB. */
    static final long MIN_FREE_KBYTES_MAX = 262144;

    private final Machine m;
    final Memcontrol memcontrol;
    final Workingset workingset;
    final Swap swap;
    final Vmscan vmscan;
    final OomKill oomKill;
    final OverHigh overHigh;
    final MemcgWrites writes;
    private final MemcgFiles files;

    Ops(Machine m) {
        this.m = m;
        this.memcontrol = new Memcontrol(m);
        this.workingset = new Workingset(m);
        this.swap = new Swap(m, workingset);
        this.vmscan = new Vmscan(m, memcontrol, workingset, swap);
        this.oomKill = new OomKill(m, memcontrol);
        this.overHigh = new OverHigh(m, memcontrol);
        this.writes = new MemcgWrites(m, memcontrol);
        this.files = new MemcgFiles(m, memcontrol);
        workingset.wire(memcontrol, swap);
        memcontrol.wire(vmscan, oomKill, overHigh);
        overHigh.wire(vmscan);
        writes.wire(vmscan);
        vmscan.wire(new LruReclaim(m, this, ShrinkPageList.RULES));
    }

    /** propagate_protected_usage (5.18): min(usage, protection) at every level a charge touches. */
    @Override
    public PageCounter.Propagation protectedUsagePropagation() {
        return PageCounter.Propagation.PER_LEVEL;
    }

    @Override
    public void setupWatermarks() {
        Watermarks.setup(m, MIN_FREE_KBYTES_MAX, Watermarks.Formula.SCALE_FACTOR);
    }

    /** mem_cgroup_css_alloc (5.18): every memcg's counters link to its parent's, v1 included. */
    @Override
    public boolean linksToParent(MemCgroup parent) {
        return true;
    }

    /** mem_cgroup_css_alloc: swappiness (mem_cgroup_swappiness of the parent) and oom_kill_disable inherited. */
    @Override
    public void cgroupCreated(MemCgroup memcg) {
        memcg.useHierarchy = true;
        MemCgroup parent = memcg.parent();
        if (parent == null) {
            memcg.swappiness = memcontrol.vmSwappiness;
            return;
        }
        memcg.swappiness = memcontrol.swappiness(parent);
        memcg.oomKillDisable = parent.oomKillDisable;
    }

    @Override
    public KnobWrite writeKnob(MemCgroup memcg, Knob knob) {
        return writes.write(memcg, knob);
    }

    @Override
    public CgroupFiles cgroupFiles(MemCgroup memcg) {
        return files.read(memcg);
    }

    @Override
    public String vmstatName(VmEvent event) {
        return MemcgFiles.vmstatName(event);
    }

    @Override
    public void memcgMemoryEvent(MemCgroup memcg, MemoryEvent event) {
        memcontrol.memcgMemoryEvent(memcg, event);
    }

    @Override
    public boolean tryCharge(ChargeRequest request) {
        return memcontrol.tryCharge(request);
    }

    /**
     * vma_thp_gfp_mask (5.18) with the default defrag=madvise, for a range the model never
     * madvises: GFP_TRANSHUGE_LIGHT, no direct reclaim, so a THP charge at the limit fails at once.
     */
    @Override
    public int hugePageChargeGfp() {
        return Gfp.TRANSHUGE_LIGHT;
    }

    /** The return to user space: mem_cgroup_handle_over_high (set_notify_resume). */
    @Override
    public void returnToUser(Task task) {
        if (task != null) {
            overHigh.handleOverHigh(task);
        }
    }

    @Override
    public void lruAddNewAnon(int pfn) {
        swap.lruCacheAddInactiveOrUnevictable(pfn);
    }

    @Override
    public void lruCacheAdd(int pfn, Lruvec lruvec) {
        swap.lruAdd(pfn, lruvec);
    }

    @Override
    public void markPageAccessed(int pfn) {
        swap.folioMarkAccessed(pfn);
    }

    /**
     * folio_end_writeback's folio_rotate_reclaimable (5.18 lru_move_tail_fn): a written PG_reclaim
     * page goes to the inactive tail even when it is active, and loses PG_active.
     */
    @Override
    public boolean rotateActiveOnWriteback() {
        return true;
    }

    /** grab_cache_page_write_begin (5.18) has no FGP_ACCESSED: a buffered write marks nothing. */
    @Override
    public boolean writeMarksAccessed() {
        return false;
    }

    /** do_swap_page (5.18) no longer activates the swapped-in page; workingset_refault may. */
    @Override
    public boolean swapinActivates() {
        return false;
    }

    @Override
    public long workingsetEviction(int pfn, MemCgroup target) {
        return workingset.eviction(pfn, target);
    }

    /** filemap_add_folio: no refault check for __GFP_WRITE adds; swap-in always checks. */
    @Override
    public void workingsetRefault(int pfn, long shadow, int gfp) {
        if (!Gfp.has(gfp, Gfp.WRITE)) {
            workingset.refault(pfn, shadow);
        }
    }

    /** __remove_mapping (5.18) leaves a shadow for swap cache anon pages too. */
    @Override
    public boolean anonShadows() {
        return true;
    }

    @Override
    public long tryToFreeMemCgroupPages(MemCgroup memcg, long nrPages, int gfp, boolean maySwap) {
        return vmscan.tryToFreeMemCgroupPages(memcg, nrPages, gfp, maySwap);
    }

    @Override
    public long tryToFreePages(int gfp) {
        return vmscan.tryToFreePages(gfp);
    }

    @Override
    public void kswapd(Node node) {
        vmscan.kswapd(node);
    }

    /** should_reclaim_retry: MAX_RECLAIM_RETRIES passes without progress, then the OOM killer. */
    @Override
    public int allocNoProgressRetries() {
        return Vmscan.MAX_RECLAIM_RETRIES;
    }

    @Override
    public boolean outOfMemory(int gfp, Task current) {
        return oomKill.globalOutOfMemory(gfp);
    }

    @Override
    public FaultRetry pagefaultOutOfMemory(Task task) {
        return memcontrol.pagefaultOutOfMemory(task);
    }
}
