package dev.memcgdiff.linux418;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.lru.ReclaimStatSwap;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.PageFlags;

/**
 * mm/workingset.c of 4.18.0-147: file pages only. The clock is lruvec->inactive_age of the page's
 * memcg; a refault is activated when its distance is within the evicting memcg's active_file.
 */
final class Workingset implements ReclaimStatSwap.Workingset {
    private static final int MEMCG_BITS = 16;
    private static final int NODE_BITS = 8;
    private static final long EVICTION_MASK = (1L << 38) - 1;

    private final Machine m;

    Workingset(Machine m) {
        this.m = m;
    }

    static long pack(int memcgId, int node, long eviction, boolean workingset) {
        return ((eviction & EVICTION_MASK) << (MEMCG_BITS + NODE_BITS + 1))
                | ((long) memcgId << (NODE_BITS + 1))
                | ((long) node << 1)
                | (workingset ? 1 : 0);
    }

    /** workingset_eviction: stamp the shadow with the page's lruvec clock, then advance it. */
    @Override
    public long eviction(int pfn) {
        MemCgroup memcg = m.memcgOf(pfn);
        Lruvec lruvec = memcg.lruvec(m.nodeOf(pfn));
        long eviction = ++lruvec.nonresidentAge;
        return pack(memcg.id(), m.nodeOf(pfn), eviction, m.pages.test(pfn, PageFlags.PG_WORKINGSET));
    }

    /** workingset_refault (4.18): distance against the evicting memcg's active file list. */
    @Override
    public void refault(int pfn, long shadow) {
        boolean workingset = (shadow & 1) != 0;
        int node = (int) ((shadow >>> 1) & ((1 << NODE_BITS) - 1));
        int memcgId = (int) ((shadow >>> (NODE_BITS + 1)) & ((1 << MEMCG_BITS) - 1));
        long eviction = shadow >>> (MEMCG_BITS + NODE_BITS + 1);
        MemCgroup memcg = m.memcg(memcgId);
        if (memcg == null) {
            return;
        }
        Lruvec lruvec = memcg.lruvec(node);
        long distance = (lruvec.nonresidentAge - eviction) & EVICTION_MASK;
        long activeFile = lruvec.size(Lru.ACTIVE_FILE);
        m.countEvent(VmEvent.WORKINGSET_REFAULT_FILE, memcg, 1);
        if (distance > activeFile) {
            return;
        }
        m.pages.set(pfn, PageFlags.PG_ACTIVE);
        lruvec.nonresidentAge++;
        m.countEvent(VmEvent.WORKINGSET_ACTIVATE_FILE, memcg, 1);
        m.trace.count(
                TracePoints.REFAULT_ACTIVATE,
                memcg,
                "workingset_refault: activated a refaulting page of " + memcg.path());
        if (workingset) {
            m.pages.set(pfn, PageFlags.PG_WORKINGSET);
            m.countEvent(VmEvent.WORKINGSET_RESTORE_FILE, memcg, 1);
        }
    }

    /** workingset_activation: mark_page_accessed promoted a file page; advance its lruvec clock. */
    @Override
    public void activation(int pfn) {
        if (m.pages.memcg(pfn) == 0) {
            return;
        }
        m.lruvecOf(pfn).nonresidentAge++;
    }
}
