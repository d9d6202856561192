package dev.memcgdiff.mm.filemap;

import java.util.Arrays;

/**
 * Storage for shadow entries: the opaque value a kernel's workingset_eviction packs (memcg id,
 * node, eviction clock, workingset bit), kept out of the page cache slot itself, which only
 * holds its index. Freed slots are reused.
 */
public final class ShadowTable {
    private long[] values = new long[1024];
    private int[] freeList = new int[64];
    private int freeCount;
    private int used;
    private long live;

    public int store(long value) {
        int idx;
        if (freeCount > 0) {
            idx = freeList[--freeCount];
        } else {
            if (used == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            idx = used++;
        }
        values[idx] = value;
        live++;
        return idx;
    }

    public long get(int idx) {
        return values[idx];
    }

    public void free(int idx) {
        if (freeCount == freeList.length) {
            freeList = Arrays.copyOf(freeList, freeList.length * 2);
        }
        freeList[freeCount++] = idx;
        live--;
    }

    /** Shadow entries currently stored. */
    public long live() {
        return live;
    }
}
