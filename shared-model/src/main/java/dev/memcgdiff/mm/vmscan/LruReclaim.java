package dev.memcgdiff.mm.vmscan;

import dev.memcgdiff.kernel.LruOps;
import dev.memcgdiff.mm.Costs;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.Referenced;
import dev.memcgdiff.mm.SwapCache;
import dev.memcgdiff.mm.TracePoints;
import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.scenario.CgroupInterface;

/**
 * The page-level reclaim mechanics the modelled kernels share (mm/vmscan.c): isolating pages
 * from a list's tail, putting them back, shrink_page_list's per-page decisions with
 * page_check_references, and shrink_active_list's deactivation. A kernel's own vmscan decides
 * which lists, how many pages and in what order, and counts the events its source counts.
 */
public final class LruReclaim {
    private final Machine m;
    private final Pages pages;
    private final LruOps lru;
    private final ReclaimRules rules;
    private final PageBatch keep = new PageBatch();

    private enum References {
        ACTIVATE,
        KEEP,
        RECLAIM,
        RECLAIM_CLEAN
    }

    public LruReclaim(Machine m, ReclaimRules rules, LruOps lru) {
        this.m = m;
        this.pages = m.pages;
        this.lru = lru;
        this.rules = rules;
    }

    /** isolate_lru_pages: take up to {@code nr} pages from the tail of {@code lru}. */
    public long isolate(Lruvec lruvec, int lru, long nr, PageBatch out) {
        out.clear();
        long taken = 0;
        while (taken < nr) {
            int pfn = lruvec.tail(lru);
            if (pfn == Pages.NONE) {
                break;
            }
            lruvec.delete(pfn);
            pages.set(pfn, PageFlags.PG_ISOLATED);
            out.add(pfn);
            taken++;
        }
        return taken;
    }

    /**
     * putback_inactive_pages / move_pages_to_lru: every page kept by shrink_page_list goes back
     * to the head of the list its flags name; active ones are counted per type.
     */
    public void putback(Lruvec lruvec, PageBatch batch, ReclaimStats stats) {
        for (int i = 0; i < batch.size(); i++) {
            int pfn = batch.get(i);
            pages.clear(pfn, PageFlags.PG_ISOLATED);
            int type = pages.isFileCache(pfn) ? Lru.FILE : Lru.ANON;
            boolean active = pages.test(pfn, PageFlags.PG_ACTIVE);
            lruvec.addHead(pfn, Lru.of(type, active));
            if (active) {
                stats.putbackActive[type]++;
            }
        }
    }

    /**
     * The second count shrink_page_list adds to sc->nr_scanned for a mapped or swap cache page
     * (3.10.0-1160 and 4.18.0-147 count such a page twice, "double the slab pressure"; 5.18 does
     * not): every page of the isolated batch that is mapped or in the swap cache, except a mapped
     * one that reclaim may not unmap (it is kept before the count).
     */
    public long doubleCountedScans(PageBatch b, ScanControl sc) {
        long n = 0;
        for (int i = 0; i < b.size(); i++) {
            int pfn = b.get(i);
            boolean mapped = pages.mapcount(pfn) > 0;
            if (!sc.mayUnmap && mapped) {
                continue;
            }
            if (mapped || pages.test(pfn, PageFlags.PG_SWAPCACHE)) {
                n++;
            }
        }
        return n;
    }

    /** page_check_references, with the rmap walk limited to the target memcg's tasks. */
    private References checkReferences(int pfn, ScanControl sc) {
        Referenced referenced = m.rmap().pageReferenced(pfn, sc.targetMemcg);
        int referencedPtes = referenced.ptes();
        boolean locked = referenced.locked();
        boolean exec = referenced.exec();
        boolean referencedPage = pages.testAndClear(pfn, PageFlags.PG_REFERENCED);
        if (locked) {
            return rules.lockedActivates() ? References.ACTIVATE : References.RECLAIM;
        }
        boolean swapBacked = pages.test(pfn, PageFlags.PG_SWAPBACKED);
        if (referencedPtes > 0) {
            if (swapBacked && rules.swapBackedActivatesOnFirstReference()) {
                return References.ACTIVATE;
            }
            pages.set(pfn, PageFlags.PG_REFERENCED);
            if (referencedPage || referencedPtes > 1 || (exec && !swapBacked)) {
                return References.ACTIVATE;
            }
            return References.KEEP;
        }
        if (referencedPage && !swapBacked) {
            return References.RECLAIM_CLEAN;
        }
        return References.RECLAIM;
    }

