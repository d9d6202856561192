package dev.memcgdiff.mm.vmscan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** int_sqrt and the inactive_ratio table in the notes (mm/vmscan.c inactive_list_is_low). */
class IntSqrtTest {
    private static final long MB = 1L << 20;

    @ParameterizedTest(name = "{0} MiB of one LRU type: inactive_ratio {1}")
    @CsvSource({
        "10, 1",
        "100, 1",
        "1024, 3",
        "10240, 10",
        "102400, 31",
        "1048576, 101",
        "10485760, 320",
    })
    void theNotesTable(long mebibytes, long ratio) {
        assertThat(IntSqrt.inactiveRatio(mebibytes * MB / 4096)).isEqualTo(ratio);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "1, 1",
        "2, 1",
        "3, 1",
        "4, 2",
        "8, 2",
        "9, 3",
        "99, 9",
        "100, 10",
        "4611686014132420609, 2147483647",
        "4611686014132420608, 2147483646"
    })
    void intSqrtRoundsDown(long x, long root) {
        assertThat(IntSqrt.intSqrt(x)).isEqualTo(root);
    }

    @ParameterizedTest
    @ValueSource(longs = {262_143, 262_144})
    void theRatioStartsAtOneGigabyte(long pages) {
        // gb = pages >> (30 - PAGE_SHIFT); below 1 GiB gb is 0 and the ratio is 1.
        assertThat(IntSqrt.inactiveRatio(pages)).isEqualTo(pages < 262_144 ? 1 : 3);
    }
}
