package dev.memcgdiff.linux418;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.lru.ReclaimStatLru;
import dev.memcgdiff.mm.page.PageFlags;

/** mm/swap.c of 4.18: LRU adds and mark_page_accessed with reclaim_stat bookkeeping, as 3.10 does them. */
final class Swap {
    private final Machine m;
    private final ReclaimStatLru lru;

    Swap(Machine m, Workingset workingset) {
        this.m = m;
        this.lru = new ReclaimStatLru(m, workingset::activation);
    }

    /** lru_cache_add_active_or_unevictable: a new anonymous page starts on the active anon list. */
    void lruAddNewAnon(int pfn) {
        m.pages.set(pfn, PageFlags.PG_ACTIVE);
        lru.add(pfn, m.lruvecOf(pfn));
    }

    /** lru_cache_add (__pagevec_lru_add_fn): the list its flags name. */
    void lruCacheAdd(int pfn, Lruvec lruvec) {
        lru.add(pfn, lruvec);
    }

    /** mark_page_accessed. */
    void markPageAccessed(int pfn) {
        lru.markPageAccessed(pfn);
    }
}
