package dev.memcgdiff.linux310;

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
import dev.memcgdiff.scenario.Knob;

/** The 3.10.0-1160 kernel's hooks, each delegating to the class named after its source. */
final class Ops implements KernelOps {
    /** init_per_zone_wmark_min's upper clamp in RHEL 7.9: 256 MiB (upstream 3.10 had 64 MiB). */
    static final long MIN_FREE_KBYTES_MAX = 262144;

    private final Machine m;
    private final Memcontrol memcontrol;
    private final MemcgOom oom;
    private final MemcgWrite write;
    private final MemcgFiles files;
    private final Workingset workingset;
    private final Swap swap;
    private final Vmscan vmscan;
    private final OomKill oomKill;

    Ops(Machine m) {
        this.m = m;
        this.memcontrol = new Memcontrol(m);
        this.oom = new MemcgOom(m);
        this.vmscan = new Vmscan(m, memcontrol, oom);
        this.oomKill = new OomKill(m, memcontrol, vmscan);
        this.write = new MemcgWrite(m, memcontrol, oom);
        this.files = new MemcgFiles(m, memcontrol);
        this.workingset = new Workingset(m);
        this.swap = new Swap(m, workingset);
        memcontrol.wire(vmscan, oom);
        oom.wire(oomKill);
        // shrink_page_list (3.10): dirty file pages are kept, not activated; a VM_LOCKED page goes
        // on to try_to_unmap; there is no PG_workingset.
        vmscan.wire(new LruReclaim(m, this, new ReclaimRules(false, false, false)));
    }

    /** 3.10 never sets memory.min or memory.low, so the protected usage is always 0 either way. */
    @Override
    public PageCounter.Propagation protectedUsagePropagation() {
        return PageCounter.Propagation.PER_LEVEL;
    }

    /** init_per_zone_wmark_min clamped to [128, 262144] kB; low = min + min/4, high = min + min/2. */
    @Override
    public void setupWatermarks() {
        Watermarks.setup(m, MIN_FREE_KBYTES_MAX, Watermarks.Formula.QUARTER_HALF);
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
            memcg.swappiness = memcontrol.vmSwappiness;
            return;
        }
        memcg.useHierarchy = parent.useHierarchy;
        memcg.oomKillDisable = parent.oomKillDisable;
        memcg.swappiness = memcontrol.swappiness(parent);
    }

    @Override
    public KnobWrite writeKnob(MemCgroup memcg, Knob knob) {
        return write.write(memcg, knob);
    }

    @Override
    public CgroupFiles cgroupFiles(MemCgroup memcg) {
        oom.wakeKilledSleepers();
        return files.read(memcg);
    }

    @Override
    public String vmstatName(VmEvent event) {
        return MemcgFiles.vmstatName(event);
    }

    @Override
    public boolean tryCharge(ChargeRequest request) {
        oom.wakeKilledSleepers();
        return memcontrol.tryCharge(request);
    }

    /** After a bypass (TIF_MEMDIE, fatal signal, __GFP_NOFAIL) the page belongs to the root cgroup, uncharged. */
    @Override
    public MemCgroup committedTo(ChargeRequest request) {
        return memcontrol.committedTo(request);
    }

    /** __mem_cgroup_do_uncharge / mem_cgroup_uncharge_end: memcg_oom_recover after every uncharge. */
    @Override
    public void memcgUncharged(MemCgroup memcg) {
        oom.recover(memcg);
    }

    /** handle_mm_fault's end without VM_FAULT_OOM: mem_cgroup_oom_synchronize(false) drops a recorded OOM. */
    @Override
    public void returnToUser(Task task) {
        if (task != null) {
            oom.forget(task);
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

    /** generic_perform_write calls mark_page_accessed after copying into every page it writes. */
    @Override
    public boolean writeMarksAccessed() {
        return true;
    }

    /** do_swap_page in 3.10 does not activate: the page stays where lru_cache_add_anon put it (inactive). */
    @Override
    public boolean swapinActivates() {
        return false;
    }

    @Override
    public long workingsetEviction(int pfn, MemCgroup target) {
        return workingset.eviction(pfn);
    }

    /** add_to_page_cache_lru checks every shadow, __GFP_WRITE adds included. */
    @Override
    public void workingsetRefault(int pfn, long shadow, int gfp) {
        workingset.refault(pfn, shadow);
    }

    /** v1 in 3.10 has no memory.events. */
    @Override
    public void memcgMemoryEvent(MemCgroup memcg, MemoryEvent event) {
    }

    @Override
    public boolean anonShadows() {
        return false;
    }

    @Override
    public long tryToFreeMemCgroupPages(MemCgroup memcg, long nrPages, int gfp, boolean maySwap) {
        return vmscan.tryToFreeMemCgroupPages(memcg, gfp, !maySwap);
    }

    @Override
    public long tryToFreePages(int gfp) {
        return vmscan.tryToFreePages(gfp);
    }

    @Override
    public void kswapd(Node node) {
        vmscan.kswapd(node);
    }

    /**
     * __alloc_pages_slowpath / should_alloc_retry: order-0 allocations retry for as long as
     * direct reclaim reports progress; the first round without progress goes to the OOM killer.
     */
    @Override
    public int allocNoProgressRetries() {
        return 0;
    }

    @Override
    public boolean outOfMemory(int gfp, Task current) {
        return oomKill.outOfMemory(gfp, 0, false);
    }

    /**
     * pagefault_out_of_memory (3.10): mem_cgroup_oom_synchronize(true) handles a recorded memcg
     * OOM (kill, or sleep); with none recorded, a global out_of_memory.
     */
    @Override
    public FaultRetry pagefaultOutOfMemory(Task task) {
        Boolean handled = oom.synchronize(task);
        if (handled == null) {
            oomKill.outOfMemory(0, 0, true);
            return FaultRetry.RETRY;
        }
        return handled ? FaultRetry.RETRY : FaultRetry.STUCK;
    }
}
