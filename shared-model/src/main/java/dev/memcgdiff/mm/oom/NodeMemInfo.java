package dev.memcgdiff.mm.oom;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.mm.task.Task;

/**
 * The per-node page counts that show_mem prints in a global OOM report ("Mem-Info:" and the
 * "Node N ..." lines), counted from the page array since the report is rare.
 */
public final class NodeMemInfo {
    public final long[] lru = new long[Lru.NR_LRU_LISTS];
    public long mapped;
    public long dirty;
    public long shmem;
    public long free;
    /** NR_PAGETABLE: the page tables of the live tasks whose home node this is. */
    public long pagetables;

    public static NodeMemInfo of(Machine m, int node) {
        NodeMemInfo info = new NodeMemInfo();
        for (MemCgroup memcg : m.memcgs()) {
            for (int l = 0; l < Lru.NR_LRU_LISTS; l++) {
                info.lru[l] += memcg.lruvec(node).size(l);
            }
        }
        Pages pages = m.pages;
        var n = m.nodes[node];
        for (int pfn = n.startPfn(); pfn < n.endPfn(); pfn++) {
            int flags = pages.flags(pfn);
            if ((flags & PageFlags.PG_FREE) != 0) {
                continue;
            }
            if (pages.isShmem(pfn)) {
                info.shmem++;
            }
            if (!pages.isAnon(pfn) && pages.mapcount(pfn) > 0) {
                info.mapped++;
            }
            if ((flags & PageFlags.PG_DIRTY) != 0 && pages.isFileCache(pfn)) {
                info.dirty++;
            }
        }
        info.free = n.nrFree();
        for (Task t : m.tasks()) {
            if (t.alive() && m.homeNode(t) == node) {
                info.pagetables += t.pageTablePages();
            }
        }
        return info;
    }

    /** Summed over every node. */
    public static NodeMemInfo total(Machine m) {
        NodeMemInfo sum = new NodeMemInfo();
        for (int n = 0; n < m.nodes.length; n++) {
            NodeMemInfo i = of(m, n);
            for (int l = 0; l < Lru.NR_LRU_LISTS; l++) {
                sum.lru[l] += i.lru[l];
            }
            sum.mapped += i.mapped;
            sum.dirty += i.dirty;
            sum.shmem += i.shmem;
            sum.free += i.free;
            sum.pagetables += i.pagetables;
        }
        return sum;
    }
}
