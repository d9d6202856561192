package dev.memcgdiff.mm.vmscan;

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

    /** cgroup_reclaim(sc) / !global_reclaim(sc). */
    public boolean cgroupReclaim() {
        return targetMemcg != null;
    }

    public static final int DEACTIVATE_ANON = 1;
    public static final int DEACTIVATE_FILE = 2;
}
