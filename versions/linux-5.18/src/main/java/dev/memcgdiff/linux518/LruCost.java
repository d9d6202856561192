package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;

/**
 * lru_note_cost (mm/swap.c, 5.18): the anon/file cost that get_scan_count balances, charged by
 * reclaim (pages written out) and by workingset_refault (a restored workingset page).
 */
final class LruCost {
    private LruCost() {}

    /**
     * lru_note_cost: add the cost to the lruvec and every ancestor's; at each level, halve both
     * costs once they exceed a quarter of that level's (hierarchical) LRU pages.
     */
    static void lruNoteCost(MemCgroup memcg, int node, boolean file, long nrPages) {
        for (MemCgroup c = memcg; c != null; c = LruvecState.parent(c)) {
            Lruvec lruvec = c.lruvec(node);
            if (file) {
                lruvec.fileCost += nrPages;
            } else {
                lruvec.anonCost += nrPages;
            }
            long lrusize = LruvecState.evictable(c, node);
            if (lruvec.fileCost + lruvec.anonCost > lrusize / 4) {
                lruvec.fileCost /= 2;
                lruvec.anonCost /= 2;
            }
        }
    }
}
