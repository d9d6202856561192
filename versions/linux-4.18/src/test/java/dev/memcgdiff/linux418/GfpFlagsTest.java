package dev.memcgdiff.linux418;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Gfp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * dump_header's gfp_mask=%#x(%pGg) on 4.18.0-147: values from include/linux/gfp.h, names in the
 * order of __def_gfpflag_names (include/trace/events/mmflags.h), as lib/vsprintf.c format_flags
 * prints them. The first two are the masks of the incidents' reports.
 */
class GfpFlagsTest {

    @Test
    @DisplayName("%pGg: GFP_KERNEL is 0x6000c0 and GFP_HIGHUSER_MOVABLE 0x6200ca, as in the incidents' first lines")
    void incidentMasks() {
        assertThat(GfpFlags.dumpHeaderMask(Gfp.GFP_KERNEL)).isEqualTo("0x6000c0(GFP_KERNEL)");
        assertThat(GfpFlags.dumpHeaderMask(Gfp.GFP_HIGHUSER_MOVABLE)).isEqualTo("0x6200ca(GFP_HIGHUSER_MOVABLE)");
    }

    @Test
    @DisplayName(
            "%pGg: the composite name first, then each remaining single flag in table order (__GFP_NOWARN before __GFP_NORETRY, __GFP_WRITE late)")
    void leftoverFlags() {
        // ___GFP_WRITE 0x100, ___GFP_NOWARN 0x200, ___GFP_NOFAIL 0x800, ___GFP_NORETRY 0x1000.
        assertThat(GfpFlags.dumpHeaderMask(Gfp.GFP_HIGHUSER_MOVABLE | Gfp.WRITE))
                .isEqualTo("0x6201ca(GFP_HIGHUSER_MOVABLE|__GFP_WRITE)");
        assertThat(GfpFlags.dumpHeaderMask(Gfp.READAHEAD))
                .isEqualTo("0x6212ca(GFP_HIGHUSER_MOVABLE|__GFP_NOWARN|__GFP_NORETRY)");
        assertThat(GfpFlags.dumpHeaderMask(Gfp.GFP_KERNEL | Gfp.NOFAIL)).isEqualTo("0x6008c0(GFP_KERNEL|__GFP_NOFAIL)");
    }

    @Test
    @DisplayName("%pGg: GFP_KERNEL without __GFP_FS is GFP_NOFS; an empty mask prints 0x0()")
    void nofsAndEmpty() {
        assertThat(GfpFlags.dumpHeaderMask(Gfp.GFP_KERNEL & ~Gfp.FS)).isEqualTo("0x600040(GFP_NOFS)");
        assertThat(GfpFlags.dumpHeaderMask(0)).isEqualTo("0x0()");
    }
}
