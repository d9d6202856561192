package dev.memcgdiff.linux418;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;

/** mm/swap.c of 4.18: LRU adds, mark_page_accessed, activate_page, with reclaim_stat bookkeeping. */
final class Swap {
    private final Machine m;
    private final Pages pages;
    private final Workingset workingset;

    Swap(Machine m, Workingset workingset) {
        this.m = m;
        this.pages = m.pages;
        this.workingset = workingset;
    }

    /** lru_cache_add_active_or_unevictable: a new anonymous page starts on the active anon list. */
    void lruAddNewAnon(int pfn) {
        pages.set(pfn, PageFlags.PG_ACTIVE);
        lruCacheAdd(pfn, m.lruvecOf(pfn));
    }

    /** __pagevec_lru_add_fn: the list its flags name; update_page_reclaim_stat. */
    void lruCacheAdd(int pfn, Lruvec lruvec) {
        int type = pages.isFileCache(pfn) ? Lru.FILE : Lru.ANON;
        boolean active = pages.test(pfn, PageFlags.PG_ACTIVE);
        lruvec.addHead(pfn, Lru.of(type, active));
        lruvec.recentScanned[type]++;
        if (active) {
            lruvec.recentRotated[type]++;
        }
    }

    /** mark_page_accessed: inactive + referenced is activated, otherwise the page becomes referenced. */
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

    /** __activate_page: to the active list's head; PGACTIVATE host-wide only. */
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
