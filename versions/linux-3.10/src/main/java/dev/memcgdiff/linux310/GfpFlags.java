package dev.memcgdiff.linux310;

import dev.memcgdiff.mm.Gfp;

/** gfp_t as include/linux/gfp.h of 3.10.0-1160 numbers it, for "gfp_mask=0x%x" in OOM reports. */
final class GfpFlags {
    static final int GFP_WAIT = 0x10;
    static final int GFP_HIGH = 0x20;
    static final int GFP_IO = 0x40;
    static final int GFP_FS = 0x80;
    static final int GFP_NOWARN = 0x200;
    static final int GFP_REPEAT = 0x400;
    static final int GFP_NOFAIL = 0x800;
    static final int GFP_NORETRY = 0x1000;
    static final int GFP_HIGHMEM = 0x02;
    static final int GFP_MOVABLE = 0x08;
    static final int GFP_HARDWALL = 0x20000;
    static final int GFP_WRITE = 0x1000000;

    private GfpFlags() {
    }

    /** The model's flags in 3.10's bit values; __GFP_RETRY_MAYFAIL did not exist, __GFP_REPEAT stood there. */
    static int of(int gfp) {
        int v = 0;
        v |= Gfp.has(gfp, Gfp.DIRECT_RECLAIM) ? GFP_WAIT : 0;
        v |= Gfp.has(gfp, Gfp.HIGH) ? GFP_HIGH : 0;
        v |= Gfp.has(gfp, Gfp.IO) ? GFP_IO : 0;
        v |= Gfp.has(gfp, Gfp.FS) ? GFP_FS : 0;
        v |= Gfp.has(gfp, Gfp.NOWARN) ? GFP_NOWARN : 0;
        v |= Gfp.has(gfp, Gfp.RETRY_MAYFAIL) ? GFP_REPEAT : 0;
        v |= Gfp.has(gfp, Gfp.NOFAIL) ? GFP_NOFAIL : 0;
        v |= Gfp.has(gfp, Gfp.NORETRY) ? GFP_NORETRY : 0;
        v |= Gfp.has(gfp, Gfp.HIGHMEM_MOVABLE) ? GFP_HARDWALL | GFP_HIGHMEM | GFP_MOVABLE : 0;
        v |= Gfp.has(gfp, Gfp.WRITE) ? GFP_WRITE : 0;
        return v;
    }

    /** gfp & GFP_RECLAIM_MASK: what a memcg charge keeps of the caller's mask (mem_cgroup_cache_charge). */
    static int reclaimMask(int gfp) {
        return gfp & (Gfp.DIRECT_RECLAIM | Gfp.HIGH | Gfp.IO | Gfp.FS | Gfp.NOWARN | Gfp.RETRY_MAYFAIL | Gfp.NOFAIL
            | Gfp.NORETRY);
    }

    /** "0x%x". */
    static String hex(int gfp) {
        return "0x" + Integer.toHexString(of(gfp));
    }
}
