package dev.memcgdiff.mm.memcg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Sizes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** page_counter_memparse (mm/page_counter.c): memparse, then bytes / PAGE_SIZE rounded down, at most PAGE_COUNTER_MAX. */
class PageCounterMemparseTest {
    private static Knob write(long bytes) {
        return new Knob("memory.max", Long.toString(bytes), bytes, null);
    }

    @ParameterizedTest(name = "{0} bytes: {1} pages")
    @CsvSource({
        "0, 0",
        "4095, 0", // less than a page rounds down to nothing
        "4096, 1",
        "4097, 1", // a byte over a page still one page
        "8191, 1",
        "8192, 2",
        "10485760, 2560", // 10M
        "1073741823, 262143",
    })
    void bytesRoundDownToWholePages(long bytes, long pages) {
        assertThat(PageCounter.memparse(write(bytes))).isEqualTo(pages);
    }

    @Test
    void maxAndMinusOneAreThePageCounterMax() {
        // "max" (v2) and "-1" (v1) parse to Sizes.MAX
        assertThat(PageCounter.memparse(new Knob("memory.max", "max", Sizes.MAX, null)))
                .isEqualTo(PageCounter.MAX);
        assertThat(PageCounter.memparse(new Knob("memory.limit_in_bytes", "-1", Sizes.MAX, null)))
                .isEqualTo(2_251_799_813_685_247L);
    }

    @Test
    void hugeLimitsAreCappedAtThePageCounterMax() {
        assertThat(PageCounter.memparse(write(Long.MAX_VALUE - 1))).isEqualTo(PageCounter.MAX);
        assertThat(PageCounter.memparse(write(PageCounter.MAX * 4096 - 1))).isEqualTo(PageCounter.MAX - 1);
    }
}
