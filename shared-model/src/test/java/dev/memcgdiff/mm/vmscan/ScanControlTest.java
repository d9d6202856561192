package dev.memcgdiff.mm.vmscan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Gfp;
import org.junit.jupiter.api.Test;

/** The reclaim constants (include/linux/swap.h, mm/vmscan.c, mm/internal.h) and the scan_controls every kernel builds. */
class ScanControlTest {
    @Test
    void theConstantsAreTheKernels() {
        assertThat(VmscanConstants.DEF_PRIORITY).isEqualTo(12);
        assertThat(VmscanConstants.SWAP_CLUSTER_MAX).isEqualTo(32);
        assertThat(VmscanConstants.MAX_RECLAIM_RETRIES).isEqualTo(16);
        assertThat(VmscanConstants.MEM_CGROUP_RECLAIM_RETRIES).isEqualTo(5);
    }

    @Test
    void tryToFreePagesIsGlobalDirectReclaimOfAClusterFromDefPriority() {
        ScanControl sc = ScanControl.tryToFreePages(Gfp.GFP_HIGHUSER_MOVABLE);

        assertThat(sc.gfp).isEqualTo(Gfp.GFP_HIGHUSER_MOVABLE);
        assertThat(sc.cgroupReclaim()).isFalse();
        assertThat(sc.kswapd).isFalse();
        assertThat(sc.nrToReclaim).isEqualTo(32);
        assertThat(sc.priority).isEqualTo(12);
        assertThat(sc.mayWritepage).isTrue();
        assertThat(sc.maySwap).isTrue();
        assertThat(sc.mayUnmap).isTrue();
    }

    @Test
    void memcgReclaimTakesItsTargetAndMaySwap() {
        ScanControl sc = ScanControl.memcgReclaim(Gfp.GFP_KERNEL, null, 100, false);

        assertThat(sc.gfp).isEqualTo(Gfp.GFP_KERNEL);
        assertThat(sc.nrToReclaim).isEqualTo(100);
        assertThat(sc.priority).isEqualTo(12);
        assertThat(sc.mayWritepage).isTrue();
        assertThat(sc.maySwap).isFalse();
        assertThat(sc.kswapd).isFalse();
    }

    @Test
    void softLimitReclaimIsAClusterAtPriorityZero() {
        ScanControl sc = ScanControl.softLimit(Gfp.GFP_KERNEL, null);

        assertThat(sc.softLimit).isTrue();
        assertThat(sc.nrToReclaim).isEqualTo(32);
        assertThat(sc.priority).isZero();
        assertThat(sc.mayWritepage).isTrue();
        assertThat(sc.maySwap).isTrue();
    }

    @Test
    void kswapdStartsAtDefPriorityWithGfpKernel() {
        ScanControl sc = ScanControl.kswapd();

        assertThat(sc.kswapd).isTrue();
        assertThat(sc.gfp).isEqualTo(Gfp.GFP_KERNEL);
        assertThat(sc.cgroupReclaim()).isFalse();
        assertThat(sc.priority).isEqualTo(12);
        assertThat(sc.nrToReclaim).as("balance_pgdat sets it per pass").isZero();
        assertThat(sc.mayWritepage).isTrue();
        assertThat(sc.maySwap).isTrue();
    }
}
