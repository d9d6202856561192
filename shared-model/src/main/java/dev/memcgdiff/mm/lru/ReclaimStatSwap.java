package dev.memcgdiff.mm.lru;

import dev.memcgdiff.kernel.LruOps;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.page.PageFlags;

/**
 * The LRU table (mm/swap.c with rmap.c's page_add_new_anon_rmap) of the kernels that keep
 * reclaim_stat, 3.10 and 4.18: a new anonymous page starts on the active list, every add and
 * mark_page_accessed keeps reclaim_stat ({@link ReclaimStatLru}); the shadow entries are the
 * kernel's own mm/workingset.c. 5.9's LRU cost model (5.18) is a table of its own.
 */
public final class ReclaimStatSwap implements LruOps {
    /** mm/workingset.c of the kernel: its shadow entries and its clock. */
    public interface Workingset {
        /** workingset_eviction: the shadow a reclaimed page leaves (the reclaim root plays no part). */
        long eviction(int pfn);

        /** workingset_refault: a page comes back where its shadow was; may set PG_active. */
        void refault(int pfn, long shadow);

        /** workingset_activation: mark_page_accessed promoted a file page. */
        void activation(int pfn);
    }

    private final Machine m;
    private final Workingset workingset;
    private final boolean swapBackedAddsInactive;
    private final ReclaimStatLru lru;

    /**
     * @param swapBackedAddsInactive 3.10: tmpfs and swapped-in pages join through
     *     lru_cache_add_anon, which clears PG_active, so they start on inactive_anon; 4.18's
     *     lru_cache_add puts every page on the list its flags name
     */
    public ReclaimStatSwap(Machine m, Workingset workingset, boolean swapBackedAddsInactive) {
        this.m = m;
        this.workingset = workingset;
        this.swapBackedAddsInactive = swapBackedAddsInactive;
        this.lru = new ReclaimStatLru(m, workingset::activation);
    }

    /**
     * page_add_new_anon_rmap + lru_cache_add (3.10) / lru_cache_add_active_or_unevictable
     * (4.18): SetPageActive, so a new anonymous page starts on active_anon.
     */
    @Override
    public void lruAddNewAnon(int pfn) {
        m.pages.set(pfn, PageFlags.PG_ACTIVE);
        lru.add(pfn, m.lruvecOf(pfn));
    }

    /**
     * lru_cache_add (__pagevec_lru_add_fn): the list the page's flags name (page cache active
     * only if workingset_refault activated it); 3.10's lru_cache_add_anon clears PG_active first.
     */
    @Override
    public void lruCacheAdd(int pfn, Lruvec lruvec) {
        if (swapBackedAddsInactive && m.pages.test(pfn, PageFlags.PG_SWAPBACKED)) {
            m.pages.clear(pfn, PageFlags.PG_ACTIVE);
        }
        lru.add(pfn, lruvec);
    }

    /** mark_page_accessed: a file page's activation advances the workingset clock. */
    @Override
    public void markPageAccessed(int pfn) {
        lru.markPageAccessed(pfn);
    }

    /**
     * workingset_eviction: 3.10's zone-wide shadow, 4.18's stamp of the page's own lruvec; the
     * reclaim target plays no part in either.
     */
    @Override
    public long workingsetEviction(int pfn, MemCgroup target) {
        return workingset.eviction(pfn);
    }

    /** workingset_refault, for every page cache add that finds a shadow (the __GFP_WRITE skip is a trait). */
    @Override
    public void workingsetRefault(int pfn, long shadow) {
        workingset.refault(pfn, shadow);
    }
}
