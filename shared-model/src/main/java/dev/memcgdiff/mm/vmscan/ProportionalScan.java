package dev.memcgdiff.mm.vmscan;

import static dev.memcgdiff.mm.vmscan.VmscanConstants.SWAP_CLUSTER_MAX;

import dev.memcgdiff.mm.lru.Lru;

/**
 * The scan loop of shrink_lruvec (3.10, 5.18) / shrink_node_memcg (4.18), the same in all three:
 * the four evictable lists in SWAP_CLUSTER_MAX bites toward get_scan_count's targets; once enough
 * is reclaimed (unless global direct reclaim at DEF_PRIORITY, which does its whole batch) the type
 * with less left stops and the other is cut to the same proportion of its target, once.
 */
public final class ProportionalScan {

    /** shrink_list for one bite of one list. */
    @FunctionalInterface
    public interface ShrinkList {
        long shrink(int lru, long nrToScan);
    }

    private ProportionalScan() {}

    /**
     * Run the loop over {@code nr} (consumed), adding each list's scanned and reclaimed pages to
     * the two arrays.
     *
     * @return pages reclaimed
     */
    public static long run(
            long[] nr,
            long nrToReclaim,
            boolean scanAdjusted,
            ShrinkList shrinkList,
            long[] scanned,
            long[] reclaimed) {
        long[] targets = nr.clone();
        long nrReclaimed = 0;
        boolean adjusted = scanAdjusted;
        while (nr[Lru.INACTIVE_ANON] > 0 || nr[Lru.ACTIVE_FILE] > 0 || nr[Lru.INACTIVE_FILE] > 0) {
            for (int lru = 0; lru < Lru.NR_EVICTABLE; lru++) {
                if (nr[lru] > 0) {
                    long nrToScan = Math.min(nr[lru], SWAP_CLUSTER_MAX);
                    nr[lru] -= nrToScan;
                    long r = shrinkList.shrink(lru, nrToScan);
                    scanned[lru] += nrToScan;
                    reclaimed[lru] += r;
                    nrReclaimed += r;
                }
            }
            if (nrReclaimed < nrToReclaim || adjusted) {
                continue;
            }
            long nrFile = nr[Lru.INACTIVE_FILE] + nr[Lru.ACTIVE_FILE];
            long nrAnon = nr[Lru.INACTIVE_ANON] + nr[Lru.ACTIVE_ANON];
            if (nrFile == 0 || nrAnon == 0) {
                break;
            }
            int stop;
            long percentage;
            if (nrFile > nrAnon) {
                stop = Lru.INACTIVE_ANON;
                percentage = nrAnon * 100 / (targets[Lru.INACTIVE_ANON] + targets[Lru.ACTIVE_ANON] + 1);
            } else {
                stop = Lru.INACTIVE_FILE;
                percentage = nrFile * 100 / (targets[Lru.INACTIVE_FILE] + targets[Lru.ACTIVE_FILE] + 1);
            }
            nr[stop] = 0;
            nr[stop + 1] = 0;
            int cut = stop == Lru.INACTIVE_FILE ? Lru.INACTIVE_ANON : Lru.INACTIVE_FILE;
            for (int l = cut; l <= cut + 1; l++) {
                long done = targets[l] - nr[l];
                nr[l] = targets[l] * (100 - percentage) / 100;
                nr[l] -= Math.min(nr[l], done);
            }
            adjusted = true;
        }
        return nrReclaimed;
    }
}
