package dev.memcgdiff.mm;

/**
 * gfp_t: the allocation and charge flags the modelled paths pass (include/linux/gfp.h). Each kernel's
 * bit values and %pGg names for them are its {@link GfpFormat}.
 */
public final class Gfp {
    public static final int IO = 1;
    public static final int FS = 1 << 1;
    /** __GFP_DIRECT_RECLAIM (3.10: __GFP_WAIT): the caller may sleep and reclaim. */
    public static final int DIRECT_RECLAIM = 1 << 2;

    public static final int NORETRY = 1 << 3;
    public static final int RETRY_MAYFAIL = 1 << 4;
    public static final int NOFAIL = 1 << 5;
    public static final int WRITE = 1 << 6;
    public static final int HIGH = 1 << 7;
    public static final int NOWARN = 1 << 8;
    public static final int HIGHMEM_MOVABLE = 1 << 9;

    public static final int GFP_KERNEL = IO | FS | DIRECT_RECLAIM;
    public static final int GFP_HIGHUSER_MOVABLE = GFP_KERNEL | HIGHMEM_MOVABLE;
    /**
     * GFP_TRANSHUGE_LIGHT: a THP fault outside madvised ranges with the default defrag setting
     * may not enter direct reclaim.
     */
    public static final int TRANSHUGE_LIGHT = GFP_HIGHUSER_MOVABLE & ~DIRECT_RECLAIM | NOWARN;
    /** readahead_gfp_mask: the mapping's gfp with __GFP_NORETRY | __GFP_NOWARN. */
    public static final int READAHEAD = GFP_HIGHUSER_MOVABLE | NORETRY | NOWARN;

    /**
     * GFP_RECLAIM_MASK (mm/internal.h) in the model's flags: what a reclaim may do, not where its
     * pages come from; the same model flags in every modelled kernel.
     */
    public static final int RECLAIM_MASK = IO | FS | DIRECT_RECLAIM | NORETRY | RETRY_MAYFAIL | NOFAIL | HIGH | NOWARN;

    private Gfp() {}

    public static boolean has(int gfp, int flag) {
        return (gfp & flag) != 0;
    }

    /**
     * try_to_free_mem_cgroup_pages' scan mask (3.10, 4.18; 5.18 keeps only the IO, FS and reclaim
     * bits): the caller's reclaim bits with GFP_HIGHUSER_MOVABLE's placement bits, so a NOIO or
     * NOFS charge reclaims without I/O or FS.
     */
    public static int memcgReclaimMask(int gfp) {
        return (gfp & RECLAIM_MASK) | (GFP_HIGHUSER_MOVABLE & ~RECLAIM_MASK);
    }
}
