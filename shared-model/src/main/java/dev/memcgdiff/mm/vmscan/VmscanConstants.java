package dev.memcgdiff.mm.vmscan;

/** The reclaim constants of the modelled kernels, each in one place (a kernel that lacks one says so below). */
public final class VmscanConstants {
    /** DEF_PRIORITY (mm/vmscan.c, include/linux/mmzone.h in 3.10): a reclaim pass starts scanning lists >> 12. */
    public static final int DEF_PRIORITY = 12;
    /** SWAP_CLUSTER_MAX (include/linux/swap.h): the batch reclaim scans and aims for. */
    public static final int SWAP_CLUSTER_MAX = 32;
    /**
     * MAX_RECLAIM_RETRIES (mm/page_alloc.c in 4.18, mm/internal.h in 5.18, where memcontrol.c uses
     * it too): passes without progress before an OOM. 3.10 has no such bound.
     */
    public static final int MAX_RECLAIM_RETRIES = 16;
    /**
     * MEM_CGROUP_RECLAIM_RETRIES (mm/memcontrol.c, 3.10 and 4.18): the memcg charge's and limit
     * writes' retry bound; 5.18 uses MAX_RECLAIM_RETRIES instead.
     */
    public static final int MEM_CGROUP_RECLAIM_RETRIES = 5;

    private VmscanConstants() {}
}