    /**
     * shrink_page_list over an isolated batch: each page is activated, kept, or unmapped, written
     * (swap: at once, the model's I/O completes synchronously) and freed. Survivors are put back.
     */
    public void shrinkPageList(Lruvec lruvec, PageBatch batch, ScanControl sc, ReclaimStats stats) {
        keep.clear();
        long reclaimedBefore = stats.reclaimed;
        for (int i = 0; i < batch.size(); i++) {
            int pfn = batch.get(i);
            if (shrinkOne(pfn, sc, stats)) {
                stats.reclaimed++;
            } else {
                keep.add(pfn);
            }
        }
        spend(sc, batch.size() * Costs.SCAN_PAGE_NS + (stats.reclaimed - reclaimedBefore) * Costs.RECLAIM_PAGE_NS);
        putback(lruvec, keep, stats);
    }

    private boolean shrinkOne(int pfn, ScanControl sc, ReclaimStats stats) {
        boolean mapped = pages.mapcount(pfn) > 0;
        if (!sc.mayUnmap && mapped) {
            return false;
        }
        if (pages.isFileCache(pfn) && pages.test(pfn, PageFlags.PG_DIRTY)) {
            // page_check_dirty_writeback, before any decision: dirty file pages with no I/O queued
            stats.unqueuedDirty++;
            sc.nrUnqueuedDirty++;
        }
        if (pages.test(pfn, PageFlags.PG_WRITEBACK)) {
            if (!waitsOnWriteback(pfn, sc)) {
                // shrink_page_list's first two writeback cases: mark it for rotation and move on
                pages.set(pfn, PageFlags.PG_RECLAIM);
                stats.writeback++;
                return rules.dirtyFileActivates() ? activate(pfn, stats) : false;
            }
            // the third case: legacy memcg reclaim sleeps until the disk is done, then retries the page
            m.trace.count(
                    TracePoints.WAIT_ON_PAGE_WRITEBACK,
                    sc.targetMemcg,
                    "wait_on_page_writeback in " + (sc.targetMemcg == null ? "global" : sc.targetMemcg.path())
                            + " reclaim");
            m.writeback().waitOnPageWriteback(pfn);
        }
        References refs = checkReferences(pfn, sc);
        if (refs == References.ACTIVATE) {
            return activate(pfn, stats);
        }
        if (refs == References.KEEP) {
            return false;
        }
        boolean anon = pages.isAnon(pfn);
        m.charging().splitHugePage(pfn);
        if (anon && !pages.test(pfn, PageFlags.PG_SWAPCACHE)) {
            if (!Gfp.has(sc.gfp, Gfp.IO)) {
                return false;
            }
            int slot = m.swapCache().addToSwap(pfn);
            if (slot < 0) {
                swapFailed(pfn, slot);
                return activate(pfn, stats);
            }
        }
        if (pages.mapcount(pfn) > 0 && !m.rmap().tryToUnmap(pfn)) {
            return activate(pfn, stats);
        }
        if (pages.test(pfn, PageFlags.PG_DIRTY)) {
            if (pages.isFileCache(pfn)) {
                // Direct and memcg reclaim never write file pages; the flushers do, and the page
                // rotates to the inactive tail when they are done.
                pages.set(pfn, PageFlags.PG_RECLAIM);
                return rules.dirtyFileActivates() ? activate(pfn, stats) : false;
            }
            if (refs == References.RECLAIM_CLEAN || !sc.mayWritepage) {
                return false;
            }
            if (!pageout(pfn)) {
                return activate(pfn, stats);
            }
            stats.pageout++;
        }
        removeMapping(pfn, sc);
        return true;
    }

    /**
     * shrink_page_list's third writeback case (3.10, 4.18, 5.18 alike): only memcg reclaim without
     * sane writeback throttling (cgroup v1: !global_reclaim / !sane_reclaim /
     * !writeback_throttling_sane) waits, for a page it already marked PG_reclaim, and only when it
     * may enter the filesystem.
     */
    private boolean waitsOnWriteback(int pfn, ScanControl sc) {
        return sc.cgroupReclaim()
                && m.cgroupInterface == CgroupInterface.V1
                && pages.test(pfn, PageFlags.PG_RECLAIM)
                && Gfp.has(sc.gfp, Gfp.FS);
    }

