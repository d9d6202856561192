package dev.memcgdiff.linux518;

import dev.memcgdiff.kernel.LruOps;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.mm.task.Task;

/**
 * mm/swap.c of 5.18: LRU adds (a new anon page starts inactive) and folio_mark_accessed with its
 * activation; the LRU table of the kernel, whose two workingset entries are mm/workingset.c's
 * ({@link Workingset}). lru_note_cost is {@link LruCost}.
 */
final class Swap implements LruOps {
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
    @Override
    public void lruAddNewAnon(int pfn) {
        Task owner = m.task(pages.mapping(pfn));
        if (owner.anonVma.locked()) {
            pages.set(pfn, PageFlags.PG_UNEVICTABLE);
            m.lruvecOf(pfn).addHead(pfn, Lru.UNEVICTABLE);
            return;
        }
        lruAdd(pfn, m.lruvecOf(pfn));
    }

    /** lru_cache_add: a page cache, tmpfs or swapped-in page joins the LRU. */
    @Override
    public void lruCacheAdd(int pfn, Lruvec lruvec) {
        lruAdd(pfn, lruvec);
    }

    /** __pagevec_lru_add_fn: the list the page's flags name (swap-backed pages on the anon LRU). */
    private void lruAdd(int pfn, Lruvec lruvec) {
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
    @Override
    public void markPageAccessed(int pfn) {
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

    /** workingset_eviction (mm/workingset.c). */
    @Override
    public long workingsetEviction(int pfn, MemCgroup target) {
        return workingset.eviction(pfn, target);
    }

    /** workingset_refault (mm/workingset.c); the __GFP_WRITE skip is the shared model's (a trait). */
    @Override
    public void workingsetRefault(int pfn, long shadow) {
        workingset.refault(pfn, shadow);
    }
}
