package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import java.util.Arrays;

/**
 * folio_rotate_reclaimable / pagevec_move_tail_fn (5.18) for dirty file pages that reclaim
 * activated with PG_reclaim: once written back they go to the inactive tail, active or not
 * (5.18 clears PG_active there). The shared writeback rotates inactive pages only, so this class
 * remembers the pages 5.18's shrink_page_list sent to the flushers and moves the written ones
 * before the next reclaim pass looks at the lists.
 */
final class RotateReclaimable {
    private final Machine m;
    private final Pages pages;
    private int[] pfn = new int[64];
    private int[] mapping = new int[64];
    private int[] index = new int[64];
    private int size;

    RotateReclaimable(Machine m) {
        this.m = m;
        this.pages = m.pages;
    }

    /** shrink_page_list set PG_reclaim on a dirty file page and activated it. */
    void remember(int page) {
        if (size == pfn.length) {
            pfn = Arrays.copyOf(pfn, size * 2);
            mapping = Arrays.copyOf(mapping, size * 2);
            index = Arrays.copyOf(index, size * 2);
        }
        pfn[size] = page;
        mapping[size] = pages.mapping(page);
        index[size] = pages.index(page);
        size++;
    }

    /**
     * Rotate every remembered page whose writeback has completed (clean, PG_reclaim consumed)
     * to the tail of its inactive list, with PGROTATED; keep the ones still dirty; forget pages
     * that were freed, truncated or reused meanwhile.
     */
    void rotateWritten() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            int p = pfn[i];
            if (pages.test(p, PageFlags.PG_FREE) || pages.mapping(p) != mapping[i] || pages.index(p) != index[i]
                || !pages.isFileCache(p) || !pages.test(p, PageFlags.PG_LRU)) {
                continue;
            }
            if (pages.test(p, PageFlags.PG_DIRTY) && pages.test(p, PageFlags.PG_RECLAIM)) {
                pfn[kept] = p;
                mapping[kept] = mapping[i];
                index[kept] = index[i];
                kept++;
                continue;
            }
            if (!pages.test(p, PageFlags.PG_DIRTY) && pages.test(p, PageFlags.PG_ACTIVE)
                && !pages.test(p, PageFlags.PG_UNEVICTABLE)) {
                Lruvec lruvec = m.lruvecOf(p);
                lruvec.delete(p);
                pages.clear(p, PageFlags.PG_ACTIVE);
                lruvec.addTail(p, Lru.INACTIVE_FILE);
                m.countHostEvent(VmEvent.PGROTATED, 1);
            }
        }
        size = kept;
    }
}
