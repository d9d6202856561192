package dev.memcgdiff.mm.vmscan;

import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import java.util.function.IntToLongFunction;

/**
 * What get_scan_count (mm/vmscan.c) decides alike in every modelled kernel: its first three
 * rules, the reclaim_stat fractions of the kernels before 5.9, and how the scan balance turns
 * each list's base target into the pages to scan. The rules in between and each list's base
 * target are the kernel's.
 */
public final class GetScanCount {
    private GetScanCount() {}

    /** get_scan_count's SCAN_FRACT weights: anon and file pressure over their denominator. */
    public record Fractions(long anon, long file, long denominator) {
        /** fraction[type]. */
        public long of(int type) {
            return type == Lru.ANON ? anon : file;
        }
    }

    /**
     * get_scan_count's first rules (3.10, 4.18, 5.18): no anon to reclaim (!may_swap, or no swap
     * room as the kernel counts it) is SCAN_FILE; cgroup reclaim at swappiness 0 is SCAN_FILE; the
     * last priority with any swappiness is SCAN_EQUAL.
     *
     * @return the balance, or null when the kernel's own later rules decide
     */
    public static ScanBalance firstRules(ScanControl sc, boolean anonReclaimable, int swappiness) {
        if (!sc.maySwap || !anonReclaimable) {
            return ScanBalance.SCAN_FILE;
        }
        if (sc.cgroupReclaim() && swappiness == 0) {
            return ScanBalance.SCAN_FILE;
        }
        if (sc.priority == 0 && swappiness != 0) {
            return ScanBalance.SCAN_EQUAL;
        }
        return null;
    }

    /**
     * get_scan_count's SCAN_FRACT from reclaim_stat (3.10, 4.18; 5.9 replaced it with the LRU
     * cost model): recent_scanned and recent_rotated are halved once a type's scanned count passes
     * a quarter of its size; each type's pressure is its priority (anon: swappiness, file: 200 -
     * swappiness) times (scanned + 1) / (rotated + 1); the denominator is their sum plus 1.
     */
    public static Fractions reclaimStatFractions(Lruvec lruvec, int swappiness) {
        long anonPrio = swappiness;
        long filePrio = 200 - anonPrio;
        long anon = lruvec.anonSize();
        long file = lruvec.fileSize();
        if (lruvec.recentScanned[Lru.ANON] > anon / 4) {
            lruvec.recentScanned[Lru.ANON] /= 2;
            lruvec.recentRotated[Lru.ANON] /= 2;
        }
        if (lruvec.recentScanned[Lru.FILE] > file / 4) {
            lruvec.recentScanned[Lru.FILE] /= 2;
            lruvec.recentRotated[Lru.FILE] /= 2;
        }
        long ap = anonPrio * (lruvec.recentScanned[Lru.ANON] + 1) / (lruvec.recentRotated[Lru.ANON] + 1);
        long fp = filePrio * (lruvec.recentScanned[Lru.FILE] + 1) / (lruvec.recentRotated[Lru.FILE] + 1);
        return new Fractions(ap, fp, ap + fp + 1);
    }

    /**
     * get_scan_count's last step for each evictable list, in list order: the kernel's base target
     * ({@code target}: the list size, 5.18 less the memcg's protection, shifted by the priority;
     * 3.10 with its forced minimum) as is under SCAN_EQUAL, times the type's fraction over the
     * denominator under SCAN_FRACT (rounded up in 4.18, down in 3.10 and 5.18), and only for its
     * own type under SCAN_ANON or SCAN_FILE.
     *
     * @param fractions the weights, used only under SCAN_FRACT
     * @return nr[lru], the pages to scan of each list
     */
    public static long[] targets(ScanBalance balance, Fractions fractions, boolean roundUp, IntToLongFunction target) {
        long[] nr = new long[Lru.NR_LRU_LISTS];
        for (int lru = 0; lru < Lru.NR_EVICTABLE; lru++) {
            int type = Lru.type(lru);
            long scan = target.applyAsLong(lru);
            switch (balance) {
                case SCAN_EQUAL -> {}
                case SCAN_FRACT -> {
                    long weighted = scan * fractions.of(type);
                    scan = roundUp
                            ? (weighted + fractions.denominator() - 1) / fractions.denominator()
                            : weighted / fractions.denominator();
                }
                case SCAN_ANON, SCAN_FILE -> {
                    if ((balance == ScanBalance.SCAN_FILE) != (type == Lru.FILE)) {
                        scan = 0;
                    }
                }
            }
            nr[lru] = scan;
        }
        return nr;
    }
}
