package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.GfpFormat;

/**
 * The gfp masks as 5.18 prints them in an OOM report: the bit values of include/linux/gfp.h
 * (5.18, x86-64, no KASAN or lockdep) and the %pGg names of include/trace/events/mmflags.h,
 * compound names first; the shared {@link GfpFormat} prints them.
 */
final class GfpFlags {
    private static final long HIGHMEM = 0x02;
    private static final long MOVABLE = 0x08;
    private static final long HIGH = 0x20;
    private static final long IO = 0x40;
    private static final long FS = 0x80;
    private static final long DIRECT_RECLAIM = 0x400;
    private static final long KSWAPD_RECLAIM = 0x800;
    private static final long WRITE = 0x1000;
    private static final long NOWARN = 0x2000;
    private static final long RETRY_MAYFAIL = 0x4000;
    private static final long NOFAIL = 0x8000;
    private static final long NORETRY = 0x10000;
    private static final long HARDWALL = 0x100000;

    private static final long RECLAIM = DIRECT_RECLAIM | KSWAPD_RECLAIM;
    private static final long GFP_KERNEL = RECLAIM | IO | FS;
    private static final long GFP_NOFS = RECLAIM | IO;
    private static final long GFP_NOIO = RECLAIM;
    private static final long GFP_USER = GFP_KERNEL | HARDWALL;
    private static final long GFP_HIGHUSER = GFP_USER | HIGHMEM;
    private static final long GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | MOVABLE;

    /**
     * The model's flags in 5.18's bits (the direct-reclaim bit stands for __GFP_RECLAIM, both
     * reclaim bits as in GFP_KERNEL; highmem-movable for what GFP_HIGHUSER_MOVABLE adds to
     * GFP_KERNEL) and __def_gfpflag_names, the entries the model's masks can contain, in the
     * kernel's order. 5.18's dump_header never formats an empty mask (it prints a 0 as
     * GFP_KERNEL); the model's table says "none" for one.
     */
    static final GfpFormat FORMAT = GfpFormat.builder()
            .bits(Gfp.IO, IO)
            .bits(Gfp.FS, FS)
            .bits(Gfp.DIRECT_RECLAIM, RECLAIM)
            .bits(Gfp.NORETRY, NORETRY)
            .bits(Gfp.RETRY_MAYFAIL, RETRY_MAYFAIL)
            .bits(Gfp.NOFAIL, NOFAIL)
            .bits(Gfp.WRITE, WRITE)
            .bits(Gfp.HIGH, HIGH)
            .bits(Gfp.NOWARN, NOWARN)
            .bits(Gfp.HIGHMEM_MOVABLE, HARDWALL | HIGHMEM | MOVABLE)
            .name(GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE")
            .name(GFP_HIGHUSER, "GFP_HIGHUSER")
            .name(GFP_USER, "GFP_USER")
            .name(GFP_KERNEL, "GFP_KERNEL")
            .name(GFP_NOFS, "GFP_NOFS")
            .name(GFP_NOIO, "GFP_NOIO")
            .name(HIGHMEM, "__GFP_HIGHMEM")
            .name(HIGH, "__GFP_HIGH")
            .name(IO, "__GFP_IO")
            .name(FS, "__GFP_FS")
            .name(NOWARN, "__GFP_NOWARN")
            .name(RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL")
            .name(NOFAIL, "__GFP_NOFAIL")
            .name(NORETRY, "__GFP_NORETRY")
            .name(HARDWALL, "__GFP_HARDWALL")
            .name(MOVABLE, "__GFP_MOVABLE")
            .name(WRITE, "__GFP_WRITE")
            .name(RECLAIM, "__GFP_RECLAIM")
            .name(DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM")
            .name(KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM")
            .noNames("none")
            .build();

    private GfpFlags() {}
}
