package dev.memcgdiff.mm.memcg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memcgdiff.mm.memcg.PageCounter.Propagation;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * struct page_counter as mm/page_counter.c defines it in 4.18 and 5.18: every expectation below is
 * worked out by hand from page_counter_charge, page_counter_try_charge, page_counter_cancel,
 * page_counter_set_max, page_counter_set_min/low and propagate_protected_usage.
 */
class PageCounterTest {
    /** root - mid - leaf, the shape of a charge walking up a memcg hierarchy. */
    private static final class Chain {
        final PageCounter root;
        final PageCounter mid;
        final PageCounter leaf;

        Chain(Propagation propagation) {
            root = new PageCounter("memory", null, null, propagation);
            mid = new PageCounter("memory", null, root, propagation);
            leaf = new PageCounter("memory", null, mid, propagation);
        }
    }

    @Test
    void pageCounterMaxIsLongMaxOverPageSize() {
        // PAGE_COUNTER_MAX is LONG_MAX / PAGE_SIZE on 64-bit (include/linux/page_counter.h).
        assertThat(PageCounter.MAX).isEqualTo(2_251_799_813_685_247L);
        PageCounter c = new PageCounter("memory", null, null, Propagation.PER_LEVEL);
        assertThat(c.max()).isEqualTo(PageCounter.MAX);
        assertThat(c.high()).isEqualTo(PageCounter.MAX);
    }

    @ParameterizedTest
    @EnumSource(Propagation.class)
    void chargeReachesEveryAncestorAndRaisesTheirWatermarks(Propagation p) {
        Chain c = new Chain(p);
        c.leaf.charge(5);
        c.mid.charge(2);
        assertThat(c.leaf.usage()).isEqualTo(5);
        assertThat(c.mid.usage()).isEqualTo(7);
        assertThat(c.root.usage()).isEqualTo(7);
        assertThat(c.leaf.watermark()).isEqualTo(5);
        assertThat(c.mid.watermark()).isEqualTo(7);
        assertThat(c.root.watermark()).isEqualTo(7);
    }

