package dev.memcgdiff.linux310;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;

/**
 * mm/swap.c of 3.10.0-1160 with rmap.c's page_add_new_anon_rmap: where a page joins the LRU,
 * mark_page_accessed and activate_page, each keeping reclaim_stat (update_page_reclaim_stat).
 */
final class Swap {
    private final Machine m;
    private final Pages pages;
    private final Workingset workingset;

    Swap(Machine m, Workingset workingset) {
        this.m = m;
        this.pages = m.pages;
        this.workingset = workingset;
    }

    /** page_add_new_anon_rmap: SetPageActive, then lru_cache_add: a new anon page starts on active_anon. */
    void lruAddNewAnon(int pfn) {
        pages.set(pfn, PageFlags.PG_ACTIVE);
        add(pfn, m.lruvecOf(pfn));
    }

    /**
     * lru_cache_add for page cache (active only if workingset_refault activated it), and
     * lru_cache_add_anon for tmpfs and swapped-in pages, which clears PG_active: they start on
     * inactive_anon.
     */
    void lruCacheAdd(int pfn, Lruvec lruvec) {
        if (pages.test(pfn, PageFlags.PG_SWAPBACKED)) {
            pages.clear(pfn, PageFlags.PG_ACTIVE);
        }
        add(pfn, lruvec);
    }

    /** __pagevec_lru_add_fn: the list the flags name; recent_scanned++, recent_rotated++ if active. */
    private void add(int pfn, Lruvec lruvec) {
        int type = pages.isFileCache(pfn) ? Lru.FILE : Lru.ANON;
        boolean active = pages.test(pfn, PageFlags.PG_ACTIVE);
        lruvec.addHead(pfn, Lru.of(type, active));
        lruvec.recentScanned[type]++;
        if (active) {
            lruvec.recentRotated[type]++;
        }
    }

    /**
     * mark_page_accessed: an inactive, referenced page is activated (and a file page advances
     * the zone's workingset clock); otherwise the page becomes referenced.
     */
    void markPageAccessed(int pfn) {
        if (!pages.test(pfn, PageFlags.PG_ACTIVE) && !pages.test(pfn, PageFlags.PG_UNEVICTABLE)
            && pages.test(pfn, PageFlags.PG_REFERENCED)) {
            if (pages.test(pfn, PageFlags.PG_LRU)) {
                activatePage(pfn);
            } else {
                pages.set(pfn, PageFlags.PG_ACTIVE);
            }
            pages.clear(pfn, PageFlags.PG_REFERENCED);
            if (pages.isFileCache(pfn)) {
                workingset.activation(pfn);
            }
        } else if (!pages.test(pfn, PageFlags.PG_REFERENCED)) {
            pages.set(pfn, PageFlags.PG_REFERENCED);
        }
    }

    /** __activate_page: to the active list's head; PGACTIVATE (host only: no memcg event in 3.10). */
    private void activatePage(int pfn) {
        Lruvec lruvec = m.lruvecOf(pfn);
        int type = pages.isFileCache(pfn) ? Lru.FILE : Lru.ANON;
        lruvec.delete(pfn);
        pages.set(pfn, PageFlags.PG_ACTIVE);
        lruvec.addHead(pfn, Lru.of(type, true));
        m.countHostEvent(VmEvent.PGACTIVATE, 1);
        lruvec.recentScanned[type]++;
        lruvec.recentRotated[type]++;
    }
}
