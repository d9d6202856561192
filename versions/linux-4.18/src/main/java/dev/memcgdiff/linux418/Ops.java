package dev.memcgdiff.linux418;

import dev.memcgdiff.kernel.ChargeRequest;
import dev.memcgdiff.kernel.FaultRetry;
import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.kernel.KnobWrite;
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
import dev.memcgdiff.mm.vmscan.ReclaimRules;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.Knob;

/** The 4.18.0-147 kernel's hooks, each delegating to the class named after its source file. */
final class Ops implements KernelOps {
    /** init_per_zone_wmark_min's upper clamp in 4.18: 64 MiB. */
    static final long MIN_FREE_KBYTES_MAX = 65536;

    private final Machine m;
    private final Memcontrol memcontrol;
    private final Workingset workingset;
    private final Swap swap;
    private final Vmscan vmscan;
    private final OomKill oomKill;
    private final MemcgFiles files;

    Ops(Machine m) {
        this.m = m;
        this.memcontrol = new Memcontrol(m);
        this.workingset = new Workingset(m);
        this.swap = new Swap(m, workingset);
        this.vmscan = new Vmscan(m, memcontrol, workingset);
        this.oomKill = new OomKill(m, memcontrol);
        this.files = new MemcgFiles(m);
        memcontrol.wire(vmscan, oomKill);
        vmscan.wire(new LruReclaim(m, this, new ReclaimRules(true, false, true)));
    }

    @Override
    public PageCounter.Propagation protectedUsagePropagation() {
        return PageCounter.Propagation.LEAF_ALL_OR_NOTHING;
    }

    @Override
    public void setupWatermarks() {
        Watermarks.setup(m, MIN_FREE_KBYTES_MAX, Watermarks.Formula.SCALE_FACTOR);
    }

    /** mem_cgroup_css_alloc: v1 children link to the parent only when it uses hierarchy; v2 always. */
    @Override
    public boolean linksToParent(MemCgroup parent) {
        return m.cgroupInterface == CgroupInterface.V2 || parent.useHierarchy;
    }

    /** mem_cgroup_css_alloc: use_hierarchy, swappiness and oom_kill_disable come from the parent. */
    @Override
    public void cgroupCreated(MemCgroup memcg) {
        MemCgroup parent = memcg.parent();
        if (parent == null) {
            memcg.useHierarchy = m.cgroupInterface == CgroupInterface.V2;
            memcg.swappiness = m.vmSwappiness;
            return;
        }
        memcg.useHierarchy = parent.useHierarchy || m.cgroupInterface == CgroupInterface.V2;
        memcg.swappiness = parent.isRoot() ? m.vmSwappiness : parent.swappiness;
        memcg.oomKillDisable = parent.oomKillDisable;
    }

    @Override
    public KnobWrite writeKnob(MemCgroup memcg, Knob knob) {
        return memcontrol.write(memcg, knob);
    }

    @Override
    public CgroupFiles cgroupFiles(MemCgroup memcg) {
        return files.read(memcg);
    }

    @Override
    public String vmstatName(VmEvent event) {
        return MemcgFiles.vmstatName(event);
    }

    /** __do_huge_pmd_anonymous_page charges with the allocation's mask: GFP_TRANSHUGE_LIGHT (defrag=madvise). */
    /** pagevec_move_tail_fn (4.18): a PG_reclaim page whose writeback ends goes to the inactive tail, active or not. */
    @Override
    public boolean rotateActiveOnWriteback() {
        return true;
    }

    @Override
    public int hugePageChargeGfp() {
        return dev.memcgdiff.mm.Gfp.TRANSHUGE_LIGHT;
    }

    @Override
    public void memcgMemoryEvent(MemCgroup memcg, MemoryEvent event) {
        memcontrol.memcgMemoryEvent(memcg, event);
    }

    @Override
    public boolean tryCharge(ChargeRequest request) {
        return memcontrol.tryCharge(request);
    }

    @Override
    public void returnToUser(Task task) {
        if (task != null) {
            memcontrol.handleOverHigh(task);
        }
    }

    @Override
    public void lruAddNewAnon(int pfn) {
        swap.lruAddNewAnon(pfn);
    }

    @Override
    public void lruCacheAdd(int pfn, Lruvec lruvec) {
        swap.lruCacheAdd(pfn, lruvec);
    }

    @Override
    public void markPageAccessed(int pfn) {
        swap.markPageAccessed(pfn);
    }

    /** generic_perform_write marks nothing accessed in 4.18 (grab_cache_page_write_begin has no FGP_ACCESSED). */
    @Override
    public boolean writeMarksAccessed() {
        return false;
    }

    /** do_swap_page: activate_page on the swapped-in page. */
    @Override
    public boolean swapinActivates() {
        return true;
    }

    @Override
    public long workingsetEviction(int pfn, MemCgroup target) {
        return workingset.eviction(pfn);
    }

    /** add_to_page_cache_lru: no refault check for __GFP_WRITE adds. */
    @Override
    public void workingsetRefault(int pfn, long shadow, int gfp) {
        if (!dev.memcgdiff.mm.Gfp.has(gfp, dev.memcgdiff.mm.Gfp.WRITE)) {
            workingset.refault(pfn, shadow);
        }
    }

    @Override
    public boolean anonShadows() {
        return false;
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

    /** should_reclaim_retry: MAX_RECLAIM_RETRIES loops without progress, then the OOM killer. */
    @Override
    public int allocNoProgressRetries() {
        return Vmscan.MAX_RECLAIM_RETRIES;
    }

    @Override
    public boolean outOfMemory(int gfp, Task current) {
        return oomKill.globalOutOfMemory(gfp);
    }

    /**
     * pagefault_out_of_memory (4.18.0-147): a recorded memcg OOM (oom_kill_disable) sleeps in
     * mem_cgroup_oom_synchronize; otherwise the memcg OOM already ran inside the charge and the
     * fault is retried.
     */
    @Override
    public FaultRetry pagefaultOutOfMemory(Task task) {
        if (task.memcgInOom != null) {
            return memcontrol.oomSynchronize(task) ? FaultRetry.RETRY : FaultRetry.STUCK;
        }
        return FaultRetry.RETRY;
    }
}
