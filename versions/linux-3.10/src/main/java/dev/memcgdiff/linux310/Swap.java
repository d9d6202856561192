package dev.memcgdiff.linux310;

import dev.memcgdiff.kernel.LruOps;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.lru.ReclaimStatLru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.page.PageFlags;

/**
 * mm/swap.c of 3.10.0-1160 with rmap.c's page_add_new_anon_rmap: where a page joins the LRU and
 * mark_page_accessed, each keeping reclaim_stat (update_page_reclaim_stat). The shadow entries
 * of reclaimed and refaulting pages are {@link Workingset}'s.
 */
final class Swap implements LruOps {
    private final Machine m;
    private final Workingset workingset;
    private final ReclaimStatLru lru;

    Swap(Machine m, Workingset workingset) {
        this.m = m;
        this.workingset = workingset;
        this.lru = new ReclaimStatLru(m, workingset::activation);
    }

    /** page_add_new_anon_rmap: SetPageActive, then lru_cache_add: a new anon page starts on active_anon. */
    @Override
    public void lruAddNewAnon(int pfn) {
        m.pages.set(pfn, PageFlags.PG_ACTIVE);
        lru.add(pfn, m.lruvecOf(pfn));
    }

    /**
     * lru_cache_add for page cache (active only if workingset_refault activated it), and
     * lru_cache_add_anon for tmpfs and swapped-in pages, which clears PG_active: they start on
     * inactive_anon.
     */
    @Override
    public void lruCacheAdd(int pfn, Lruvec lruvec) {
        if (m.pages.test(pfn, PageFlags.PG_SWAPBACKED)) {
            m.pages.clear(pfn, PageFlags.PG_ACTIVE);
        }
        lru.add(pfn, lruvec);
    }

    /** mark_page_accessed: a file page's activation advances the zone's workingset clock. */
    @Override
    public void markPageAccessed(int pfn) {
        lru.markPageAccessed(pfn);
    }

    /** workingset_eviction: the zone-wide shadow; the reclaim target plays no part in 3.10. */
    @Override
    public long workingsetEviction(int pfn, MemCgroup target) {
        return workingset.eviction(pfn);
    }

    /** workingset_refault, for every page cache add that finds a shadow, __GFP_WRITE adds included. */
    @Override
    public void workingsetRefault(int pfn, long shadow) {
        workingset.refault(pfn, shadow);
    }
}
