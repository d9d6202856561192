package dev.memcgdiff.mm.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A page table or page cache as a growable array of entries. */
class EntryArrayTest {
    @Test
    void unsetIndexesReadAsEmpty() {
        EntryArray a = new EntryArray();
        assertThat(a.length()).isZero();
        assertThat(a.get(0)).isEqualTo(Entry.EMPTY);
        assertThat(a.get(1_000_000)).isEqualTo(Entry.EMPTY);
    }

    @Test
    void setGrowsAndKeepsEarlierEntries() {
        EntryArray a = new EntryArray();
        a.set(3, Entry.page(7));
        a.set(100_000, Entry.swap(2));
        assertThat(a.length()).isEqualTo(100_001);
        assertThat(a.get(3)).isEqualTo(Entry.page(7));
        assertThat(a.get(100_000)).isEqualTo(Entry.swap(2));
        assertThat(a.get(99_999)).isEqualTo(Entry.EMPTY);
    }

    @Test
    void lengthIsOnePastTheHighestIndexEverSet() {
        EntryArray a = new EntryArray();
        a.set(9, Entry.page(1));
        a.set(9, Entry.EMPTY);
        assertThat(a.length()).isEqualTo(10);
    }

    @Test
    void truncateForgetsTheTop() {
        EntryArray a = new EntryArray();
        a.set(0, Entry.page(1));
        a.set(1, Entry.page(2));
        a.set(2, Entry.EMPTY);
        a.truncate(1);
        assertThat(a.length()).isEqualTo(1);
        assertThat(a.get(0)).isEqualTo(Entry.page(1));
        assertThat(a.get(1)).isEqualTo(Entry.EMPTY);
        a.set(4, Entry.shadow(3));
        assertThat(a.get(1))
                .as("forgotten slots stay empty when the array grows again")
                .isEqualTo(Entry.EMPTY);
        a.truncate(10);
        assertThat(a.length()).as("truncating above the length changes nothing").isEqualTo(5);
    }

    @Test
    void anIndexBeyondAnIntArrayIsRefused() {
        EntryArray a = new EntryArray();
        assertThatThrownBy(() -> a.set(Integer.MAX_VALUE, Entry.page(0))).isInstanceOf(IllegalArgumentException.class);
    }
}
