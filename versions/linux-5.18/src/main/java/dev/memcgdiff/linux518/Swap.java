package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.mm.task.Task;

/**
 * mm/swap.c of 5.18: LRU adds (a new anon page starts inactive), folio_mark_accessed with its
 * activation, and lru_note_cost, the anon/file cost that get_scan_count balances.
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

    /**
     * lru_cache_add_inactive_or_unevictable (do_anonymous_page): a VM_LOCKED area's page goes
     * to the unevictable list (mlock_new_page); any other joins inactive_anon.
     */
    void lruCacheAddInactiveOrUnevictable(int pfn) {
        Task owner = m.task(pages.mapping(pfn));
        if (owner.anonVma.locked()) {
            pages.set(pfn, PageFlags.PG_UNEVICTABLE);
            m.lruvecOf(pfn).addHead(pfn, Lru.UNEVICTABLE);
            return;
        }
        lruAdd(pfn, m.lruvecOf(pfn));
    }

    /** __pagevec_lru_add_fn: the list the page's flags name (swap-backed pages on the anon LRU). */
    void lruAdd(int pfn, Lruvec lruvec) {
        if (pages.test(pfn, PageFlags.PG_UNEVICTABLE)) {
            lruvec.addHead(pfn, Lru.UNEVICTABLE);
            return;
        }
        int type = pages.isFileCache(pfn) ? Lru.FILE : Lru.ANON;
        lruvec.addHead(pfn, Lru.of(type, pages.test(pfn, PageFlags.PG_ACTIVE)));
    }

    /**
     * folio_mark_accessed: unreferenced becomes referenced; inactive and referenced is activated
     * (anon and file alike), loses PG_referenced and ages the workingset clock.
     */
    void folioMarkAccessed(int pfn) {
        if (!pages.test(pfn, PageFlags.PG_REFERENCED)) {
            pages.set(pfn, PageFlags.PG_REFERENCED);
        } else if (pages.test(pfn, PageFlags.PG_UNEVICTABLE)) {
            return;
        } else if (!pages.test(pfn, PageFlags.PG_ACTIVE)) {
            // Off the LRU and in no pagevec (isolated by reclaim): folio_activate has nothing to do.
            if (pages.test(pfn, PageFlags.PG_LRU)) {
                folioActivate(pfn);
            }
            pages.clear(pfn, PageFlags.PG_REFERENCED);
            workingset.activation(pfn);
        }
    }

    /** __folio_activate: to the active list's head; PGACTIVATE on the host and the lruvec's memcg. */
    private void folioActivate(int pfn) {
        Lruvec lruvec = m.lruvecOf(pfn);
        int type = pages.isFileCache(pfn) ? Lru.FILE : Lru.ANON;
        lruvec.delete(pfn);
        pages.set(pfn, PageFlags.PG_ACTIVE);
        lruvec.addHead(pfn, Lru.of(type, true));
        m.countEvent(VmEvent.PGACTIVATE, m.memcgOf(pfn), 1);
    }

    /**
     * lru_note_cost: add the cost to the lruvec and every ancestor's; at each level, halve both
     * costs once they exceed a quarter of that level's (hierarchical) LRU pages.
     */
    void lruNoteCost(MemCgroup memcg, int node, boolean file, long nrPages) {
        for (MemCgroup c = memcg; c != null; c = LruvecState.parent(c)) {
            Lruvec lruvec = c.lruvec(node);
            if (file) {
                lruvec.fileCost += nrPages;
            } else {
                lruvec.anonCost += nrPages;
            }
            long lrusize = LruvecState.evictable(c, node);
            if (lruvec.fileCost + lruvec.anonCost > lrusize / 4) {
                lruvec.fileCost /= 2;
                lruvec.anonCost /= 2;
            }
        }
    }
}
