package dev.memcgdiff.mm.page;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The int encoding of page table and page cache slots: empty, page, swap entry, shadow. */
class EntryTest {
    private static final int LARGEST_PAYLOAD = (1 << 30) - 1;

    @Test
    void emptyIsNothing() {
        assertThat(Entry.isPage(Entry.EMPTY)).isFalse();
        assertThat(Entry.isSwap(Entry.EMPTY)).isFalse();
        assertThat(Entry.isShadow(Entry.EMPTY)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 268_435_455, Integer.MAX_VALUE - 9})
    void aPageRoundTripsAndIsNeverEmpty(int pfn) {
        int e = Entry.page(pfn);
        assertThat(e).isNotEqualTo(Entry.EMPTY);
        assertThat(Entry.isPage(e)).isTrue();
        assertThat(Entry.isSwap(e)).isFalse();
        assertThat(Entry.isShadow(e)).isFalse();
        assertThat(Entry.pfn(e)).isEqualTo(pfn);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 262_143, LARGEST_PAYLOAD})
    void aSwapEntryRoundTrips(int slot) {
        int e = Entry.swap(slot);
        assertThat(Entry.isSwap(e)).isTrue();
        assertThat(Entry.isPage(e)).isFalse();
        assertThat(Entry.isShadow(e)).isFalse();
        assertThat(Entry.payload(e)).isEqualTo(slot);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 262_143, LARGEST_PAYLOAD})
    void aShadowEntryRoundTrips(int index) {
        int e = Entry.shadow(index);
        assertThat(Entry.isShadow(e)).isTrue();
        assertThat(Entry.isPage(e)).isFalse();
        assertThat(Entry.isSwap(e)).isFalse();
        assertThat(Entry.payload(e)).isEqualTo(index);
    }

    @Test
    void swapSlotZeroAndShadowZeroDiffer() {
        assertThat(Entry.swap(0)).isNotEqualTo(Entry.shadow(0)).isNotEqualTo(Entry.EMPTY);
    }
}
