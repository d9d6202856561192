package dev.memcgdiff.mm.page;

/**
 * Bits of {@link Pages#flags}: the page flags the model needs (include/linux/page-flags.h), the
 * LRU list the page sits on, and its map count, packed in one int per page.
 */
public final class PageFlags {
    public static final int PG_ANON = 1; // PageAnon: mapping is an anon_vma (here: a task's mm)
    public static final int PG_SWAPBACKED = 1 << 1;
    public static final int PG_ACTIVE = 1 << 2;
    public static final int PG_REFERENCED = 1 << 3;
    public static final int PG_WORKINGSET = 1 << 4;
    public static final int PG_DIRTY = 1 << 5;
    public static final int PG_WRITEBACK = 1 << 6;
    public static final int PG_UNEVICTABLE = 1 << 7;
    public static final int PG_LRU = 1 << 8;
    public static final int PG_SWAPCACHE = 1 << 9;
    public static final int PG_RECLAIM = 1 << 10;
    public static final int PG_ISOLATED = 1 << 11; // taken off the LRU by reclaim
    public static final int PG_FREE = 1 << 12; // in the buddy allocator
    public static final int PG_HUGE = 1 << 13; // part of a THP charged as one unit
    public static final int PG_MAPPEDTODISK = 1 << 14; // page cache read from disk: clean and uptodate

    static final int LRU_SHIFT = 16;
    static final int LRU_MASK = 0x7 << LRU_SHIFT;
    /** No LRU list. */
    public static final int LRU_NONE = 7;

    static final int MAPCOUNT_SHIFT = 20;
    static final int MAPCOUNT_MAX = (1 << 12) - 1;

    private PageFlags() {}
}
