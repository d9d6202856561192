package dev.memcgdiff.mm.vmscan;

import static dev.memcgdiff.mm.vmscan.VmscanConstants.DEF_PRIORITY;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import java.util.function.Supplier;

/**
 * What shrink_lruvec (3.10, 5.18) / shrink_node_memcg (4.18) and the list shrinkers below it do
 * alike in every modelled kernel: the proportional scan toward get_scan_count's targets, the
 * trace event of one call, and the PGSCAN/PGSTEAL accounting of 4.18 and 5.18.
 */
public final class ShrinkLruvec {
    private ShrinkLruvec() {}

    /** The pages one shrink_lruvec scanned and reclaimed, per evictable list. */
    public record Scanned(long[] scanned, long[] reclaimed) {
        /** Anything scanned at all. */
        public boolean any() {
            return scanned[0] + scanned[1] + scanned[2] + scanned[3] > 0;
        }
    }

    /**
     * shrink_lruvec's scan loop: ProportionalScan over {@code nr}, cut once enough is reclaimed
     * except in global direct reclaim at DEF_PRIORITY; what it reclaims is added to
     * sc->nr_reclaimed.
     */
    public static Scanned scan(long[] nr, ScanControl sc, ProportionalScan.ShrinkList shrinkList) {
        boolean scanAdjusted = !sc.cgroupReclaim() && !sc.kswapd && sc.priority == DEF_PRIORITY;
        long[] scanned = new long[Lru.NR_EVICTABLE];
        long[] reclaimed = new long[Lru.NR_EVICTABLE];
        long nrReclaimed = ProportionalScan.run(nr, sc.nrToReclaim, scanAdjusted, shrinkList, scanned, reclaimed);
        sc.nrReclaimed += nrReclaimed;
        return new Scanned(scanned, reclaimed);
    }

    /**
     * The trace event of one shrink_lruvec that scanned something or aged active anon: the
     * pages scanned per list, reclaimed per type, and the aging under its kernel's name
     * ({@code agedField}: 3.10 and 4.18 "anon_rebalance", 5.18 "age_active_anon").
     */
    public static void trace(
            Machine m,
            TracePoint point,
            MemCgroup memcg,
            Supplier<String> text,
            Scanned s,
            String agedField,
            boolean aged) {
        if (!s.any() && !aged) {
            return;
        }
        long[] scanned = s.scanned();
        m.trace.add(
                point,
                memcg,
                text.get(),
                new String[] {
                    "scan_inactive_anon",
                    "scan_active_anon",
                    "scan_inactive_file",
                    "scan_active_file",
                    "reclaimed_anon",
                    "reclaimed_file",
                    agedField
                },
                scanned[0],
                scanned[1],
                scanned[2],
                scanned[3],
                s.reclaimed()[0],
                s.reclaimed()[2],
                aged ? 1 : 0);
    }

    /**
     * PGSCAN/PGSTEAL/PGREFILL as 4.18 and 5.18 count them: always on the lruvec's memcg,
     * host-wide only outside cgroup reclaim (3.10 counts them host-wide in global reclaim only).
     */
    public static void count(Machine m, VmEvent e, MemCgroup memcg, long n, ScanControl sc) {
        if (sc.cgroupReclaim()) {
            m.countMemcgOnly(e, memcg, n);
        } else {
            m.countEvent(e, memcg, n);
        }
    }
}
