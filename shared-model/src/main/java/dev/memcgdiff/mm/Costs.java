package dev.memcgdiff.mm;

/**
 * What the model charges to the clock, in nanoseconds: orders of magnitude of a current x86-64
 * server, the same for every kernel (the kernels differ in what they do, not in how fast a page
 * is zeroed). docs/FIDELITY.md ("Time") says where each number comes from.
 */
public final class Costs {
    private Costs() {}

    /** The exception, the page table walk and the return of a minor fault (~0.5 us with mitigations). */
    public static final long FAULT_NS = 500;
    /** clear_page of 4 KiB at ~10 GB/s. */
    public static final long ZERO_PAGE_NS = 400;
    /** copy_to_user / copy_from_user of 4 KiB at ~10 GB/s (read(2), write(2)). */
    public static final long COPY_PAGE_NS = 400;
    /** The system call and page cache lookup per page of a buffered read or write. */
    public static final long FILE_PAGE_NS = 200;
    /** A memcg charge: the per-CPU stock or a page_counter update (tens of ns). */
    public static final long CHARGE_NS = 50;
    /** Reclaim's cost per page scanned: isolation, the rmap check, putback (tens of ns). */
    public static final long SCAN_PAGE_NS = 50;
    /** Unmapping and freeing a reclaimed page (TLB flush amortised). */
    public static final long RECLAIM_PAGE_NS = 300;
    /** Re-accessing a resident page (a touch): a cache miss or two. */
    public static final long TOUCH_PAGE_NS = 100;
}
