package dev.memcgdiff.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** GFP_RECLAIM_MASK and the memcg reclaim mask of 3.10 and 4.18, in the model's flags. */
class GfpTest {
    @Test
    void theReclaimMaskKeepsWhatAReclaimMayDoNotWhereItsPagesComeFrom() {
        assertThat(Gfp.RECLAIM_MASK & Gfp.HIGHMEM_MOVABLE).isZero();
        assertThat(Gfp.RECLAIM_MASK & Gfp.WRITE).isZero();
        assertThat(Gfp.RECLAIM_MASK & Gfp.GFP_KERNEL).isEqualTo(Gfp.GFP_KERNEL);
    }

    @Test
    void memcgReclaimRunsWithTheCallersReclaimBitsAndHighuserMovablePlacement() {
        assertThat(Gfp.memcgReclaimMask(Gfp.GFP_KERNEL)).isEqualTo(Gfp.GFP_HIGHUSER_MOVABLE);
        assertThat(Gfp.memcgReclaimMask(Gfp.GFP_KERNEL | Gfp.WRITE))
                .as("__GFP_WRITE is not a reclaim bit")
                .isEqualTo(Gfp.GFP_HIGHUSER_MOVABLE);
        assertThat(Gfp.memcgReclaimMask(Gfp.GFP_KERNEL & ~Gfp.FS))
                .as("a NOFS charge reclaims without FS")
                .isEqualTo(Gfp.IO | Gfp.DIRECT_RECLAIM | Gfp.HIGHMEM_MOVABLE);
        assertThat(Gfp.memcgReclaimMask(Gfp.TRANSHUGE_LIGHT))
                .as("no direct reclaim bit: none added")
                .isEqualTo(Gfp.IO | Gfp.FS | Gfp.NOWARN | Gfp.HIGHMEM_MOVABLE);
    }
}
