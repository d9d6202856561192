package dev.memcgdiff.mm;

import dev.memcgdiff.scenario.Sizes;

/** Allocation orders: get_order and the costly-order bound every modelled kernel shares. */
public final class PageOrder {
    /** PAGE_ALLOC_COSTLY_ORDER (include/linux/mmzone.h): above it a memcg charge neither retries on progress nor OOMs. */
    public static final int PAGE_ALLOC_COSTLY_ORDER = 3;

    private PageOrder() {}

    /**
     * get_order (include/asm-generic/getorder.h): the smallest order whose pages cover
     * {@code size} bytes, fls64((size - 1) >> PAGE_SHIFT). The kernel leaves size 0 undefined;
     * here it is order 0.
     */
    public static int getOrder(long size) {
        if (size <= Sizes.PAGE_SIZE) {
            return 0;
        }
        return 64 - Long.numberOfLeadingZeros((size - 1) >> Sizes.PAGE_SHIFT);
    }

    /** get_order(nr_pages * PAGE_SIZE), as the memcg charge paths compute a charge's order. */
    public static int ofPages(long nrPages) {
        return getOrder(nrPages * Sizes.PAGE_SIZE);
    }
}
