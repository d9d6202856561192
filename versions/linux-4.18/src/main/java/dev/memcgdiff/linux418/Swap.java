package dev.memcgdiff.linux418;

import dev.memcgdiff.kernel.LruOps;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.lru.ReclaimStatLru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.page.PageFlags;

/**
 * mm/swap.c of 4.18: LRU adds and mark_page_accessed with reclaim_stat bookkeeping, as 3.10 does
 * them; the shadow entries are mm/workingset.c's ({@link Workingset}).
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

    /** lru_cache_add_active_or_unevictable: a new anonymous page starts on the active anon list. */
    @Override
    public void lruAddNewAnon(int pfn) {
        m.pages.set(pfn, PageFlags.PG_ACTIVE);
        lru.add(pfn, m.lruvecOf(pfn));
    }

    /** lru_cache_add (__pagevec_lru_add_fn): the list its flags name. */
    @Override
    public void lruCacheAdd(int pfn, Lruvec lruvec) {
        lru.add(pfn, lruvec);
    }

    /** mark_page_accessed. */
    @Override
    public void markPageAccessed(int pfn) {
        lru.markPageAccessed(pfn);
    }

    /** workingset_eviction (4.18): the stamp is the page's own lruvec's, whatever the reclaim root. */
    @Override
    public long workingsetEviction(int pfn, MemCgroup target) {
        return workingset.eviction(pfn);
    }

    /** workingset_refault (4.18): file pages only; anon leaves no shadow in this kernel. */
    @Override
    public void workingsetRefault(int pfn, long shadow) {
        workingset.refault(pfn, shadow);
    }
}
