package dev.memcgdiff.kernel;

import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;

/** mm/swap.c and mm/workingset.c: where pages join the LRU, how an access promotes them, and their shadows. */
public interface LruOps {
    /**
     * lru_cache_add_active_or_unevictable / lru_cache_add_inactive_or_unevictable: put a freshly
     * faulted anonymous page on its list.
     */
    void lruAddNewAnon(int pfn);

    /** lru_cache_add (__pagevec_lru_add_fn): a page cache, tmpfs or swapped-in page joins the LRU. */
    void lruCacheAdd(int pfn, Lruvec lruvec);

    /** mark_page_accessed / folio_mark_accessed. */
    void markPageAccessed(int pfn);

    /** workingset_eviction: the shadow entry a reclaimed page leaves behind ({@code target}: the reclaim root). */
    long workingsetEviction(int pfn, MemCgroup target);

    /** workingset_refault: a page comes back where its shadow was; may set PG_active. */
    void workingsetRefault(int pfn, long shadow);
}
