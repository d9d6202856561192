package dev.memcgdiff.mm.vmscan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.toy.ToyMachine;
import org.junit.jupiter.api.Test;

/** get_scan_count's shared rules, reclaim_stat fractions and per-list targets, worked out by hand. */
class GetScanCountTest {
    private static final String ONE_MEMCG = """
        name: scan
        host: {memory: 64M, swap: 64M}
        cgroup: v1
        cgroups:
          /a:
        tasks:
        steps:
          - snapshot: s
        """;

    @Test
    void theFirstRulesEveryKernelShares() {
        ScanControl global = ScanControl.tryToFreePages(Gfp.GFP_KERNEL);
        ScanControl limit = ScanControl.memcgReclaim(Gfp.GFP_KERNEL, new ToyMachine(ONE_MEMCG).memcg("/a"), 32, true);
        ScanControl noSwap = ScanControl.memcgReclaim(Gfp.GFP_KERNEL, null, 32, false);

        assertThat(GetScanCount.firstRules(global, false, 60))
                .as("no swap room")
                .isEqualTo(ScanBalance.SCAN_FILE);
        assertThat(GetScanCount.firstRules(noSwap, true, 60)).as("!may_swap").isEqualTo(ScanBalance.SCAN_FILE);
        assertThat(GetScanCount.firstRules(limit, true, 0))
                .as("cgroup reclaim, swappiness 0")
                .isEqualTo(ScanBalance.SCAN_FILE);
        assertThat(GetScanCount.firstRules(global, true, 0))
                .as("global reclaim ignores swappiness 0 here")
                .isNull();
        assertThat(GetScanCount.firstRules(global, true, 60))
                .as("priority 12: the kernel's own rules")
                .isNull();
        global.priority = 0;
        assertThat(GetScanCount.firstRules(global, true, 60)).isEqualTo(ScanBalance.SCAN_EQUAL);
        assertThat(GetScanCount.firstRules(global, true, 0))
                .as("priority 0 without swappiness")
                .isNull();
    }

    @Test
    void reclaimStatFractionsHalveTheStaleHistoryAndWeighBySwappiness() {
        ToyMachine t = new ToyMachine(ONE_MEMCG);
        Lruvec l = new Lruvec(t.m.pages, 2, 0);
        for (int pfn = 100; pfn < 140; pfn++) {
            t.m.pages.reset(pfn);
            l.addHead(pfn, Lru.INACTIVE_ANON); // 40 anon pages
        }
        for (int pfn = 200; pfn < 280; pfn++) {
            t.m.pages.reset(pfn);
            l.addHead(pfn, Lru.INACTIVE_FILE); // 80 file pages
        }
        l.recentScanned[Lru.ANON] = 20; // > 40 / 4: halved to 10, rotated 5 to 2
        l.recentRotated[Lru.ANON] = 5;
        l.recentScanned[Lru.FILE] = 10; // not > 80 / 4: kept
        l.recentRotated[Lru.FILE] = 2;

        GetScanCount.Fractions f = GetScanCount.reclaimStatFractions(l, 60);

        // ap = 60 * (10 + 1) / (2 + 1) = 220; fp = 140 * (10 + 1) / (2 + 1) = 513; denominator 220 + 513 + 1
        assertThat(f).isEqualTo(new GetScanCount.Fractions(220, 513, 734));
        assertThat(f.of(Lru.ANON)).isEqualTo(220);
        assertThat(f.of(Lru.FILE)).isEqualTo(513);
        assertThat(l.recentScanned).containsExactly(10, 10);
        assertThat(l.recentRotated).containsExactly(2, 2);
    }

    /** Base targets 100, 50, 30, 7 for inactive_anon, active_anon, inactive_file, active_file. */
    private static long base(int lru) {
        return new long[] {100, 50, 30, 7}[lru];
    }

    @Test
    void equalScansEveryListAnonOrFileOnlyTheirType() {
        assertThat(GetScanCount.targets(ScanBalance.SCAN_EQUAL, null, false, GetScanCountTest::base))
                .containsExactly(100, 50, 30, 7, 0);
        assertThat(GetScanCount.targets(ScanBalance.SCAN_ANON, null, false, GetScanCountTest::base))
                .containsExactly(100, 50, 0, 0, 0);
        assertThat(GetScanCount.targets(ScanBalance.SCAN_FILE, null, false, GetScanCountTest::base))
                .containsExactly(0, 0, 30, 7, 0);
    }

    @Test
    void fractScalesByTheTypesFractionRoundingDownOrUp() {
        GetScanCount.Fractions f = new GetScanCount.Fractions(1, 2, 4);

        // anon: 100 * 1 / 4 = 25, 50 / 4 = 12.5; file: 30 * 2 / 4 = 15, 7 * 2 / 4 = 3.5
        assertThat(GetScanCount.targets(ScanBalance.SCAN_FRACT, f, false, GetScanCountTest::base))
                .containsExactly(25, 12, 15, 3, 0);
        assertThat(GetScanCount.targets(ScanBalance.SCAN_FRACT, f, true, GetScanCountTest::base))
                .containsExactly(25, 13, 15, 4, 0);
    }
}