    private void swapFailed(int pfn, int why) {
        if (m.cgroupInterface != CgroupInterface.V2) {
            return;
        }
        if (why == SwapCache.SWAP_MAX) {
            // mem_cgroup_try_charge_swap raises it on the page's memcg, whichever level's swap.max failed
            m.memcgMemoryEvent(m.memcgOf(pfn), MemoryEvent.SWAP_MAX);
        }
        m.memcgMemoryEvent(m.memcgOf(pfn), MemoryEvent.SWAP_FAIL);
    }

    /**
     * activate_locked: a page reclaim keeps gives its swap slot back when swap is full
     * (try_to_free_swap: only when no pte refers to the slot), then goes to the active list.
     */
    private boolean activate(int pfn, ReclaimStats stats) {
        if (pages.test(pfn, PageFlags.PG_SWAPCACHE)
                && m.swapCache().swapFull(m.memcgOf(pfn))
                && m.swap.count(pages.priv(pfn)) == 0) {
            m.swapCache().delete(pfn);
            pages.set(pfn, PageFlags.PG_DIRTY);
        }
        pages.set(pfn, PageFlags.PG_ACTIVE);
        stats.activated[pages.isFileCache(pfn) ? Lru.FILE : Lru.ANON]++;
        return false;
    }

    /** pageout: swap_writepage or shmem_writepage; the write completes before it returns. */
    private boolean pageout(int pfn) {
        if (pages.isShmem(pfn) && !pages.test(pfn, PageFlags.PG_SWAPCACHE)) {
            int slot = m.swapCache().shmemWritepage(pfn);
            if (slot < 0) {
                swapFailed(pfn, slot);
                return false;
            }
        }
        pages.clear(pfn, PageFlags.PG_DIRTY);
        m.countHostEvent(VmEvent.PSWPOUT, 1);
        // swap_writepage submits the write; the model frees the page at once and only keeps the
        // swap device busy for it (the kernels free it in a later pass, once the write is done)
        m.swapDisk.submitWrite(m.clock.now(), 1);
        return true;
    }

    /**
     * __remove_mapping and the free: a swap cache page leaves its charge on the swap entry
     * (and, where the kernel keeps anon shadows, a shadow); a file page leaves a shadow.
     */
    private void removeMapping(int pfn, ScanControl sc) {
        pages.clear(pfn, PageFlags.PG_ISOLATED);
        pages.clear(pfn, PageFlags.PG_ACTIVE);
        if (pages.test(pfn, PageFlags.PG_SWAPCACHE)) {
            int slot = pages.priv(pfn);
            if (m.traits().anonShadows()) {
                m.swap.setShadow(slot, m.shadows.store(lru.workingsetEviction(pfn, sc.targetMemcg)));
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
            entry = Entry.shadow(m.shadows.store(lru.workingsetEviction(pfn, sc.targetMemcg)));
            f.nrShadows++;
        }
        f.pages.set(idx, entry);
        f.nrpages--;
        m.charging().uncharge(pfn);
        m.freePage(pfn);
    }

    /**
     * shrink_active_list's page loop: take {@code nr} from the active list's tail; referenced
     * executable file pages stay active, everything else (referenced or not) is deactivated.
     */
    public void shrinkActiveList(Lruvec lruvec, long nr, int lru, ScanControl sc, PageBatch batch, ReclaimStats stats) {
        stats.taken += isolate(lruvec, lru, nr, batch);
        spend(sc, batch.size() * Costs.SCAN_PAGE_NS);
        int inactive = lru - 1;
        for (int i = 0; i < batch.size(); i++) {
            int pfn = batch.get(i);
            pages.clear(pfn, PageFlags.PG_ISOLATED);
            Referenced referenced = m.rmap().pageReferenced(pfn, sc.targetMemcg);
            if (referenced.ptes() > 0) {
                stats.rotated++;
                if (referenced.exec() && pages.isFileCache(pfn)) {
                    lruvec.addHead(pfn, lru);
                    stats.keptActive++;
                    continue;
                }
            }
            pages.clear(pfn, PageFlags.PG_ACTIVE);
            if (rules.setsWorkingsetOnDeactivate()) {
                pages.set(pfn, PageFlags.PG_WORKINGSET);
            }
            lruvec.addHead(pfn, inactive);
            stats.deactivated++;
        }
    }

    /**
     * Reclaim's CPU time goes to the task in direct or memcg reclaim; kswapd runs on a CPU of its
     * own and costs the tasks nothing.
     */
    private void spend(ScanControl sc, long ns) {
        if (!sc.kswapd) {
            m.clock.spend(ns);
        }
    }
}
