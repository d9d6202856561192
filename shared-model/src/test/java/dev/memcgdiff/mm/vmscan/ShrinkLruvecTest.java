package dev.memcgdiff.mm.vmscan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.toy.ToyMachine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** shrink_lruvec's scan, its trace event and the PGSCAN/PGSTEAL counts. */
class ShrinkLruvecTest {
    private static final String ONE_MEMCG = """
        name: lruvec
        host: {memory: 64M, swap: 64M}
        cgroup: v1
        cgroups:
          /a:
        tasks:
        steps:
          - snapshot: s
        """;
    private static final TracePoint POINT = new TracePoint("shrink_lruvec", "test");

    @Test
    void scanTakesEachListInClusterBitesAndAddsWhatItReclaimed() {
        ScanControl sc = ScanControl.memcgReclaim(Gfp.GFP_KERNEL, null, 1000, true);
        sc.nrReclaimed = 1;
        long[] nr = new long[Lru.NR_LRU_LISTS];
        nr[Lru.INACTIVE_ANON] = 8;
        nr[Lru.INACTIVE_FILE] = 40;

        // each bite of an inactive list frees half of what it scans
        ShrinkLruvec.Scanned s = ShrinkLruvec.scan(nr, sc, (lru, nrToScan) -> Lru.isActive(lru) ? 0 : nrToScan / 2);

        // inactive_file: a bite of 32, then the 8 left
        assertThat(s.scanned()).containsExactly(8, 0, 40, 0);
        assertThat(s.reclaimed()).containsExactly(4, 0, 20, 0);
        assertThat(s.any()).isTrue();
        assertThat(sc.nrReclaimed).isEqualTo(1 + 24);
    }

    @Test
    void theTraceEventNamesEveryListAndTheAging() {
        ToyMachine t = new ToyMachine(ONE_MEMCG);
        MemCgroup a = t.memcg("/a");
        ShrinkLruvec.Scanned s = new ShrinkLruvec.Scanned(new long[] {8, 2, 40, 0}, new long[] {4, 0, 20, 0});

        ShrinkLruvec.trace(t.m, POINT, a, () -> "shrink_lruvec /a (test)", s, "age_active_anon", true);

        List<TraceEvent> events = t.m.trace.events();
        assertThat(events).hasSize(1);
        TraceEvent e = events.get(0);
        assertThat(e.point()).isEqualTo(POINT);
        assertThat(e.text()).isEqualTo("shrink_lruvec /a (test)");
        assertThat(e.number("scan_inactive_anon")).isEqualTo(8);
        assertThat(e.number("scan_active_anon")).isEqualTo(2);
        assertThat(e.number("scan_inactive_file")).isEqualTo(40);
        assertThat(e.number("scan_active_file")).isZero();
        assertThat(e.number("reclaimed_anon")).isEqualTo(4);
        assertThat(e.number("reclaimed_file")).isEqualTo(20);
        assertThat(e.number("age_active_anon")).isEqualTo(1);
    }

    @Test
    void nothingScannedAndNothingAgedIsNoEventAndNoText() {
        ToyMachine t = new ToyMachine(ONE_MEMCG);
        ShrinkLruvec.Scanned none = new ShrinkLruvec.Scanned(new long[4], new long[4]);

        ShrinkLruvec.trace(
                t.m,
                POINT,
                t.memcg("/a"),
                () -> {
                    throw new AssertionError("the text is only made for an event");
                },
                none,
                "anon_rebalance",
                false);

        assertThat(t.m.trace.events()).isEmpty();
    }

    @Test
    void cgroupReclaimCountsOnTheMemcgOnlyGlobalReclaimOnTheHostToo() {
        ToyMachine t = new ToyMachine(ONE_MEMCG);
        MemCgroup a = t.memcg("/a");

        ShrinkLruvec.count(t.m, VmEvent.PGSCAN_DIRECT, a, 7, ScanControl.memcgReclaim(Gfp.GFP_KERNEL, a, 32, true));
        assertThat(a.event(VmEvent.PGSCAN_DIRECT)).isEqualTo(7);
        assertThat(t.m.vmEvent(VmEvent.PGSCAN_DIRECT)).isZero();

        ShrinkLruvec.count(t.m, VmEvent.PGSCAN_DIRECT, a, 5, ScanControl.tryToFreePages(Gfp.GFP_KERNEL));
        assertThat(a.event(VmEvent.PGSCAN_DIRECT)).isEqualTo(12);
        assertThat(t.m.vmEvent(VmEvent.PGSCAN_DIRECT)).isEqualTo(5);
    }
}
