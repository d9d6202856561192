package dev.memcgdiff.mm.node;

import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;

/**
 * A NUMA node (pglist_data) with the one zone the model gives it (ZONE_NORMAL): a contiguous pfn
 * range, a free list (the buddy allocator reduced to order-0 pages) and the min/low/high
 * watermarks that the kernel version computes from min_free_kbytes.
 */
public final class Node {
    private final int id;
    private final int startPfn;
    private final int endPfn;
    private final Pages pages;
    private int freeHead = Pages.NONE;
    private long nrFree;
    private long wmarkMin;
    private long wmarkLow;
    private long wmarkHigh;
    /** kswapd gave up on this node after MAX_RECLAIM_RETRIES failed runs (4.18+: kswapd_failures). */
    public int kswapdFailures;

    public Node(int id, int startPfn, int endPfn, Pages pages) {
        this.id = id;
        this.startPfn = startPfn;
        this.endPfn = endPfn;
        this.pages = pages;
        // Hand out low pfns first: push from the top so the lowest ends up at the head.
        for (int pfn = endPfn - 1; pfn >= startPfn; pfn--) {
            pages.reset(pfn);
            pushFree(pfn);
        }
    }

    public int id() {
        return id;
    }

    public int startPfn() {
        return startPfn;
    }

    public int endPfn() {
        return endPfn;
    }

    /** managed_pages: every page of the node (no memmap or kernel image reservation is modelled). */
    public long managedPages() {
        return endPfn - startPfn;
    }

    public long nrFree() {
        return nrFree;
    }

    public boolean owns(int pfn) {
        return pfn >= startPfn && pfn < endPfn;
    }

    /** Take a free page, or -1 when the node has none. */
    public int takeFree() {
        int pfn = freeHead;
        if (pfn == Pages.NONE) {
            return Pages.NONE;
        }
        freeHead = pages.next(pfn);
        nrFree--;
        pages.reset(pfn);
        return pfn;
    }

    /** __free_pages: back to the free list. */
    public void free(int pfn) {
        if (pages.test(pfn, PageFlags.PG_FREE)) {
            throw new IllegalStateException("double free of pfn " + pfn);
        }
        pages.reset(pfn);
        pushFree(pfn);
    }

    private void pushFree(int pfn) {
        pages.set(pfn, PageFlags.PG_FREE);
        pages.setNext(pfn, freeHead);
        freeHead = pfn;
        nrFree++;
    }

    public long wmarkMin() {
        return wmarkMin;
    }

    public long wmarkLow() {
        return wmarkLow;
    }

    public long wmarkHigh() {
        return wmarkHigh;
    }

    public void setWatermarks(long min, long low, long high) {
        this.wmarkMin = min;
        this.wmarkLow = low;
        this.wmarkHigh = high;
    }

    /** __zone_watermark_ok for order 0 with no lowmem reserve: free pages above the mark. */
    public boolean watermarkOk(long mark) {
        return nrFree > mark;
    }
}
