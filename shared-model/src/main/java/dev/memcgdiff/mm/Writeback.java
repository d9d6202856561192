package dev.memcgdiff.mm;

import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;

/**
 * Dirty page cache and the flusher threads, with writeback that completes at once (the model
 * has no time): balance_dirty_pages starts background writeback above dirty_background_ratio, and
 * reclaim that meets dirty pages wakes the flushers (wakeup_flusher_threads), whose completed
 * writeback rotates PG_reclaim pages to the inactive tail (rotate_reclaimable_page).
 */
public final class Writeback {
    /** vm.dirty_background_ratio default. */
    static final int DIRTY_BACKGROUND_RATIO = 10;

    private final Machine m;
    private final Pages pages;
    private long nrDirty;

    Writeback(Machine m) {
        this.m = m;
        this.pages = m.pages;
    }

    public long nrDirty() {
        return nrDirty;
    }

    /** set_page_dirty on a page cache page (not tmpfs: shmem pages are never written back to a file). */
    public void setDirty(int pfn) {
        if (!pages.test(pfn, PageFlags.PG_DIRTY)) {
            pages.set(pfn, PageFlags.PG_DIRTY);
            if (!pages.isShmem(pfn) && !pages.isAnon(pfn)) {
                m.charging().dirtyChanged(pfn, true);
                nrDirty++;
            }
        }
    }

    /** balance_dirty_pages after a write: background writeback once dirty exceeds its threshold. */
    public void balanceDirtyPages() {
        long available = m.freePages() + hostFileLru();
        long bgThresh = available * DIRTY_BACKGROUND_RATIO / 100;
        if (nrDirty > bgThresh) {
            flushAll();
        }
    }

    private long hostFileLru() {
        long sum = 0;
        for (var memcg : m.memcgs()) {
            sum += memcg.lruSize(Lru.INACTIVE_FILE) + memcg.lruSize(Lru.ACTIVE_FILE);
        }
        return sum;
    }

    /** wakeup_flusher_threads: write back every dirty page cache page now. */
    public void flushAll() {
        if (nrDirty == 0) {
            return;
        }
        for (CachedFile f : m.files.all()) {
            if (f.tmpfs()) {
                continue;
            }
            for (long idx = 0; idx < f.pages.length() && nrDirty > 0; idx++) {
                int e = f.pages.get(idx);
                if (Entry.isPage(e) && pages.test(Entry.pfn(e), PageFlags.PG_DIRTY)) {
                    completeWriteback(Entry.pfn(e));
                }
            }
        }
    }

    /** Clean a written page; end_page_writeback rotates a PG_reclaim page to the inactive tail. */
    private void completeWriteback(int pfn) {
        m.charging().dirtyChanged(pfn, false);
        pages.clear(pfn, PageFlags.PG_DIRTY);
        nrDirty--;
        if (!pages.testAndClear(pfn, PageFlags.PG_RECLAIM) || !pages.test(pfn, PageFlags.PG_LRU)) {
            return;
        }
        boolean active = pages.test(pfn, PageFlags.PG_ACTIVE);
        if (active && !m.traits().rotateActiveOnWriteback()) {
            return;
        }
        Lruvec lruvec = m.lruvecOf(pfn);
        lruvec.delete(pfn);
        pages.clear(pfn, PageFlags.PG_ACTIVE);
        lruvec.addTail(pfn, Lru.of(Lru.FILE, false));
        m.countHostEvent(VmEvent.PGROTATED, 1);
    }

    /** A dirty page leaves the cache (truncate or reclaim of a page that was cleaned elsewhere). */
    public void forget(int pfn) {
        if (pages.test(pfn, PageFlags.PG_DIRTY) && !pages.isShmem(pfn) && !pages.isAnon(pfn)) {
            m.charging().dirtyChanged(pfn, false);
            pages.clear(pfn, PageFlags.PG_DIRTY);
            nrDirty--;
        }
    }
}
