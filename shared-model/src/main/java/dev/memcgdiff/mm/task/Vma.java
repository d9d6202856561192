package dev.memcgdiff.mm.task;

import java.util.BitSet;

/**
 * A vm_area_struct reduced to what reclaim needs: which pages of the area are mapped (the pte is
 * present) and which ptes are young (the accessed bit), so page_referenced can test and clear
 * every mapping of a page. Anonymous areas index by virtual page; file areas by file page index
 * starting at {@code start}.
 */
public final class Vma {
    private final Task task;
    private final int fileId;
    private final long start;
    private long pages;
    private final BitSet present = new BitSet();
    private final BitSet young = new BitSet();
    private final boolean exec;
    private final boolean locked;

    public Vma(Task task, int fileId, long start, long pages, boolean exec, boolean locked) {
        this.task = task;
        this.fileId = fileId;
        this.start = start;
        this.pages = pages;
        this.exec = exec;
        this.locked = locked;
    }

    public Task task() {
        return task;
    }

    /** The mapped file's id, or -1 for anonymous memory. */
    public int fileId() {
        return fileId;
    }

    public boolean isAnon() {
        return fileId < 0;
    }

    public long start() {
        return start;
    }

    public long pages() {
        return pages;
    }

    public void grow(long newPages) {
        pages = Math.max(pages, newPages);
    }

    /** Shrink the area to its first {@code newPages} pages (munmap of its top). */
    public void truncateTo(long newPages) {
        if (newPages < pages) {
            int from = bit(start + newPages);
            present.clear(from, Integer.MAX_VALUE);
            young.clear(from, Integer.MAX_VALUE);
            pages = newPages;
        }
    }

    public boolean covers(long index) {
        return index >= start && index < start + pages;
    }

    /** VM_EXEC: executable file pages are kept active by shrink_active_list. */
    public boolean exec() {
        return exec;
    }

    /** VM_LOCKED. */
    public boolean locked() {
        return locked;
    }

    public boolean isPresent(long index) {
        return present.get(bit(index));
    }

    public void map(long index) {
        present.set(bit(index));
        young.set(bit(index));
    }

    public void unmap(long index) {
        present.clear(bit(index));
        young.clear(bit(index));
    }

    /** A CPU access through this mapping sets the pte's accessed bit. */
    public void markYoung(long index) {
        young.set(bit(index));
    }

    /** ptep_clear_flush_young: test and clear the accessed bit. */
    public boolean testAndClearYoung(long index) {
        int b = bit(index);
        boolean was = young.get(b);
        young.clear(b);
        return was;
    }

    public long presentCount() {
        return present.cardinality();
    }

    private int bit(long index) {
        long b = index - start;
        if (b < 0 || b >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("index " + index + " outside vma at " + start);
        }
        return (int) b;
    }
}
