package dev.memcgdiff.linux310;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.lru.ReclaimStatLru;
import dev.memcgdiff.mm.page.PageFlags;

/**
 * mm/swap.c of 3.10.0-1160 with rmap.c's page_add_new_anon_rmap: where a page joins the LRU and
 * mark_page_accessed, each keeping reclaim_stat (update_page_reclaim_stat).
 */
final class Swap {
    private final Machine m;
    private final ReclaimStatLru lru;

    Swap(Machine m, Workingset workingset) {
        this.m = m;
        this.lru = new ReclaimStatLru(m, workingset::activation);
    }

    /** page_add_new_anon_rmap: SetPageActive, then lru_cache_add: a new anon page starts on active_anon. */
    void lruAddNewAnon(int pfn) {
        m.pages.set(pfn, PageFlags.PG_ACTIVE);
        lru.add(pfn, m.lruvecOf(pfn));
    }

    /**
     * lru_cache_add for page cache (active only if workingset_refault activated it), and
     * lru_cache_add_anon for tmpfs and swapped-in pages, which clears PG_active: they start on
     * inactive_anon.
     */
    void lruCacheAdd(int pfn, Lruvec lruvec) {
        if (m.pages.test(pfn, PageFlags.PG_SWAPBACKED)) {
            m.pages.clear(pfn, PageFlags.PG_ACTIVE);
        }
        lru.add(pfn, lruvec);
    }

    /** mark_page_accessed: a file page's activation advances the zone's workingset clock. */
    void markPageAccessed(int pfn) {
        lru.markPageAccessed(pfn);
    }
}