    @ParameterizedTest
    @EnumSource(Propagation.class)
    void tryChargeUnderEveryLimitChargesEveryLevel(Propagation p) {
        Chain c = new Chain(p);
        c.mid.setMax(10);
        assertThat(c.leaf.tryCharge(4)).isNull();
        assertThat(c.leaf.tryCharge(6))
                .as("new usage == max is allowed: only new > max fails")
                .isNull();
        assertThat(c.leaf.usage()).isEqualTo(10);
        assertThat(c.mid.usage()).isEqualTo(10);
        assertThat(c.root.usage()).isEqualTo(10);
        assertThat(c.mid.failcnt()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Propagation.class)
    void tryChargeAtAnAncestorsLimitNamesItCountsFailcntThereOnlyAndUndoesTheLowerLevels(Propagation p) {
        Chain c = new Chain(p);
        c.mid.setMax(10);
        c.root.setMax(100);
        assertThat(c.leaf.tryCharge(8)).isNull();

        PageCounter failed = c.leaf.tryCharge(3);

        assertThat(failed).isSameAs(c.mid);
        assertThat(c.mid.failcnt()).isEqualTo(1);
        assertThat(c.leaf.failcnt()).isZero();
        assertThat(c.root.failcnt()).isZero();
        assertThat(c.leaf.usage()).isEqualTo(8);
        assertThat(c.mid.usage()).isEqualTo(8);
        assertThat(c.root.usage()).as("the walk stops at the failing level").isEqualTo(8);
    }

    @ParameterizedTest
    @EnumSource(Propagation.class)
    void aLowerLevelsWatermarkKeepsTheSpeculativeChargeWhenAnAncestorFails(Propagation p) {
        // page_counter_try_charge raises each level's watermark as it goes; the failure path only
        // cancels usage, so the leaf remembers a peak it never really held.
        Chain c = new Chain(p);
        c.mid.setMax(10);
        c.leaf.tryCharge(8);

        c.leaf.tryCharge(3);

        assertThat(c.leaf.watermark()).isEqualTo(11);
        assertThat(c.mid.watermark()).isEqualTo(8);
        assertThat(c.root.watermark()).isEqualTo(8);
    }

    @ParameterizedTest
    @EnumSource(Propagation.class)
    void tryChargeAtTheCountersOwnLimitChangesNothingButItsFailcnt(Propagation p) {
        Chain c = new Chain(p);
        c.leaf.setMax(4);
        c.leaf.tryCharge(3);

        assertThat(c.leaf.tryCharge(2)).isSameAs(c.leaf);
        assertThat(c.leaf.tryCharge(2)).isSameAs(c.leaf);

        assertThat(c.leaf.failcnt()).isEqualTo(2);
        assertThat(c.mid.failcnt()).isZero();
        assertThat(c.leaf.usage()).isEqualTo(3);
        assertThat(c.mid.usage()).isEqualTo(3);
        assertThat(c.leaf.watermark()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Propagation.class)
    void forceChargeIgnoresEveryMax(Propagation p) {
        Chain c = new Chain(p);
        c.leaf.setMax(2);
        c.mid.setMax(3);

        c.leaf.charge(5);

        assertThat(c.leaf.usage()).isEqualTo(5);
        assertThat(c.mid.usage()).isEqualTo(5);
        assertThat(c.root.usage()).isEqualTo(5);
        assertThat(c.leaf.failcnt()).isZero();
        assertThat(c.mid.failcnt()).isZero();
        assertThat(c.leaf.watermark()).isEqualTo(5);
        assertThat(c.leaf.margin()).isZero();
        assertThat(c.mid.margin()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Propagation.class)
    void unchargeWalksEveryLevelAndKeepsTheWatermark(Propagation p) {
        Chain c = new Chain(p);
        c.leaf.charge(6);
        c.mid.charge(1);

        c.leaf.uncharge(4);

        assertThat(c.leaf.usage()).isEqualTo(2);
        assertThat(c.mid.usage()).isEqualTo(3);
        assertThat(c.root.usage()).isEqualTo(3);
        assertThat(c.leaf.watermark()).isEqualTo(6);
        assertThat(c.root.watermark()).isEqualTo(7);
    }

    @Test
    void unchargingMoreThanWasChargedIsAnAccountingBug() {
        // The kernel WARNs (4.18) or WARNs and clamps (5.18): an underflow is always a bug, and the
        // model refuses it so that the bug surfaces where it happens.
        Chain c = new Chain(Propagation.PER_LEVEL);
        c.leaf.charge(1);
        assertThatThrownBy(() -> c.leaf.uncharge(2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("underflow");
    }

    @Test
    void setMaxRefusesALimitBelowUsageAndAcceptsOneEqualToIt() {
        // page_counter_set_max: -EBUSY when usage > the new limit.
        PageCounter c = new PageCounter("memory", null, null, Propagation.PER_LEVEL);
        c.charge(10);
        assertThat(c.setMax(9)).isFalse();
        assertThat(c.max()).isEqualTo(PageCounter.MAX);
        assertThat(c.setMax(10)).isTrue();
        assertThat(c.max()).isEqualTo(10);
        assertThat(c.margin()).isZero();
    }

    @Test
    void forceMaxSetsALimitBelowUsage() {
        // memory_max_write sets memory.max first (xchg) and reclaims afterwards.
        PageCounter c = new PageCounter("memory", null, null, Propagation.PER_LEVEL);
        c.charge(10);
        c.forceMax(4);
        assertThat(c.max()).isEqualTo(4);
        assertThat(c.usage()).isEqualTo(10);
        assertThat(c.margin()).isZero();
        assertThat(c.tryCharge(1)).isSameAs(c);
    }

    @Test
    void marginIsRoomUnderMax() {
        PageCounter c = new PageCounter("memory", null, null, Propagation.PER_LEVEL);
        c.setMax(10);
        c.charge(3);
        assertThat(c.margin()).isEqualTo(7);
    }

    @Test
    void resettingTheWatermarkAndFailcnt() {
        // memory.max_usage_in_bytes and memory.failcnt writes: watermark = usage, failcnt = 0.
        PageCounter c = new PageCounter("memory", null, null, Propagation.PER_LEVEL);
        c.setMax(5);
        c.charge(5);
        c.tryCharge(1);
        c.uncharge(3);
        assertThat(c.watermark()).isEqualTo(5);
        c.resetWatermark();
        c.resetFailcnt();
        assertThat(c.watermark()).isEqualTo(2);
        assertThat(c.failcnt()).isZero();
    }

    /** 5.18: propagate_protected_usage(c, new) at each level, protected = min(usage, protection). */
    @Nested
    class PerLevel518 {
        private final Chain c = new Chain(Propagation.PER_LEVEL);

        @Test
        void aChildsProtectedUsageIsMinOfUsageAndMin() {
            c.leaf.setMin(10);
            c.leaf.tryCharge(4);
            assertThat(c.leaf.minUsage()).isEqualTo(4);
            assertThat(c.mid.childrenMinUsage()).isEqualTo(4);

            c.leaf.tryCharge(10);
            assertThat(c.leaf.minUsage()).isEqualTo(10);
            assertThat(c.mid.childrenMinUsage()).isEqualTo(10);

            c.leaf.uncharge(11);
            assertThat(c.leaf.minUsage()).isEqualTo(3);
            assertThat(c.mid.childrenMinUsage()).isEqualTo(3);
        }

        @Test
        void lowWorksLikeMin() {
            c.leaf.setLow(6);
            c.leaf.charge(9);
            assertThat(c.leaf.lowUsage()).isEqualTo(6);
            assertThat(c.mid.childrenLowUsage()).isEqualTo(6);
            assertThat(c.leaf.minUsage()).isZero();
            assertThat(c.mid.childrenMinUsage()).isZero();
        }

        @Test
        void everyLevelTheChargeTouchesUpdatesItsOwnProtectedUsage() {
            c.mid.setMin(100);
            c.leaf.tryCharge(7);
            assertThat(c.mid.minUsage()).isEqualTo(7);
            assertThat(c.root.childrenMinUsage()).isEqualTo(7);
        }

        @Test
        void settingMinRecomputesFromTheCurrentUsage() {
            c.leaf.charge(8);
            c.leaf.setMin(5);
            assertThat(c.leaf.minUsage()).isEqualTo(5);
            assertThat(c.mid.childrenMinUsage()).isEqualTo(5);
            c.leaf.setMin(0);
            assertThat(c.leaf.minUsage()).isZero();
            assertThat(c.mid.childrenMinUsage()).isZero();
        }

        @Test
        void aFailedChargeLeavesTheProtectedSumsAsTheyWere() {
            c.leaf.setMin(10);
            c.mid.setMax(15);
            c.leaf.tryCharge(14);
            assertThat(c.leaf.tryCharge(5)).isSameAs(c.mid);
            assertThat(c.leaf.minUsage()).isEqualTo(10);
            assertThat(c.mid.childrenMinUsage()).isEqualTo(10);

            c.leaf.setMax(14);
            assertThat(c.leaf.tryCharge(1)).isSameAs(c.leaf);
            assertThat(c.leaf.minUsage()).isEqualTo(10);
            assertThat(c.mid.childrenMinUsage()).isEqualTo(10);
        }

        @Test
        void aCounterWithoutParentKeepsNoProtectedUsage() {
            c.root.setMin(10);
            c.root.charge(3);
            assertThat(c.root.minUsage()).isZero();
        }

        @Test
        void siblingsAddUp() {
            PageCounter sibling = new PageCounter("memory", null, c.mid, Propagation.PER_LEVEL);
            c.leaf.setLow(4);
            sibling.setLow(4);
            c.leaf.charge(10);
            sibling.charge(2);
            assertThat(c.mid.childrenLowUsage()).isEqualTo(4 + 2);
        }
    }

    /**
     * 4.18 (RHEL 8.1 and upstream): protected = usage when usage &lt;= protection, else 0, and the
     * charge paths call propagate_protected_usage(counter, new) with the LEAF counter and each
     * level's new usage, so the last level walked (the top) decides the leaf's value.
     */
    @Nested
    class LeafAllOrNothing418 {
        private final Chain c = new Chain(Propagation.LEAF_ALL_OR_NOTHING);

        @Test
        void usageWithinMinIsProtectedWhole() {
            c.leaf.setMin(10);
            c.leaf.tryCharge(4);
            assertThat(c.leaf.minUsage()).isEqualTo(4);
            assertThat(c.mid.childrenMinUsage()).isEqualTo(4);
        }

        @Test
        void usageAboveMinIsNotProtectedAtAll() {
            c.leaf.charge(4);
            c.leaf.setMin(3);
            assertThat(c.leaf.minUsage()).isZero();
            assertThat(c.mid.childrenMinUsage()).isZero();
        }

        @Test
        void theTopLevelsUsageDecidesTheLeafsProtectionAfterACharge() {
            PageCounter sibling = new PageCounter("memory", null, c.mid, Propagation.LEAF_ALL_OR_NOTHING);
            c.leaf.setMin(10);
            c.leaf.tryCharge(4);
            sibling.tryCharge(8);
            assertThat(c.leaf.minUsage())
                    .as("the sibling's charge does not touch the leaf")
                    .isEqualTo(4);

            c.leaf.tryCharge(1);

            // leaf level: 5 <= 10 gives 5; mid level: 13 > 10 gives 0; root level: 13 gives 0.
            assertThat(c.leaf.usage()).isEqualTo(5);
            assertThat(c.leaf.minUsage()).isZero();
            assertThat(c.mid.childrenMinUsage()).isZero();

            c.leaf.uncharge(1);
            // page_counter_cancel propagates each level with its own usage.
            assertThat(c.leaf.minUsage()).isEqualTo(4);
            assertThat(c.mid.childrenMinUsage()).isEqualTo(4);
        }

        @Test
        void forceChargeAlsoPropagatesTheLeafWithEachLevelsUsage() {
            c.mid.charge(20);
            c.leaf.setLow(10);
            c.leaf.charge(2);
            assertThat(c.leaf.usage()).isEqualTo(2);
            assertThat(c.leaf.lowUsage()).as("root's 22 > low 10").isZero();
            assertThat(c.mid.childrenLowUsage()).isZero();
        }

        @Test
        void chargesDoNotUpdateTheAncestorsOwnProtectedUsage() {
            c.leaf.charge(3);
            c.mid.setMin(100);
            assertThat(c.mid.minUsage()).isEqualTo(3);
            assertThat(c.root.childrenMinUsage()).isEqualTo(3);

            c.leaf.tryCharge(4);

            assertThat(c.mid.usage()).isEqualTo(7);
            assertThat(c.mid.minUsage())
                    .as("only the leaf is propagated by a charge")
                    .isEqualTo(3);
            assertThat(c.root.childrenMinUsage()).isEqualTo(3);

            c.leaf.uncharge(1);
            assertThat(c.mid.minUsage())
                    .as("page_counter_cancel propagates every level")
                    .isEqualTo(6);
            assertThat(c.root.childrenMinUsage()).isEqualTo(6);
        }

        @Test
        void aChargeFailingAtAnAncestorReturnsTheLeafToItsOwnUsage() {
            // The failing level propagates the leaf with its over-limit value, then the cancel of
            // the leaf propagates it again with its restored usage.
            c.leaf.setMin(10);
            c.mid.setMax(6);
            c.leaf.tryCharge(4);
            assertThat(c.leaf.tryCharge(3)).isSameAs(c.mid);
            assertThat(c.leaf.minUsage()).isEqualTo(4);
            assertThat(c.mid.childrenMinUsage()).isEqualTo(4);
        }

        @Test
        void aChargeFailingAtTheLeafItselfLeavesItsProtectionComputedFromTheRefusedUsage() {
            c.leaf.setMin(10);
            c.leaf.setMax(10);
            c.leaf.tryCharge(10);
            assertThat(c.leaf.minUsage()).isEqualTo(10);

            assertThat(c.leaf.tryCharge(1)).isSameAs(c.leaf);

            // new = 11 > min 10: protected 0, although usage went back to 10.
            assertThat(c.leaf.usage()).isEqualTo(10);
            assertThat(c.leaf.minUsage()).isZero();
            assertThat(c.mid.childrenMinUsage()).isZero();
        }
    }
}
