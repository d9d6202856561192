package dev.memcgdiff.mm.node;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.vmscan.IntSqrt;
import dev.memcgdiff.scenario.ThpMode;

/**
 * init_per_zone_wmark_min, khugepaged's set_recommended_min_free_kbytes and
 * __setup_per_zone_wmarks, with the two formulas the modelled kernels use for low and high.
 * The model has one zone per node; the recommended THP reserve counts the zones a real x86-64
 * machine has (DMA, DMA32 and Normal on node 0, Normal elsewhere).
 */
public final class Watermarks {
    private Watermarks() {}

    /** How low and high derive from min. */
    public enum Formula {
        /** 3.10: low = min + min/4, high = min + min/2. */
        QUARTER_HALF,
        /** 4.18 and 5.18: the gap is max(min/4, managed * watermark_scale_factor(10) / 10000). */
        SCALE_FACTOR
    }

    /**
     * Compute vm.min_free_kbytes (unless the scenario set it) and every node's watermarks.
     *
     * @param maxKbytes the upper clamp of the default formula (65536 in 4.18, 262144 in RHEL 7.9 and 5.18)
     */
    public static void setup(Machine m, long maxKbytes, Formula formula) {
        long lowmemKb = (long) m.pages.count() * 4;
        long minFree = m.minFreeKbytesSetting;
        if (minFree < 0) {
            minFree = Math.max(128, Math.min(maxKbytes, IntSqrt.intSqrt(lowmemKb * 16)));
            if (m.thp != ThpMode.NEVER) {
                int zones = m.nodes.length + (m.pages.count() > (1 << 20) ? 2 : 1);
                long recommended = (long) zones * 11 * 512 * 4;
                recommended = Math.min(recommended, lowmemKb / 20);
                minFree = Math.max(minFree, recommended);
            }
        }
        m.minFreeKbytes = minFree;
        long pagesMin = minFree / 4;
        long total = m.pages.count();
        for (Node n : m.nodes) {
            long tmp = pagesMin * n.managedPages() / total;
            long gap = formula == Formula.QUARTER_HALF ? tmp / 4 : Math.max(tmp / 4, n.managedPages() * 10 / 10000);
            long high = formula == Formula.QUARTER_HALF ? tmp + tmp / 2 : tmp + 2 * gap;
            n.setWatermarks(tmp, tmp + gap, high);
        }
    }
}
