package dev.memcgdiff.mm.swap;

import java.util.Arrays;

/**
 * A swap device of N slots (swap_info_struct): swap_map counts, SWAP_HAS_CACHE, the swap cache
 * (slot to page) and swap_cgroup (slot to the memcg id charged for it).
 */
public final class SwapDevice {
    private static final int NONE = -1;

    private final int slots;
    private final byte[] map; // references from page tables and shmem entries
    private final boolean[] hasCache; // SWAP_HAS_CACHE
    private final int[] cachePfn; // swap cache: the page holding this slot's data, or NONE
    private final short[] swapCgroup; // memcg id that owns this entry (0 = none)
    private int[] shadow; // shadow of an evicted swap cache page (5.18 anon workingset), or NONE
    private final int[] freeStack; // free slots; the lowest is handed out first on a fresh device
    private int freeTop;
    private long inuse;

    public SwapDevice(long slots) {
        if (slots > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("swap too large: " + slots + " slots");
        }
        this.slots = (int) slots;
        this.map = new byte[this.slots];
        this.hasCache = new boolean[this.slots];
        this.cachePfn = new int[this.slots];
        this.swapCgroup = new short[this.slots];
        Arrays.fill(cachePfn, NONE);
        this.freeStack = new int[this.slots];
        for (int i = 0; i < this.slots; i++) {
            freeStack[i] = this.slots - 1 - i;
        }
        this.freeTop = this.slots;
    }

    public int slots() {
        return slots;
    }

    /**
     * Bytes of heap a slot costs at most: swap_map, SWAP_HAS_CACHE, the swap cache page,
     * swap_cgroup, the free stack and (once a shadow is stored) the shadow index.
     */
    public static int bytesPerSlot() {
        return 1 + 1 + 4 + 2 + 4 + 4;
    }

    /** Slots in use (map count or swap cache): total swap minus free swap. */
    public long inuse() {
        return inuse;
    }

    public long free() {
        return slots - inuse;
    }

    /** vm_swap_full: more than half of swap is in use. */
    public boolean full() {
        return inuse * 2 > slots;
    }

    /** get_swap_page: a free slot with SWAP_HAS_CACHE set, or -1 when swap is full. */
    public int allocate() {
        if (freeTop == 0) {
            return NONE;
        }
        int s = freeStack[--freeTop];
        hasCache[s] = true;
        inuse++;
        return s;
    }

    public int count(int slot) {
        return map[slot];
    }

    /** swap_duplicate: one more page table or shmem reference to the slot. */
    public void dup(int slot) {
        if (map[slot] == Byte.MAX_VALUE) {
            throw new IllegalStateException("swap_map overflow on slot " + slot);
        }
        map[slot]++;
    }

    /**
     * swap_free: drop one reference.
     *
     * @return true when the slot became entirely free (no references, not in swap cache)
     */
    public boolean put(int slot) {
        if (map[slot] <= 0) {
            throw new IllegalStateException("swap_free on unused slot " + slot);
        }
        map[slot]--;
        return releaseIfUnused(slot);
    }

    public boolean hasCache(int slot) {
        return hasCache[slot];
    }

    public int cachePfn(int slot) {
        return cachePfn[slot];
    }

    /** add_to_swap_cache / delete_from_swap_cache bookkeeping. */
    public void setCachePfn(int slot, int pfn) {
        cachePfn[slot] = pfn;
        if (pfn != NONE) {
            hasCache[slot] = true;
        }
    }

    /**
     * swapcache_free: the page left the swap cache.
     *
     * @return true when the slot became entirely free
     */
    public boolean dropCache(int slot) {
        cachePfn[slot] = NONE;
        hasCache[slot] = false;
        return releaseIfUnused(slot);
    }

    private boolean releaseIfUnused(int slot) {
        if (map[slot] == 0 && !hasCache[slot]) {
            inuse--;
            // swap_cgroup keeps its record: the caller uncharges it (mem_cgroup_uncharge_swap) and clears it.
            freeStack[freeTop++] = slot;
            return true;
        }
        return false;
    }

    /**
     * Remember a shadow entry index for this slot (the swap cache's exceptional entry). The
     * owner of the shadow table takes it back when the slot is freed.
     */
    public void setShadow(int slot, int shadowIndex) {
        if (shadow == null) {
            shadow = new int[slots];
            Arrays.fill(shadow, NONE);
        }
        shadow[slot] = shadowIndex;
    }

    /** The slot's shadow entry index, or -1; it is forgotten once taken. */
    public int takeShadow(int slot) {
        if (shadow == null) {
            return NONE;
        }
        int s = shadow[slot];
        shadow[slot] = NONE;
        return s;
    }

    /** The slot's shadow index without taking it, or -1. */
    public int peekShadow(int slot) {
        return shadow == null ? NONE : shadow[slot];
    }

    public int swapCgroup(int slot) {
        return swapCgroup[slot];
    }

    public void setSwapCgroup(int slot, int memcgId) {
        swapCgroup[slot] = (short) memcgId;
    }
}
