package dev.memcgdiff.mm.page;

import java.util.Arrays;

/** A growable int array of {@link Entry} values: a task's page table or a file's page cache. */
public final class EntryArray {
    /**
     * Bytes of heap per index at worst: the array doubles as it grows, and while it is copied the
     * old and the new array are both alive (4 + 8 bytes for an int entry).
     */
    public static final int WORST_BYTES_PER_ENTRY = 12;

    private int[] entries = new int[16];
    private long length;

    public int get(long i) {
        return i < length ? entries[(int) i] : Entry.EMPTY;
    }

    public void set(long i, int e) {
        if (i >= Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("index " + i + " too large");
        }
        if (i >= entries.length) {
            int n = entries.length;
            while (n <= i) {
                n = (int) Math.min((long) n * 2, Integer.MAX_VALUE - 8);
            }
            entries = Arrays.copyOf(entries, n);
        }
        entries[(int) i] = e;
        if (i >= length) {
            length = i + 1;
        }
    }

    /** One past the highest index ever set. */
    public long length() {
        return length;
    }

    /** Forget indexes at and above {@code newLength} (they must already be empty). */
    public void truncate(long newLength) {
        if (newLength < length) {
            Arrays.fill(entries, (int) newLength, (int) length, Entry.EMPTY);
            length = newLength;
        }
    }
}
