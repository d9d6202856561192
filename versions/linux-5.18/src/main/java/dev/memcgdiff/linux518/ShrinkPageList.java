package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.vmscan.LruReclaim;
import dev.memcgdiff.mm.vmscan.PageBatch;
import dev.memcgdiff.mm.vmscan.ReclaimStats;
import dev.memcgdiff.mm.vmscan.ScanControl;

/**
 * shrink_page_list and move_pages_to_lru (5.18) on the shared LruReclaim page loop, whose
 * decisions are 5.18's under the kernel's reclaim rules ({@code Linux518.TRAITS}). Only what 5.18
 * does around those decisions is here: nr_scanned, PGACTIVATE on the memcg and host-wide, and the
 * nonresident ageing of every page put back active.
 */
final class ShrinkPageList {
    private final Machine m;
    private final Workingset workingset;
    private final LruReclaim lruReclaim;

    ShrinkPageList(Machine m, Workingset workingset, LruReclaim lruReclaim) {
        this.m = m;
        this.workingset = workingset;
        this.lruReclaim = lruReclaim;
    }

    /**
     * shrink_page_list over pages isolated from one of {@code memcg}'s inactive lists, then
     * move_pages_to_lru for the survivors.
     *
     * @return this call's struct reclaim_stat: reclaimed, nr_pageout, nr_activate per type and
     *     nr_unqueued_dirty (equal to nr_dirty: the model's writeback is never in flight)
     */
    ReclaimStats shrinkPageList(Lruvec lruvec, MemCgroup memcg, PageBatch pageList, ScanControl sc) {
        ReclaimStats stat = new ReclaimStats();
        sc.nrScanned += pageList.size();
        lruReclaim.shrinkPageList(lruvec, pageList, sc, stat);
        long activated = stat.activated[Lru.ANON] + stat.activated[Lru.FILE];
        m.countMemcgOnly(VmEvent.PGACTIVATE, memcg, activated);
        m.countHostEvent(VmEvent.PGACTIVATE, activated);
        workingset.ageNonresident(memcg, lruvec.node(), stat.putbackActive[Lru.ANON] + stat.putbackActive[Lru.FILE]);
        return stat;
    }
}
