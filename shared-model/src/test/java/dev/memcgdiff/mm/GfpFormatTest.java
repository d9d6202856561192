package dev.memcgdiff.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The %pGg formatter against masks as real OOM reports print them. The tables here are typed in
 * from include/linux/gfp.h and include/trace/events/mmflags.h of each kernel (only the entries
 * the masks below reach), independently of the version modules' own tables.
 */
class GfpFormatTest {
    /** x86-64 4.18: GFP_KERNEL is 0x6000c0. */
    private static final GfpFormat V4_18 = GfpFormat.builder()
            .bits(Gfp.IO, 0x40)
            .bits(Gfp.FS, 0x80)
            .bits(Gfp.DIRECT_RECLAIM, 0x200000 | 0x400000)
            .bits(Gfp.HIGHMEM_MOVABLE, 0x02 | 0x08 | 0x20000)
            .bits(Gfp.NORETRY, 0x1000)
            .bits(Gfp.RETRY_MAYFAIL, 0x400)
            .bits(Gfp.NOFAIL, 0x800)
            .bits(Gfp.WRITE, 0x100)
            .bits(Gfp.HIGH, 0x20)
            .bits(Gfp.NOWARN, 0x200)
            .name(0x6200ca, "GFP_HIGHUSER_MOVABLE")
            .name(0x6000c0, "GFP_KERNEL")
            .name(0x600040, "GFP_NOFS")
            .name(0x200, "__GFP_NOWARN")
            .name(0x800, "__GFP_NOFAIL")
            .name(0x1000, "__GFP_NORETRY")
            .build();

    /** x86-64 5.18: GFP_KERNEL is 0xcc0; no name for __GFP_WRITE in this test table. */
    private static final GfpFormat V5_18 = GfpFormat.builder()
            .bits(Gfp.IO, 0x40)
            .bits(Gfp.FS, 0x80)
            .bits(Gfp.DIRECT_RECLAIM, 0x400 | 0x800)
            .bits(Gfp.HIGHMEM_MOVABLE, 0x02 | 0x08 | 0x100000)
            .bits(Gfp.NORETRY, 0x10000)
            .bits(Gfp.RETRY_MAYFAIL, 0x4000)
            .bits(Gfp.NOFAIL, 0x8000)
            .bits(Gfp.WRITE, 0x1000)
            .bits(Gfp.HIGH, 0x20)
            .bits(Gfp.NOWARN, 0x2000)
            .name(0x100cca, "GFP_HIGHUSER_MOVABLE")
            .name(0xcc0, "GFP_KERNEL")
            .name(0x10000, "__GFP_NORETRY")
            .noNames("none")
            .build();

    /** 3.10.0-1160: __GFP_WAIT 0x10, no names (its dump_header prints the number only). */
    private static final GfpFormat V3_10 = GfpFormat.builder()
            .bits(Gfp.DIRECT_RECLAIM, 0x10)
            .bits(Gfp.HIGH, 0x20)
            .bits(Gfp.IO, 0x40)
            .bits(Gfp.FS, 0x80)
            .bits(Gfp.NOWARN, 0x200)
            .bits(Gfp.RETRY_MAYFAIL, 0x400)
            .bits(Gfp.NOFAIL, 0x800)
            .bits(Gfp.NORETRY, 0x1000)
            .bits(Gfp.HIGHMEM_MOVABLE, 0x20000 | 0x02 | 0x08)
            .bits(Gfp.WRITE, 0x1000000)
            .build();

    @Test
    void theMasksOfRealFourEighteenReports() {
        // RHEL 8.1 memcg OOM from a charge: "gfp_mask=0x6000c0(GFP_KERNEL), nodemask=(null)"
        assertThat(V4_18.format(Gfp.GFP_KERNEL)).isEqualTo("0x6000c0(GFP_KERNEL)");
        // a page fault: "gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE)"
        assertThat(V4_18.format(Gfp.GFP_HIGHUSER_MOVABLE)).isEqualTo("0x6200ca(GFP_HIGHUSER_MOVABLE)");
        // the compound name first, then the single flag left over
        assertThat(V4_18.format(Gfp.GFP_KERNEL | Gfp.NORETRY)).isEqualTo("0x6010c0(GFP_KERNEL|__GFP_NORETRY)");
        assertThat(V4_18.format(Gfp.GFP_KERNEL & ~Gfp.FS)).isEqualTo("0x600040(GFP_NOFS)");
    }

    @Test
    void theMasksOfRealFiveEighteenReports() {
        // upstream 5.x memcg OOM: "gfp_mask=0xcc0(GFP_KERNEL)"
        assertThat(V5_18.format(Gfp.GFP_KERNEL)).isEqualTo("0xcc0(GFP_KERNEL)");
        // upstream 5.x page fault: "gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE)"
        assertThat(V5_18.format(Gfp.GFP_HIGHUSER_MOVABLE)).isEqualTo("0x100cca(GFP_HIGHUSER_MOVABLE)");
        assertThat(V5_18.format(Gfp.GFP_KERNEL | Gfp.NORETRY)).isEqualTo("0x10cc0(GFP_KERNEL|__GFP_NORETRY)");
    }

    @Test
    void bitsNoEntryNamesArePrintedInHexAfterTheNames() {
        // format_flags: 0x1000 (__GFP_WRITE) has no entry in the test table
        assertThat(V5_18.format(Gfp.GFP_KERNEL | Gfp.WRITE)).isEqualTo("0x1cc0(GFP_KERNEL|0x1000)");
        assertThat(V5_18.names(0x1000)).isEqualTo("0x1000");
    }

    @Test
    void anEmptyMaskPrintsTheKernelsNoNamesText() {
        // 4.18's pagefault_out_of_memory report: "gfp_mask=0x0(), nodemask=(null)"
        assertThat(V4_18.format(0)).isEqualTo("0x0()");
        assertThat(V5_18.format(0)).isEqualTo("0x0(none)");
    }

    @Test
    void threeTenPrintsTheNumberOnly() {
        // RHEL 7 reports: "gfp_mask=0xd0, order=0" (memcg charge), "gfp_mask=0x200da, order=0" (page fault)
        assertThat(V3_10.hex(Gfp.GFP_KERNEL)).isEqualTo("0xd0");
        assertThat(V3_10.hex(Gfp.GFP_HIGHUSER_MOVABLE)).isEqualTo("0x200da");
        assertThat(V3_10.value(Gfp.GFP_KERNEL | Gfp.RETRY_MAYFAIL))
                .as("__GFP_REPEAT's bit")
                .isEqualTo(0x4d0);
    }

    @Test
    void everyModelFlagMustHaveItsKernelBits() {
        assertThatThrownBy(() -> GfpFormat.builder().bits(Gfp.IO, 0x40).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> GfpFormat.builder().bits(Gfp.IO | Gfp.FS, 0xc0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GfpFormat.builder().name(0, "nothing")).isInstanceOf(IllegalArgumentException.class);
    }
}
