package dev.memcgdiff.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** mm/page-writeback.c's global domain, as the model computes it. */
class WritebackTest {
    @Test
    void posRatioIsTwoAtFreerunOneAtTheSetpointAndZeroAtTheLimit() {
        Writeback.Thresholds th = new Writeback.Thresholds(10_000, 2_000, 1_000); // freerun 1500
        assertThat(Writeback.posRatio(1_500, th)).isEqualTo(2.0);
        assertThat(Writeback.posRatio(1_750, th)).isEqualTo(1.0);
        assertThat(Writeback.posRatio(2_000, th)).isZero();
        assertThat(Writeback.posRatio(1_875, th)).as("cubic: 1 + (-0.5)^3").isEqualTo(0.875);
    }
}
