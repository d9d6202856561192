package dev.memcgdiff.linux418;

import dev.memcgdiff.mm.Gfp;

/**
 * dump_header's "gfp_mask=%#x(%pGg)" on x86-64 4.18.0-147: the model's gfp flags turned into the
 * kernel's bit values (include/linux/gfp.h) and named the way format_flags walks the
 * __def_gfpflag_names table (include/trace/events/mmflags.h): composite names first, each
 * matching entry printed and its bits removed, "|" between names.
 */
final class GfpFlags {
    private static final long HIGHMEM = 0x02;
    private static final long MOVABLE = 0x08;
    private static final long HIGH = 0x20;
    private static final long IO = 0x40;
    private static final long FS = 0x80;
    private static final long WRITE = 0x100;
    private static final long NOWARN = 0x200;
    private static final long RETRY_MAYFAIL = 0x400;
    private static final long NOFAIL = 0x800;
    private static final long NORETRY = 0x1000;
    private static final long COMP = 0x4000;
    private static final long NOMEMALLOC = 0x10000;
    private static final long HARDWALL = 0x20000;
    private static final long ATOMIC = 0x80000;
    private static final long ACCOUNT = 0x100000;
    private static final long DIRECT_RECLAIM = 0x200000;
    private static final long KSWAPD_RECLAIM = 0x400000;
    private static final long RECLAIM = DIRECT_RECLAIM | KSWAPD_RECLAIM;

    private static final long GFP_KERNEL = RECLAIM | IO | FS;
    private static final long GFP_USER = GFP_KERNEL | HARDWALL;
    private static final long GFP_HIGHUSER = GFP_USER | HIGHMEM;
    private static final long GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | MOVABLE;
    private static final long GFP_TRANSHUGE_LIGHT = (GFP_HIGHUSER_MOVABLE | COMP | NOMEMALLOC | NOWARN) & ~RECLAIM;

    /** The table's entries in its order, as far as the modelled masks can reach them. */
    private static final Object[][] NAMES = {
        {GFP_TRANSHUGE_LIGHT | DIRECT_RECLAIM, "GFP_TRANSHUGE"},
        {GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT"},
        {GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"},
        {GFP_HIGHUSER, "GFP_HIGHUSER"},
        {GFP_USER, "GFP_USER"},
        {GFP_KERNEL | ACCOUNT, "GFP_KERNEL_ACCOUNT"},
        {GFP_KERNEL, "GFP_KERNEL"},
        {RECLAIM | IO, "GFP_NOFS"},
        {HIGH | ATOMIC | KSWAPD_RECLAIM, "GFP_ATOMIC"},
        {RECLAIM, "GFP_NOIO"},
        {KSWAPD_RECLAIM, "GFP_NOWAIT"},
        {HIGHMEM, "__GFP_HIGHMEM"},
        {HIGH, "__GFP_HIGH"},
        {ATOMIC, "__GFP_ATOMIC"},
        {IO, "__GFP_IO"},
        {FS, "__GFP_FS"},
        {NOWARN, "__GFP_NOWARN"},
        {RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL"},
        {NOFAIL, "__GFP_NOFAIL"},
        {NORETRY, "__GFP_NORETRY"},
        {COMP, "__GFP_COMP"},
        {NOMEMALLOC, "__GFP_NOMEMALLOC"},
        {HARDWALL, "__GFP_HARDWALL"},
        {MOVABLE, "__GFP_MOVABLE"},
        {ACCOUNT, "__GFP_ACCOUNT"},
        {WRITE, "__GFP_WRITE"},
        {RECLAIM, "__GFP_RECLAIM"},
        {DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"},
        {KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM"},
    };

    private GfpFlags() {
    }

    /** The kernel's gfp_t for a model mask. A mask that may direct-reclaim also wakes kswapd (__GFP_RECLAIM). */
    static long kernelBits(int gfp) {
        long bits = 0;
        if (Gfp.has(gfp, Gfp.IO)) {
            bits |= IO;
        }
        if (Gfp.has(gfp, Gfp.FS)) {
            bits |= FS;
        }
        if (Gfp.has(gfp, Gfp.DIRECT_RECLAIM)) {
            bits |= RECLAIM;
        }
        if (Gfp.has(gfp, Gfp.HIGHMEM_MOVABLE)) {
            bits |= HIGHMEM | MOVABLE | HARDWALL;
        }
        if (Gfp.has(gfp, Gfp.NORETRY)) {
            bits |= NORETRY;
        }
        if (Gfp.has(gfp, Gfp.RETRY_MAYFAIL)) {
            bits |= RETRY_MAYFAIL;
        }
        if (Gfp.has(gfp, Gfp.NOFAIL)) {
            bits |= NOFAIL;
        }
        if (Gfp.has(gfp, Gfp.WRITE)) {
            bits |= WRITE;
        }
        if (Gfp.has(gfp, Gfp.HIGH)) {
            bits |= HIGH;
        }
        if (Gfp.has(gfp, Gfp.NOWARN)) {
            bits |= NOWARN;
        }
        return bits;
    }

    /** "0x6200ca(GFP_HIGHUSER_MOVABLE)": %#x (the kernel's number() prefixes 0x even to 0) then %pGg. */
    static String dumpHeaderMask(int gfp) {
        long flags = kernelBits(gfp);
        StringBuilder sb = new StringBuilder("0x").append(Long.toHexString(flags)).append('(');
        boolean first = true;
        for (Object[] e : NAMES) {
            long mask = (Long) e[0];
            if (flags == 0) {
                break;
            }
            if ((flags & mask) != mask) {
                continue;
            }
            sb.append(first ? "" : "|").append((String) e[1]);
            first = false;
            flags &= ~mask;
        }
        if (flags != 0) {
            sb.append(first ? "" : "|").append("0x").append(Long.toHexString(flags));
        }
        return sb.append(')').toString();
    }
}
