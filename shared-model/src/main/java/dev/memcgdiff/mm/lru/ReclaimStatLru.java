package dev.memcgdiff.mm.lru;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import java.util.function.IntConsumer;

/**
 * mm/swap.c as 3.10 and 4.18 have it (before 5.9 replaced reclaim_stat with the LRU cost model),
 * where both do the same: __pagevec_lru_add_fn puts a page on the list its flags name and
 * update_page_reclaim_stat counts it in recent_scanned (and recent_rotated when active);
 * mark_page_accessed activates an inactive referenced page through __activate_page, which counts
 * PGACTIVATE host-wide only, and tells the workingset about file activations.
 */
public final class ReclaimStatLru {
    private final Machine m;
    private final Pages pages;
    private final IntConsumer workingsetActivation;

    /** @param workingsetActivation the kernel's workingset_activation for a promoted file page */
    public ReclaimStatLru(Machine m, IntConsumer workingsetActivation) {
        this.m = m;
        this.pages = m.pages;
        this.workingsetActivation = workingsetActivation;
    }

    /** __pagevec_lru_add_fn + update_page_reclaim_stat. */
    public void add(int pfn, Lruvec lruvec) {
        int type = pages.isFileCache(pfn) ? Lru.FILE : Lru.ANON;
        boolean active = pages.test(pfn, PageFlags.PG_ACTIVE);
        lruvec.addHead(pfn, Lru.of(type, active));
        lruvec.recentScanned[type]++;
        if (active) {
            lruvec.recentRotated[type]++;
        }
    }

    /** mark_page_accessed: inactive + referenced is activated, otherwise the page becomes referenced. */
    public void markPageAccessed(int pfn) {
        if (!pages.test(pfn, PageFlags.PG_ACTIVE)
                && !pages.test(pfn, PageFlags.PG_UNEVICTABLE)
                && pages.test(pfn, PageFlags.PG_REFERENCED)) {
            if (pages.test(pfn, PageFlags.PG_LRU)) {
                activatePage(pfn);
            } else {
                pages.set(pfn, PageFlags.PG_ACTIVE);
            }
            pages.clear(pfn, PageFlags.PG_REFERENCED);
            if (pages.isFileCache(pfn)) {
                workingsetActivation.accept(pfn);
            }
        } else if (!pages.test(pfn, PageFlags.PG_REFERENCED)) {
            pages.set(pfn, PageFlags.PG_REFERENCED);
        }
    }

    /** __activate_page: to the active list's head; PGACTIVATE host-wide only (no memcg event). */
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
