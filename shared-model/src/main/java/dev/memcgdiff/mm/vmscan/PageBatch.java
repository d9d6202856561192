package dev.memcgdiff.mm.vmscan;

/** A list of isolated pfns (the page_list / l_hold reclaim works on), reusable to avoid garbage. */
public final class PageBatch {
    private int[] pfns = new int[64];
    private int size;

    public void clear() {
        size = 0;
    }

    public void add(int pfn) {
        if (size == pfns.length) {
            pfns = java.util.Arrays.copyOf(pfns, size * 2);
        }
        pfns[size++] = pfn;
    }

    public int size() {
        return size;
    }

    public int get(int i) {
        return pfns[i];
    }
}
