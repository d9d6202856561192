package dev.memcgdiff.mm.lru;

import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;

/**
 * struct lruvec: the LRU lists of one memcg on one node, as doubly linked lists threaded through
 * {@link Pages}. New pages go to the head; reclaim takes from the tail. Every operation is O(1).
 *
 * <p>It also carries the per-lruvec reclaim state the modelled kernels keep here: reclaim_stat
 * (recent_scanned/rotated, 3.10 and 4.18), the LRU cost (anon_cost/file_cost, 5.18), the
 * workingset clock (inactive_age / nonresident_age) and the refaults snapshot.
 */
public final class Lruvec {
    private final Pages pages;
    private final int memcgId;
    private final int node;
    private final int[] head = new int[Lru.NR_LRU_LISTS];
    private final int[] tail = new int[Lru.NR_LRU_LISTS];
    private final long[] size = new long[Lru.NR_LRU_LISTS];

    /** reclaim_stat.recent_scanned / recent_rotated, indexed by ANON/FILE. */
    public final long[] recentScanned = new long[2];

    public final long[] recentRotated = new long[2];
    /** lruvec->anon_cost / file_cost (5.18's LRU cost model). */
    public long anonCost;

    public long fileCost;
    /** lruvec->inactive_age (4.18) or nonresident_age (5.18): the workingset eviction clock. */
    public long nonresidentAge;
    /** lruvec->refaults: WORKINGSET_ACTIVATE snapshot (4.18: one value in [FILE]; 5.18: per type). */
    public final long[] refaults = new long[2];

    public Lruvec(Pages pages, int memcgId, int node) {
        this.pages = pages;
        this.memcgId = memcgId;
        this.node = node;
        java.util.Arrays.fill(head, Pages.NONE);
        java.util.Arrays.fill(tail, Pages.NONE);
    }

    public int memcgId() {
        return memcgId;
    }

    public int node() {
        return node;
    }

    public long size(int lru) {
        return size[lru];
    }

    public long anonSize() {
        return size[Lru.INACTIVE_ANON] + size[Lru.ACTIVE_ANON];
    }

    public long fileSize() {
        return size[Lru.INACTIVE_FILE] + size[Lru.ACTIVE_FILE];
    }

    public long total() {
        return size[0] + size[1] + size[2] + size[3] + size[4];
    }

    public int head(int lru) {
        return head[lru];
    }

    public int tail(int lru) {
        return tail[lru];
    }

    /** list_add: put the page at the head of {@code lru} and set PG_lru. */
    public void addHead(int pfn, int lru) {
        int h = head[lru];
        pages.setPrev(pfn, Pages.NONE);
        pages.setNext(pfn, h);
        if (h != Pages.NONE) {
            pages.setPrev(h, pfn);
        } else {
            tail[lru] = pfn;
        }
        head[lru] = pfn;
        size[lru]++;
        pages.setLru(pfn, lru);
        pages.set(pfn, PageFlags.PG_LRU);
    }

    /** list_add_tail: put the page at the tail (rotate_reclaimable_page, putback of KEEP pages). */
    public void addTail(int pfn, int lru) {
        int t = tail[lru];
        pages.setNext(pfn, Pages.NONE);
        pages.setPrev(pfn, t);
        if (t != Pages.NONE) {
            pages.setNext(t, pfn);
        } else {
            head[lru] = pfn;
        }
        tail[lru] = pfn;
        size[lru]++;
        pages.setLru(pfn, lru);
        pages.set(pfn, PageFlags.PG_LRU);
    }

    /** del_page_from_lru_list: unlink the page and clear PG_lru. */
    public void delete(int pfn) {
        int lru = pages.lru(pfn);
        if (lru == PageFlags.LRU_NONE || !pages.test(pfn, PageFlags.PG_LRU)) {
            throw new IllegalStateException("pfn " + pfn + " is on no LRU list");
        }
        int p = pages.prev(pfn);
        int n = pages.next(pfn);
        if (p != Pages.NONE) {
            pages.setNext(p, n);
        } else {
            head[lru] = n;
        }
        if (n != Pages.NONE) {
            pages.setPrev(n, p);
        } else {
            tail[lru] = p;
        }
        size[lru]--;
        pages.setPrev(pfn, Pages.NONE);
        pages.setNext(pfn, Pages.NONE);
        pages.setLru(pfn, PageFlags.LRU_NONE);
        pages.clear(pfn, PageFlags.PG_LRU);
    }

    /** Move a page to the head of another list of this lruvec. */
    public void move(int pfn, int lru) {
        delete(pfn);
        addHead(pfn, lru);
    }

    /** Move a page to the head of its own list (list_move in putback and mark_page_accessed). */
    public void rotateToHead(int pfn) {
        int lru = pages.lru(pfn);
        delete(pfn);
        addHead(pfn, lru);
    }
}
