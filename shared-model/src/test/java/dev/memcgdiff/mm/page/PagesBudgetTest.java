package dev.memcgdiff.mm.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.HostSpec;
import dev.memcgdiff.scenario.ThpMode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The struct page array must stay small enough for real hosts: at most 32 bytes a page including
 * the LRU links, so a 64 GiB host (16 Mi pages) costs at most 512 MiB of heap.
 */
class PagesBudgetTest {
    private static final int BUDGET = 32;
    private static final Map<Class<?>, Integer> ELEMENT_BYTES = Map.of(
            byte[].class,
            1,
            boolean[].class,
            1,
            short[].class,
            2,
            char[].class,
            2,
            int[].class,
            4,
            float[].class,
            4,
            long[].class,
            8,
            double[].class,
            8);

    /** What the per-page arrays really cost, read from the fields rather than trusted. */
    private static int measuredBytesPerPage() {
        int sum = 0;
        for (Field f : Pages.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || !f.getType().isArray()) {
                continue;
            }
            Integer bytes = ELEMENT_BYTES.get(f.getType());
            assertThat(bytes)
                    .as("per-page field %s must be a primitive array", f.getName())
                    .isNotNull();
            sum += bytes;
        }
        return sum;
    }

    @Test
    void bytesPerPageIsWhatTheArraysCost() {
        assertThat(Pages.bytesPerPage()).isEqualTo(measuredBytesPerPage());
    }

    @Test
    void bytesPerPageStaysWithinTheBudgetWithTheLruLinks() throws NoSuchFieldException {
        assertThat(Pages.class.getDeclaredField("prev").getType()).isEqualTo(int[].class);
        assertThat(Pages.class.getDeclaredField("next").getType()).isEqualTo(int[].class);
        assertThat(Pages.bytesPerPage()).isLessThanOrEqualTo(BUDGET);
    }

    @Test
    void aSixtyFourGigabyteHostFits() {
        HostSpec host = new HostSpec(64L << 30, 0, 2, -1, 60, ThpMode.NEVER, null);
        long pages = host.memoryPages();
        long arrayBytes = pages * Pages.bytesPerPage();

        assertThat(pages).isEqualTo(16_777_216L);
        assertThat(arrayBytes).isLessThanOrEqualTo(512L << 20);
        assertThat(arrayBytes)
                .as("the page arrays fit the heap the model runs in")
                .isLessThan(Runtime.getRuntime().maxMemory() / 2);

        Machine m = new Machine(host, CgroupInterface.V1);

        assertThat(m.pages.count()).isEqualTo(pages);
        assertThat(m.freePages()).isEqualTo(pages);
        assertThat(m.nodes).hasSize(2);
        assertThat(m.nodes[1].endPfn()).isEqualTo(pages);
    }
}
