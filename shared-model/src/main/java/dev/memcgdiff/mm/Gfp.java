package dev.memcgdiff.mm;

import java.util.ArrayList;
import java.util.List;

/** gfp_t: the allocation and charge flags the modelled paths pass (include/linux/gfp.h). */
public final class Gfp {
    public static final int IO = 1;
    public static final int FS = 1 << 1;
    /** __GFP_DIRECT_RECLAIM (3.10: __GFP_WAIT): the caller may sleep and reclaim. */
    public static final int DIRECT_RECLAIM = 1 << 2;
    public static final int NORETRY = 1 << 3;
    public static final int RETRY_MAYFAIL = 1 << 4;
    public static final int NOFAIL = 1 << 5;
    public static final int WRITE = 1 << 6;
    public static final int HIGH = 1 << 7;
    public static final int NOWARN = 1 << 8;
    public static final int HIGHMEM_MOVABLE = 1 << 9;

    public static final int GFP_KERNEL = IO | FS | DIRECT_RECLAIM;
    public static final int GFP_HIGHUSER_MOVABLE = GFP_KERNEL | HIGHMEM_MOVABLE;
    /**
     * GFP_TRANSHUGE_LIGHT: a THP fault outside madvised ranges with the default defrag setting
     * may not enter direct reclaim.
     */
    public static final int TRANSHUGE_LIGHT = GFP_HIGHUSER_MOVABLE & ~DIRECT_RECLAIM | NOWARN;
    /** readahead_gfp_mask: the mapping's gfp with __GFP_NORETRY | __GFP_NOWARN. */
    public static final int READAHEAD = GFP_HIGHUSER_MOVABLE | NORETRY | NOWARN;

    private Gfp() {
    }

    public static boolean has(int gfp, int flag) {
        return (gfp & flag) != 0;
    }

    /** The way the kernel's %pGg prints a mask, for OOM reports. */
    public static String describe(int gfp) {
        if ((gfp & ~NOWARN) == GFP_HIGHUSER_MOVABLE) {
            return "GFP_HIGHUSER_MOVABLE";
        }
        if (gfp == GFP_KERNEL) {
            return "GFP_KERNEL";
        }
        List<String> names = new ArrayList<>();
        String[] all = {"__GFP_IO", "__GFP_FS", "__GFP_DIRECT_RECLAIM", "__GFP_NORETRY", "__GFP_RETRY_MAYFAIL",
            "__GFP_NOFAIL", "__GFP_WRITE", "__GFP_HIGH", "__GFP_NOWARN", "__GFP_HIGHMEM|__GFP_MOVABLE"};
        for (int i = 0; i < all.length; i++) {
            if ((gfp & (1 << i)) != 0) {
                names.add(all[i]);
            }
        }
        return String.join("|", names);
    }

    /** The hex value x86-64 4.18 prints for the masks the model uses (gfp_mask=%#x). */
    public static String hex(int gfp) {
        if ((gfp & ~NOWARN) == GFP_HIGHUSER_MOVABLE) {
            return "0x6200ca";
        }
        if (gfp == GFP_KERNEL) {
            return "0x6000c0";
        }
        return "0x" + Integer.toHexString(gfp);
    }
}
