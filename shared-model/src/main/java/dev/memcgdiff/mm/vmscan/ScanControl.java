package dev.memcgdiff.mm.vmscan;

import static dev.memcgdiff.mm.vmscan.VmscanConstants.DEF_PRIORITY;
import static dev.memcgdiff.mm.vmscan.VmscanConstants.SWAP_CLUSTER_MAX;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.memcg.MemCgroup;

/** struct scan_control: one reclaim invocation's parameters and running totals (mm/vmscan.c). */
public final class ScanControl {
    public long nrToReclaim;
    public long nrReclaimed;
    public long nrScanned;
    public int priority;
    public final int gfp;
    /** The memcg whose limit is reclaimed, or null for global reclaim. */
    public final MemCgroup targetMemcg;

    public boolean maySwap;
    public boolean mayUnmap = true;
    public boolean mayWritepage;
    public final boolean kswapd;
    /** mem_cgroup_soft_limit_reclaim's per-memcg pass (for the trace). */
    public boolean softLimit;
    /** 4.18/5.18: a second pass that may reclaim memory.low-protected memcgs. */
    public boolean memcgLowReclaim;

    public boolean memcgLowSkipped;
    /** 5.18 may_deactivate bits and the decisions shrink_node derives. */
    public int mayDeactivate;

    public boolean forceDeactivate;
    public boolean skippedDeactivate;
    public boolean cacheTrimMode;
    public boolean fileIsTiny;
    /** Per-pass counts of what shrink_page_list met (nr_dirty, nr_unqueued_dirty, ...). */
    public long nrDirty;

    public long nrUnqueuedDirty;
    /** 5.18's anon_cost / file_cost snapshot of the target lruvec. */
    public long anonCost;

    public long fileCost;

    public ScanControl(int gfp, MemCgroup target, boolean kswapd) {
        this.gfp = gfp;
        this.targetMemcg = target;
        this.kswapd = kswapd;
    }

    /**
     * try_to_free_pages' scan_control (every modelled kernel): global direct reclaim of
     * SWAP_CLUSTER_MAX pages from DEF_PRIORITY, writepage and swap allowed.
     */
    public static ScanControl tryToFreePages(int gfp) {
        ScanControl sc = new ScanControl(gfp, null, false);
        sc.nrToReclaim = SWAP_CLUSTER_MAX;
        sc.priority = DEF_PRIORITY;
        sc.mayWritepage = true;
        sc.maySwap = true;
        return sc;
    }

    /**
     * try_to_free_mem_cgroup_pages' scan_control (every modelled kernel): limit reclaim under
     * {@code memcg} from DEF_PRIORITY. The target differs: 3.10 always SWAP_CLUSTER_MAX, 4.18 and
     * 5.18 max(nr_pages, SWAP_CLUSTER_MAX); so does the scan mask each derives from the charge's.
     */
    public static ScanControl memcgReclaim(int gfp, MemCgroup memcg, long nrToReclaim, boolean maySwap) {
        ScanControl sc = new ScanControl(gfp, memcg, false);
        sc.nrToReclaim = nrToReclaim;
        sc.priority = DEF_PRIORITY;
        sc.mayWritepage = true;
        sc.maySwap = maySwap;
        return sc;
    }

    /**
     * mem_cgroup_shrink_node (4.18, 5.18) / mem_cgroup_shrink_node_zone (3.10): soft limit
     * reclaim of one memcg at priority 0, SWAP_CLUSTER_MAX pages. The mask is the version's
     * (4.18 GFP_KERNEL, 3.10 and 5.18 GFP_HIGHUSER_MOVABLE).
     */
    public static ScanControl softLimit(int gfp, MemCgroup memcg) {
        ScanControl sc = new ScanControl(gfp, memcg, false);
        sc.softLimit = true;
        sc.nrToReclaim = SWAP_CLUSTER_MAX;
        sc.priority = 0;
        sc.mayWritepage = true;
        sc.maySwap = true;
        return sc;
    }

    /** balance_pgdat's scan_control (every modelled kernel): GFP_KERNEL from DEF_PRIORITY, writepage and swap allowed. */
    public static ScanControl kswapd() {
        ScanControl sc = new ScanControl(Gfp.GFP_KERNEL, null, true);
        sc.priority = DEF_PRIORITY;
        sc.mayWritepage = true;
        sc.maySwap = true;
        return sc;
    }

    /** cgroup_reclaim(sc) / !global_reclaim(sc). */
    public boolean cgroupReclaim() {
        return targetMemcg != null;
    }

    public static final int DEACTIVATE_ANON = 1;
    public static final int DEACTIVATE_FILE = 2;
}
