package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.SwapCache;
import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.mm.vmscan.PageBatch;
import dev.memcgdiff.mm.vmscan.ScanControl;

/**
 * The page-level half of 5.18's mm/vmscan.c: shrink_page_list with folio_check_references,
 * pageout and __remove_mapping, and move_pages_to_lru. It is written here rather than taken from
 * the shared LruReclaim because 5.18's folio_check_references no longer activates a referenced
 * swap-backed page on its first pte reference (it keeps it, like a file page), its v2 swap
 * charge failure raises both events on the page's memcg, activation frees swap space when
 * swap is full, and putting an active page back ages the workingset clock.
 */
final class ShrinkPageList {
    /** enum page_references. */
    enum PageReferences { RECLAIM, RECLAIM_CLEAN, KEEP, ACTIVATE }

    private enum Result { FREED, KEEP, ACTIVATE }

    /** struct reclaim_stat, as far as the model's callers use it. */
    static final class ReclaimStat {
        long nrDirty;
        long nrUnqueuedDirty;
        long nrPageout;
        long nrRefKeep;
        long nrUnmapFail;
        final long[] nrActivate = new long[2];

        void clear() {
            nrDirty = 0;
            nrUnqueuedDirty = 0;
            nrPageout = 0;
            nrRefKeep = 0;
            nrUnmapFail = 0;
            nrActivate[0] = 0;
            nrActivate[1] = 0;
        }
    }

    private final Machine m;
    private final Pages pages;
    private final Memcontrol memcontrol;
    private final Workingset workingset;
    private final RotateReclaimable rotate;

    ShrinkPageList(Machine m, Memcontrol memcontrol, Workingset workingset, RotateReclaimable rotate) {
        this.m = m;
        this.pages = m.pages;
        this.memcontrol = memcontrol;
        this.workingset = workingset;
        this.rotate = rotate;
    }

    /**
     * shrink_page_list over isolated pages: frees what it can, and leaves in {@code ret} the
     * pages to put back (activated ones with PG_active set).
     *
     * @return pages reclaimed
     */
    long shrinkPageList(PageBatch pageList, ScanControl sc, ReclaimStat stat, PageBatch ret) {
        ret.clear();
        stat.clear();
        long nrReclaimed = 0;
        for (int i = 0; i < pageList.size(); i++) {
            int pfn = pageList.get(i);
            sc.nrScanned++;
            Result r = shrinkOne(pfn, sc, stat);
            if (r == Result.FREED) {
                nrReclaimed++;
                continue;
            }
            if (r == Result.ACTIVATE) {
                activateLocked(pfn, stat);
            }
            ret.add(pfn);
        }
        m.countHostEvent(VmEvent.PGACTIVATE, stat.nrActivate[0] + stat.nrActivate[1]);
        return nrReclaimed;
    }

    private Result shrinkOne(int pfn, ScanControl sc, ReclaimStat stat) {
        if (!sc.mayUnmap && pages.mapcount(pfn) > 0) {
            return Result.KEEP;
        }
        boolean file = pages.isFileCache(pfn);
        boolean mayEnterFs = Gfp.has(sc.gfp, Gfp.FS)
            || (pages.test(pfn, PageFlags.PG_SWAPCACHE) && Gfp.has(sc.gfp, Gfp.IO));
        if (file && pages.test(pfn, PageFlags.PG_DIRTY)) {
            stat.nrDirty++;
            stat.nrUnqueuedDirty++; // writeback completes at once in the model: dirty is never queued
        }
        PageReferences references = folioCheckReferences(pfn, sc);
        if (references == PageReferences.ACTIVATE) {
            return Result.ACTIVATE;
        }
        if (references == PageReferences.KEEP) {
            stat.nrRefKeep++;
            return Result.KEEP;
        }
        if (pages.isAnon(pfn) && pages.test(pfn, PageFlags.PG_SWAPBACKED)
            && !pages.test(pfn, PageFlags.PG_SWAPCACHE)) {
            if (!Gfp.has(sc.gfp, Gfp.IO)) {
                return Result.KEEP;
            }
            int slot = m.swapCache().addToSwap(pfn);
            if (slot < 0) {
                swapChargeFailed(pfn, slot);
                return Result.ACTIVATE;
            }
            mayEnterFs = true;
        }
        if (pages.mapcount(pfn) > 0 && !m.rmap().tryToUnmap(pfn)) {
            stat.nrUnmapFail++;
            return Result.ACTIVATE;
        }
        if (pages.test(pfn, PageFlags.PG_DIRTY)) {
            if (file) {
                // Only kswapd on a node flagged PGDAT_DIRTY writes file pages; the model's
                // flushers write them instead, and the page waits on the active list.
                pages.set(pfn, PageFlags.PG_RECLAIM);
                rotate.remember(pfn);
                return Result.ACTIVATE;
            }
            if (references == PageReferences.RECLAIM_CLEAN || !mayEnterFs || !sc.mayWritepage) {
                return Result.KEEP;
            }
            if (!pageout(pfn)) {
                return Result.ACTIVATE;
            }
            stat.nrPageout++;
        }
        removeMapping(pfn, sc);
        return Result.FREED;
    }

