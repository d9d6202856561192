package dev.memcgdiff.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** get_order (include/asm-generic/getorder.h) worked out by hand: fls64((size - 1) >> 12). */
class PageOrderTest {
    @ParameterizedTest(name = "get_order({0}) = {1}")
    @CsvSource({
        "1, 0", // a byte still takes one page
        "4096, 0", // exactly one page
        "4097, 1", // one byte over: two pages
        "8192, 1",
        "8193, 2", // three pages round up to four
        "16384, 2",
        "32768, 3", // PAGE_ALLOC_COSTLY_ORDER: 8 pages
        "32769, 4",
        "2097152, 9", // a 2 MiB THP
        "2097153, 10",
        "1073741824, 18",
    })
    void getOrderOfBytes(long size, int order) {
        assertThat(PageOrder.getOrder(size)).isEqualTo(order);
    }

    @Test
    void sizeZeroIsOrderZeroInTheModel() {
        assertThat(PageOrder.getOrder(0)).isZero();
    }

    @ParameterizedTest(name = "get_order({0} pages * PAGE_SIZE) = {1}")
    @CsvSource({"0, 0", "1, 0", "2, 1", "3, 2", "4, 2", "5, 3", "8, 3", "9, 4", "32, 5", "512, 9", "513, 10"})
    void orderOfAChargeOfPages(long nrPages, int order) {
        assertThat(PageOrder.ofPages(nrPages)).isEqualTo(order);
    }

    @Test
    void costlyOrderIsThree() {
        // include/linux/mmzone.h: #define PAGE_ALLOC_COSTLY_ORDER 3
        assertThat(PageOrder.PAGE_ALLOC_COSTLY_ORDER).isEqualTo(3);
        assertThat(1 << PageOrder.PAGE_ALLOC_COSTLY_ORDER)
                .as("the largest charge that retries on progress")
                .isEqualTo(8);
    }
}
