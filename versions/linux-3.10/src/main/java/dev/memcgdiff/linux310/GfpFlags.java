package dev.memcgdiff.linux310;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.GfpFormat;

/** gfp_t as include/linux/gfp.h of 3.10.0-1160 numbers it, for "gfp_mask=0x%x" in OOM reports. */
final class GfpFlags {
    private static final long GFP_WAIT = 0x10;
    private static final long GFP_HIGH = 0x20;
    private static final long GFP_IO = 0x40;
    private static final long GFP_FS = 0x80;
    private static final long GFP_NOWARN = 0x200;
    private static final long GFP_REPEAT = 0x400;
    private static final long GFP_NOFAIL = 0x800;
    private static final long GFP_NORETRY = 0x1000;
    private static final long GFP_HIGHMEM = 0x02;
    private static final long GFP_MOVABLE = 0x08;
    private static final long GFP_HARDWALL = 0x20000;
    private static final long GFP_WRITE = 0x1000000;

    /**
     * The model's flags in 3.10's bit values: __GFP_RETRY_MAYFAIL did not exist, __GFP_REPEAT
     * stood there. 3.10's dump_header prints the number only, so there is no name table.
     */
    static final GfpFormat FORMAT = GfpFormat.builder()
            .bits(Gfp.DIRECT_RECLAIM, GFP_WAIT)
            .bits(Gfp.HIGH, GFP_HIGH)
            .bits(Gfp.IO, GFP_IO)
            .bits(Gfp.FS, GFP_FS)
            .bits(Gfp.NOWARN, GFP_NOWARN)
            .bits(Gfp.RETRY_MAYFAIL, GFP_REPEAT)
            .bits(Gfp.NOFAIL, GFP_NOFAIL)
            .bits(Gfp.NORETRY, GFP_NORETRY)
            .bits(Gfp.HIGHMEM_MOVABLE, GFP_HARDWALL | GFP_HIGHMEM | GFP_MOVABLE)
            .bits(Gfp.WRITE, GFP_WRITE)
            .build();

    private GfpFlags() {}
}