    /**
     * folio_check_references (5.18): VM_LOCKED activates; a referenced pte marks the page and
     * spares it one trip (KEEP), activating it only when it was already marked, has several
     * referencing ptes, or is executable file cache; unreferenced pages are reclaimed (clean
     * only, for file pages that were marked).
     */
    PageReferences folioCheckReferences(int pfn, ScanControl sc) {
        int referencedPtes = m.rmap().pageReferenced(pfn, sc.targetMemcg);
        boolean locked = m.rmap().lastReferencedLocked();
        boolean exec = m.rmap().lastReferencedExec();
        boolean referencedFolio = pages.testAndClear(pfn, PageFlags.PG_REFERENCED);
        boolean swapBacked = pages.test(pfn, PageFlags.PG_SWAPBACKED);
        if (locked) {
            return PageReferences.ACTIVATE;
        }
        if (referencedPtes > 0) {
            pages.set(pfn, PageFlags.PG_REFERENCED);
            if (referencedFolio || referencedPtes > 1) {
                return PageReferences.ACTIVATE;
            }
            if (exec && !swapBacked) {
                return PageReferences.ACTIVATE;
            }
            return PageReferences.KEEP;
        }
        if (referencedFolio && !swapBacked) {
            return PageReferences.RECLAIM_CLEAN;
        }
        return PageReferences.RECLAIM;
    }

    /**
     * __mem_cgroup_try_charge_swap (v2): no swap slot raises MEMCG_SWAP_FAIL; a swap.max hit
     * raises MEMCG_SWAP_MAX and MEMCG_SWAP_FAIL, both on the page's memcg.
     */
    private void swapChargeFailed(int pfn, int why) {
        if (!memcontrol.v2()) {
            return;
        }
        MemCgroup memcg = m.memcgOf(pfn);
        if (why == SwapCache.SWAP_MAX) {
            memcontrol.memcgMemoryEvent(memcg, MemoryEvent.SWAP_MAX);
        }
        memcontrol.memcgMemoryEvent(memcg, MemoryEvent.SWAP_FAIL);
    }

    /**
     * activate_locked: a swap cache page gives its swap slot back when swap is full
     * (try_to_free_swap, if no pte or tmpfs entry holds the slot); then PG_active, counted on the
     * page's memcg (the host count is added for the whole list).
     */
    private void activateLocked(int pfn, ReclaimStat stat) {
        if (pages.test(pfn, PageFlags.PG_SWAPCACHE) && memcontrol.swapFull(m.memcgOf(pfn))) {
            tryToFreeSwap(pfn);
        }
        pages.set(pfn, PageFlags.PG_ACTIVE);
        stat.nrActivate[pages.isFileCache(pfn) ? Lru.FILE : Lru.ANON]++;
        m.countMemcgOnly(VmEvent.PGACTIVATE, m.memcgOf(pfn), 1);
    }

    /** try_to_free_swap: drop the swap cache copy of a page no swap entry refers to any more. */
    private void tryToFreeSwap(int pfn) {
        int slot = pages.priv(pfn);
        if (m.swap.count(slot) > 0) {
            return;
        }
        m.swapCache().delete(pfn);
        pages.set(pfn, PageFlags.PG_DIRTY);
    }

    /** pageout: shmem_writepage or swap_writepage; the write completes before it returns. */
    private boolean pageout(int pfn) {
        if (pages.isShmem(pfn) && !pages.test(pfn, PageFlags.PG_SWAPCACHE)) {
            int slot = m.swapCache().shmemWritepage(pfn);
            if (slot < 0) {
                swapChargeFailed(pfn, slot);
                return false; // shmem_writepage redirties: AOP_WRITEPAGE_ACTIVATE
            }
        }
        pages.clear(pfn, PageFlags.PG_DIRTY);
        m.countHostEvent(VmEvent.PSWPOUT, 1);
        return true;
    }

    /**
     * __remove_mapping and the free: a swap cache page moves its charge to the swap entry
     * (mem_cgroup_swapout) and leaves an anon shadow; a file page leaves a file shadow unless its
     * file is being deleted. Both shadows stamp the reclaim target's clock.
     */
    private void removeMapping(int pfn, ScanControl sc) {
        pages.clear(pfn, PageFlags.PG_ISOLATED);
        if (pages.test(pfn, PageFlags.PG_SWAPCACHE)) {
            int slot = pages.priv(pfn);
            long shadow = workingset.eviction(pfn, sc.targetMemcg);
            if (m.swap.count(slot) > 0) {
                m.swap.setShadow(slot, m.shadows.store(shadow));
            }
            m.charging().swapout(pfn, slot);
            m.swapCache().delete(pfn);
            m.freePage(pfn);
            return;
        }
        CachedFile f = m.files.byId(pages.mapping(pfn));
        long idx = pages.index(pfn);
        int entry = Entry.EMPTY;
        if (!f.unlinked()) {
            entry = Entry.shadow(m.shadows.store(workingset.eviction(pfn, sc.targetMemcg)));
            f.nrShadows++;
        }
        f.pages.set(idx, entry);
        f.nrpages--;
        m.charging().uncharge(pfn);
        m.freePage(pfn);
    }

    /**
     * move_pages_to_lru: back to the head of the list the flags name; every active page put back
     * ages its lruvec's workingset clock.
     *
     * @return pages moved
     */
    long movePagesToLru(Lruvec lruvec, MemCgroup memcg, PageBatch list) {
        for (int i = 0; i < list.size(); i++) {
            int pfn = list.get(i);
            pages.clear(pfn, PageFlags.PG_ISOLATED);
            boolean active = pages.test(pfn, PageFlags.PG_ACTIVE);
            int type = pages.isFileCache(pfn) ? Lru.FILE : Lru.ANON;
            lruvec.addHead(pfn, Lru.of(type, active));
            if (active) {
                workingset.ageNonresident(memcg, lruvec.node(), 1);
            }
        }
        return list.size();
    }
}
