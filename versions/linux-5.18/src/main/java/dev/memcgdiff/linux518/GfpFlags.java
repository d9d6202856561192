package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.Gfp;
import java.util.ArrayList;
import java.util.List;

/**
 * The gfp masks as 5.18 prints them in an OOM report: the bit values of include/linux/gfp.h
 * (5.18, x86-64, no KASAN or lockdep) and the %pGg names of include/trace/events/mmflags.h,
 * compound names first.
 */
final class GfpFlags {
    static final long HIGHMEM = 0x02;
    static final long MOVABLE = 0x08;
    static final long HIGH = 0x20;
    static final long IO = 0x40;
    static final long FS = 0x80;
    static final long DIRECT_RECLAIM = 0x400;
    static final long KSWAPD_RECLAIM = 0x800;
    static final long WRITE = 0x1000;
    static final long NOWARN = 0x2000;
    static final long RETRY_MAYFAIL = 0x4000;
    static final long NOFAIL = 0x8000;
    static final long NORETRY = 0x10000;
    static final long HARDWALL = 0x100000;

    static final long RECLAIM = DIRECT_RECLAIM | KSWAPD_RECLAIM;
    static final long GFP_KERNEL = RECLAIM | IO | FS;
    static final long GFP_NOFS = RECLAIM | IO;
    static final long GFP_NOIO = RECLAIM;
    static final long GFP_USER = GFP_KERNEL | HARDWALL;
    static final long GFP_HIGHUSER = GFP_USER | HIGHMEM;
    static final long GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | MOVABLE;

    private record Name(long mask, String name) {
    }

    /** __def_gfpflag_names, the entries the model's masks can contain, in the kernel's order. */
    private static final List<Name> NAMES = List.of(
        new Name(GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"),
        new Name(GFP_HIGHUSER, "GFP_HIGHUSER"),
        new Name(GFP_USER, "GFP_USER"),
        new Name(GFP_KERNEL, "GFP_KERNEL"),
        new Name(GFP_NOFS, "GFP_NOFS"),
        new Name(GFP_NOIO, "GFP_NOIO"),
        new Name(HIGHMEM, "__GFP_HIGHMEM"),
        new Name(HIGH, "__GFP_HIGH"),
        new Name(IO, "__GFP_IO"),
        new Name(FS, "__GFP_FS"),
        new Name(NOWARN, "__GFP_NOWARN"),
        new Name(RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL"),
        new Name(NOFAIL, "__GFP_NOFAIL"),
        new Name(NORETRY, "__GFP_NORETRY"),
        new Name(HARDWALL, "__GFP_HARDWALL"),
        new Name(MOVABLE, "__GFP_MOVABLE"),
        new Name(WRITE, "__GFP_WRITE"),
        new Name(RECLAIM, "__GFP_RECLAIM"),
        new Name(DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"),
        new Name(KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM"));

    private GfpFlags() {
    }

    /**
     * The 5.18 value of one of the model's masks. The model's direct-reclaim bit stands for
     * __GFP_RECLAIM (both reclaim bits, as in GFP_KERNEL); its highmem-movable bit for what
     * GFP_HIGHUSER_MOVABLE adds to GFP_KERNEL.
     */
    static long value(int gfp) {
        long v = 0;
        v |= Gfp.has(gfp, Gfp.IO) ? IO : 0;
        v |= Gfp.has(gfp, Gfp.FS) ? FS : 0;
        v |= Gfp.has(gfp, Gfp.DIRECT_RECLAIM) ? RECLAIM : 0;
        v |= Gfp.has(gfp, Gfp.NORETRY) ? NORETRY : 0;
        v |= Gfp.has(gfp, Gfp.RETRY_MAYFAIL) ? RETRY_MAYFAIL : 0;
        v |= Gfp.has(gfp, Gfp.NOFAIL) ? NOFAIL : 0;
        v |= Gfp.has(gfp, Gfp.WRITE) ? WRITE : 0;
        v |= Gfp.has(gfp, Gfp.HIGH) ? HIGH : 0;
        v |= Gfp.has(gfp, Gfp.NOWARN) ? NOWARN : 0;
        v |= Gfp.has(gfp, Gfp.HIGHMEM_MOVABLE) ? HARDWALL | HIGHMEM | MOVABLE : 0;
        return v;
    }

    /** "gfp_mask=%#x(%pGg)": the hex value and the names, compound masks first. */
    static String format(int gfp) {
        long v = value(gfp);
        List<String> names = new ArrayList<>();
        long rest = v;
        for (Name n : NAMES) {
            if ((rest & n.mask()) == n.mask() && n.mask() != 0) {
                names.add(n.name());
                rest &= ~n.mask();
            }
        }
        if (rest != 0) {
            names.add("0x" + Long.toHexString(rest));
        }
        return "0x" + Long.toHexString(v) + "(" + (names.isEmpty() ? "none" : String.join("|", names)) + ")";
    }
}
