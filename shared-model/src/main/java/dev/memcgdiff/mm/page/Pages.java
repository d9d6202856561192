package dev.memcgdiff.mm.page;

import static dev.memcgdiff.mm.page.PageFlags.LRU_MASK;
import static dev.memcgdiff.mm.page.PageFlags.LRU_NONE;
import static dev.memcgdiff.mm.page.PageFlags.LRU_SHIFT;
import static dev.memcgdiff.mm.page.PageFlags.MAPCOUNT_MAX;
import static dev.memcgdiff.mm.page.PageFlags.MAPCOUNT_SHIFT;

/**
 * The struct page array: every simulated 4 KiB page frame as a column of primitive arrays,
 * indexed by page frame number. 26 bytes a page: flags (with LRU list and map count), owning
 * memcg id, LRU links, mapping and index, and page->private (the swap entry of a swap-cache page).
 *
 * <p>{@code mapping} is a task id for anonymous pages ({@link PageFlags#PG_ANON}) and a file id for
 * page cache and tmpfs pages; {@code index} is the virtual page number or the file page index.
 */
public final class Pages {
    public static final int NONE = -1;

    private final int count;
    private final int[] flags;
    private final short[] memcg;
    private final int[] prev;
    private final int[] next;
    private final int[] mapping;
    private final int[] index;
    private final int[] priv;

    public Pages(int count) {
        this.count = count;
        this.flags = new int[count];
        this.memcg = new short[count];
        this.prev = new int[count];
        this.next = new int[count];
        this.mapping = new int[count];
        this.index = new int[count];
        this.priv = new int[count];
    }

    public int count() {
        return count;
    }

    /** Bytes of heap the page arrays take per page, for the budget test. */
    public static int bytesPerPage() {
        return 4 + 2 + 4 + 4 + 4 + 4 + 4;
    }

    public boolean test(int pfn, int flag) {
        return (flags[pfn] & flag) != 0;
    }

    public void set(int pfn, int flag) {
        flags[pfn] |= flag;
    }

    public void clear(int pfn, int flag) {
        flags[pfn] &= ~flag;
    }

    /** TestClearPageReferenced and friends: clear and say whether it was set. */
    public boolean testAndClear(int pfn, int flag) {
        boolean was = (flags[pfn] & flag) != 0;
        flags[pfn] &= ~flag;
        return was;
    }

    public int flags(int pfn) {
        return flags[pfn];
    }

    /** Reset a page to the state the allocator hands out: no flags, no owner, no list. */
    public void reset(int pfn) {
        flags[pfn] = LRU_NONE << LRU_SHIFT;
        memcg[pfn] = 0;
        prev[pfn] = NONE;
        next[pfn] = NONE;
        mapping[pfn] = NONE;
        index[pfn] = 0;
        priv[pfn] = NONE;
    }

    public int lru(int pfn) {
        return (flags[pfn] & LRU_MASK) >>> LRU_SHIFT;
    }

    public void setLru(int pfn, int lru) {
        flags[pfn] = (flags[pfn] & ~LRU_MASK) | (lru << LRU_SHIFT);
    }

    public int mapcount(int pfn) {
        return flags[pfn] >>> MAPCOUNT_SHIFT;
    }

    public void setMapcount(int pfn, int n) {
        if (n < 0 || n > MAPCOUNT_MAX) {
            throw new IllegalStateException("mapcount " + n + " out of range for pfn " + pfn);
        }
        flags[pfn] = (flags[pfn] & ((1 << MAPCOUNT_SHIFT) - 1)) | (n << MAPCOUNT_SHIFT);
    }

    /** The owning memcg's id (0 for none: root pages are owned by root, id 1). */
    public int memcg(int pfn) {
        return memcg[pfn];
    }

    public void setMemcg(int pfn, int id) {
        memcg[pfn] = (short) id;
    }

    public int prev(int pfn) {
        return prev[pfn];
    }

    public int next(int pfn) {
        return next[pfn];
    }

    public void setPrev(int pfn, int p) {
        prev[pfn] = p;
    }

    public void setNext(int pfn, int n) {
        next[pfn] = n;
    }

    public int mapping(int pfn) {
        return mapping[pfn];
    }

    public int index(int pfn) {
        return index[pfn];
    }

    public void setMapping(int pfn, int owner, int idx) {
        mapping[pfn] = owner;
        index[pfn] = idx;
    }

    public int priv(int pfn) {
        return priv[pfn];
    }

    public void setPriv(int pfn, int value) {
        priv[pfn] = value;
    }

    public boolean isAnon(int pfn) {
        return (flags[pfn] & PageFlags.PG_ANON) != 0;
    }

    /** page_is_file_cache: not swap-backed, so it lives on the file LRU. */
    public boolean isFileCache(int pfn) {
        return (flags[pfn] & PageFlags.PG_SWAPBACKED) == 0;
    }

    /** tmpfs/shmem: swap-backed page cache. */
    public boolean isShmem(int pfn) {
        return (flags[pfn] & (PageFlags.PG_SWAPBACKED | PageFlags.PG_ANON)) == PageFlags.PG_SWAPBACKED;
    }
}
