package dev.memcgdiff.linux418;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.GfpFormat;

/**
 * gfp_t on x86-64 4.18.0-147 for dump_header's "gfp_mask=%#x(%pGg)": the kernel's bit values
 * (include/linux/gfp.h) and the __def_gfpflag_names table (include/trace/events/mmflags.h),
 * composite names first; the shared {@link GfpFormat} prints them.
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

    /**
     * The model's flags in 4.18's bits (a mask that may direct-reclaim also wakes kswapd:
     * __GFP_RECLAIM) and the __def_gfpflag_names entries in the table's order, as far as the
     * modelled masks can reach them. A mask with no bits prints no names: "0x0()".
     */
    static final GfpFormat FORMAT = GfpFormat.builder()
            .bits(Gfp.IO, IO)
            .bits(Gfp.FS, FS)
            .bits(Gfp.DIRECT_RECLAIM, RECLAIM)
            .bits(Gfp.HIGHMEM_MOVABLE, HIGHMEM | MOVABLE | HARDWALL)
            .bits(Gfp.NORETRY, NORETRY)
            .bits(Gfp.RETRY_MAYFAIL, RETRY_MAYFAIL)
            .bits(Gfp.NOFAIL, NOFAIL)
            .bits(Gfp.WRITE, WRITE)
            .bits(Gfp.HIGH, HIGH)
            .bits(Gfp.NOWARN, NOWARN)
            .name(GFP_TRANSHUGE_LIGHT | DIRECT_RECLAIM, "GFP_TRANSHUGE")
            .name(GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT")
            .name(GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE")
            .name(GFP_HIGHUSER, "GFP_HIGHUSER")
            .name(GFP_USER, "GFP_USER")
            .name(GFP_KERNEL | ACCOUNT, "GFP_KERNEL_ACCOUNT")
            .name(GFP_KERNEL, "GFP_KERNEL")
            .name(RECLAIM | IO, "GFP_NOFS")
            .name(HIGH | ATOMIC | KSWAPD_RECLAIM, "GFP_ATOMIC")
            .name(RECLAIM, "GFP_NOIO")
            .name(KSWAPD_RECLAIM, "GFP_NOWAIT")
            .name(HIGHMEM, "__GFP_HIGHMEM")
            .name(HIGH, "__GFP_HIGH")
            .name(ATOMIC, "__GFP_ATOMIC")
            .name(IO, "__GFP_IO")
            .name(FS, "__GFP_FS")
            .name(NOWARN, "__GFP_NOWARN")
            .name(RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL")
            .name(NOFAIL, "__GFP_NOFAIL")
            .name(NORETRY, "__GFP_NORETRY")
            .name(COMP, "__GFP_COMP")
            .name(NOMEMALLOC, "__GFP_NOMEMALLOC")
            .name(HARDWALL, "__GFP_HARDWALL")
            .name(MOVABLE, "__GFP_MOVABLE")
            .name(ACCOUNT, "__GFP_ACCOUNT")
            .name(WRITE, "__GFP_WRITE")
            .name(RECLAIM, "__GFP_RECLAIM")
            .name(DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM")
            .name(KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM")
            .noNames("")
            .build();

    private GfpFlags() {}

    /** "0x6200ca(GFP_HIGHUSER_MOVABLE)": dump_header's "gfp_mask=%#x(%pGg)". */
    static String dumpHeaderMask(int gfp) {
        return FORMAT.format(gfp);
    }
}
