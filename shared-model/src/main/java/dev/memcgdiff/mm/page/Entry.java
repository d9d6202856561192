package dev.memcgdiff.mm.page;

/**
 * What a page table slot or a page cache slot holds, encoded in an int: nothing, a resident page
 * (pfn), a swap entry (slot), or a shadow entry left by an evicted page cache page (index into a
 * {@code ShadowTable}), as the kernel's radix tree / xarray keeps exceptional entries.
 */
public final class Entry {
    public static final int EMPTY = 0;
    private static final int TAG = 0x8000_0000;
    private static final int SHADOW_BIT = 0x4000_0000;
    private static final int PAYLOAD = 0x3FFF_FFFF;

    private Entry() {}

    public static int page(int pfn) {
        return pfn + 1;
    }

    public static int swap(int slot) {
        return TAG | slot;
    }

    public static int shadow(int shadowIndex) {
        return TAG | SHADOW_BIT | shadowIndex;
    }

    public static boolean isPage(int e) {
        return e > 0;
    }

    public static boolean isSwap(int e) {
        return e < 0 && (e & SHADOW_BIT) == 0;
    }

    public static boolean isShadow(int e) {
        return e < 0 && (e & SHADOW_BIT) != 0;
    }

    public static int pfn(int e) {
        return e - 1;
    }

    public static int payload(int e) {
        return e & PAYLOAD;
    }
}
