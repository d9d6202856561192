package dev.memcgdiff.linux310;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.ReclaimStatSwap;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.PageFlags;

/**
 * mm/workingset.c as RHEL 7 backported it from 3.15: zone-based, not memcg-aware. The clock is
 * zone->inactive_age (one zone per node in the model); a refault is activated when its distance
 * is within the zone's NR_ACTIVE_FILE, counted over every memcg. WORKINGSET_REFAULT and
 * WORKINGSET_ACTIVATE are zone counters: /proc/vmstat has them, memory.stat does not.
 */
final class Workingset implements ReclaimStatSwap.Workingset {
    private static final int NODE_BITS = 10;

    private final Machine m;
    /** zone->inactive_age. */
    private final long[] inactiveAge;

    Workingset(Machine m) {
        this.m = m;
        this.inactiveAge = new long[m.nodes.length];
    }

    /** workingset_eviction: advance the zone's clock and stamp the shadow with it (pack_shadow). */
    @Override
    public long eviction(int pfn) {
        int node = m.nodeOf(pfn);
        long eviction = ++inactiveAge[node];
        return (eviction << NODE_BITS) | node;
    }

    /**
     * workingset_refault plus add_to_page_cache_lru's reaction: SetPageActive and
     * workingset_activation when the distance fits in the zone's active file list.
     */
    @Override
    public void refault(int pfn, long shadow) {
        int node = (int) (shadow & ((1 << NODE_BITS) - 1));
        long eviction = shadow >>> NODE_BITS;
        long distance = inactiveAge[node] - eviction;
        m.countHostEvent(VmEvent.WORKINGSET_REFAULT_FILE, 1);
        if (distance > zoneActiveFile(node)) {
            return;
        }
        m.countHostEvent(VmEvent.WORKINGSET_ACTIVATE_FILE, 1);
        m.pages.set(pfn, PageFlags.PG_ACTIVE);
        activation(pfn);
        m.trace.count(
                TracePoints.REFAULT_ACTIVATED,
                null,
                "workingset_refault: refault distance within the zone's active file, page activated");
    }

    /** workingset_activation: a file page was activated; the zone's clock advances. */
    @Override
    public void activation(int pfn) {
        inactiveAge[m.nodeOf(pfn)]++;
    }

    private long zoneActiveFile(int node) {
        long active = 0;
        for (MemCgroup c : m.memcgs()) {
            active += c.lruvec(node).size(Lru.ACTIVE_FILE);
        }
        return active;
    }
}
