package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.Mm;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.mm.vmscan.LruReclaim;
import dev.memcgdiff.mm.vmscan.PageBatch;
import dev.memcgdiff.mm.vmscan.ReclaimRules;
import dev.memcgdiff.mm.vmscan.ReclaimStats;
import dev.memcgdiff.mm.vmscan.ScanControl;

/**
 * shrink_page_list and move_pages_to_lru (5.18) on the shared LruReclaim page loop, whose
 * decisions are 5.18's under {@link #RULES}. Only what 5.18 does around those decisions is here:
 * nr_scanned and folio_check_dirty_writeback's counts taken before any decision,
 * activate_locked's swap release and PGACTIVATE, and the nonresident ageing of every page put
 * back active.
 */
final class ShrinkPageList {
    /**
     * folio_check_references and shrink_page_list (5.18): dirty file pages and VM_LOCKED pages are
     * activated, shrink_active_list sets PG_workingset, and a swap-backed page's first referenced
     * pte only marks it referenced (5.9+).
     */
    static final ReclaimRules RULES = new ReclaimRules(true, true, true, false);

    private final Machine m;
    private final Pages pages;
    private final Workingset workingset;
    private final LruReclaim lruReclaim;
    /** The last call's struct reclaim_stat as the shared loop keeps it (nr_pageout, nr_activate). */
    final ReclaimStats stat = new ReclaimStats();
    /** The last call's nr_unqueued_dirty (equal to nr_dirty: the model's writeback is never in flight). */
    long nrUnqueuedDirty;

    ShrinkPageList(Machine m, Workingset workingset, LruReclaim lruReclaim) {
        this.m = m;
        this.pages = m.pages;
        this.workingset = workingset;
        this.lruReclaim = lruReclaim;
    }

    /**
     * shrink_page_list over pages isolated from one of {@code memcg}'s inactive lists, then
     * move_pages_to_lru for the survivors.
     *
     * @return pages reclaimed
     */
    long shrinkPageList(Lruvec lruvec, MemCgroup memcg, PageBatch pageList, ScanControl sc) {
        stat.clear();
        sc.nrScanned += pageList.size();
        nrUnqueuedDirty = unqueuedDirty(pageList, sc);
        lruReclaim.shrinkPageList(lruvec, pageList, sc, stat);
        activateLocked(pageList, memcg);
        workingset.ageNonresident(memcg, lruvec.node(), stat.putbackActive[Lru.ANON] + stat.putbackActive[Lru.FILE]);
        return stat.reclaimed;
    }

    /**
     * folio_check_dirty_writeback as shrink_page_list calls it, before folio_check_references: a
     * dirty file page counts whatever is decided for it afterwards (only a page kept because
     * unmapping is not allowed escapes the count).
     */
    private long unqueuedDirty(PageBatch pageList, ScanControl sc) {
        long n = 0;
        for (int i = 0; i < pageList.size(); i++) {
            int pfn = pageList.get(i);
            if ((sc.mayUnmap || pages.mapcount(pfn) == 0) && pages.isFileCache(pfn)
                && pages.test(pfn, PageFlags.PG_DIRTY)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The rest of activate_locked for the pages the shared loop activated (every page of the list
     * still allocated and PG_active: they were all inactive when isolated): a swap cache page gives
     * its slot back when mem_cgroup_swap_full says so; PGACTIVATE on the memcg and host-wide.
     * The model checks swap fullness once the whole list is done rather than page by page.
     */
    private void activateLocked(PageBatch pageList, MemCgroup memcg) {
        Mm mm = new Mm(m);
        for (int i = 0; i < pageList.size(); i++) {
            int pfn = pageList.get(i);
            if (pages.test(pfn, PageFlags.PG_FREE) || !pages.test(pfn, PageFlags.PG_ACTIVE)) {
                continue;
            }
            if (pages.test(pfn, PageFlags.PG_SWAPCACHE) && mm.swapFull(m.memcgOf(pfn))) {
                tryToFreeSwap(pfn);
            }
        }
        long activated = stat.activated[Lru.ANON] + stat.activated[Lru.FILE];
        m.countMemcgOnly(VmEvent.PGACTIVATE, memcg, activated);
        m.countHostEvent(VmEvent.PGACTIVATE, activated);
    }

    /** try_to_free_swap: drop the swap cache copy of a page no swap entry refers to any more. */
    private void tryToFreeSwap(int pfn) {
        if (m.swap.count(pages.priv(pfn)) > 0) {
            return;
        }
        m.swapCache().delete(pfn);
        pages.set(pfn, PageFlags.PG_DIRTY);
    }
}
