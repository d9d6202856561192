package dev.memcgdiff.mm.memcg;

/**
 * Per-memcg page state counters, in pages, local to the memcg (the kernel's memcg stat items:
 * MEMCG_CACHE, MEMCG_RSS, MEMCG_RSS_HUGE, NR_SHMEM, NR_FILE_MAPPED, NR_FILE_DIRTY,
 * NR_WRITEBACK, MEMCG_SWAP, NR_SWAPCACHE). Each kernel prints the subset and names it has.
 */
public enum MemcgStat {
    /** Page cache charged here, tmpfs/shmem included (v1 "cache", v2 "file"). */
    CACHE,
    /** Anonymous pages, anon swap cache included (v1 "rss", v2 "anon"). */
    RSS,
    /** Anonymous pages charged as transparent huge pages. */
    RSS_HUGE,
    /** tmpfs/shmem pages (v1 "shmem" from 4.x, v2 "shmem"). */
    SHMEM,
    /** Page cache mapped into at least one task (v1 "mapped_file", v2 "file_mapped"). */
    MAPPED_FILE,
    DIRTY,
    WRITEBACK,
    /** Swap entries charged to this memcg (v1 "swap"). */
    SWAP,
    /** Anonymous pages in swap cache (5.18 "swapcached"). */
    SWAPCACHE
}
