package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;

/**
 * lruvec_page_state (5.18): a memcg lruvec's LRU sizes and workingset counters are rstat
 * aggregates over the memcg's whole subtree on that node; the root lruvec is the node. The model
 * sums them when asked. Workingset counters are kept per memcg, not per node, so on a host with
 * several nodes the per-node refault snapshot sees the memcg-wide count.
 */
final class LruvecState {
    private LruvecState() {}

    /** lruvec_page_state(mem_cgroup_lruvec(memcg, node), NR_LRU_BASE + lru). */
    static long lru(MemCgroup memcg, int node, int lru) {
        long sum = memcg.lruvec(node).size(lru);
        for (MemCgroup child : memcg.children()) {
            sum += lru(child, node, lru);
        }
        return sum;
    }

    /** The four evictable lists of the hierarchical lruvec (lru_note_cost's decay base). */
    static long evictable(MemCgroup memcg, int node) {
        long sum = memcg.lruvec(node).size(0)
                + memcg.lruvec(node).size(1)
                + memcg.lruvec(node).size(2)
                + memcg.lruvec(node).size(3);
        for (MemCgroup child : memcg.children()) {
            sum += evictable(child, node);
        }
        return sum;
    }

    /** node_page_state(pgdat, NR_LRU_BASE + lru): every memcg's pages on the node. */
    static long node(Machine m, int node, int lru) {
        return lru(m.root(), node, lru);
    }

    /** lruvec_page_state(lruvec, WORKINGSET_ACTIVATE_*) and friends: the subtree's count. */
    static long event(MemCgroup memcg, VmEvent e) {
        return memcg.treeEvent(e);
    }

    /** parent_mem_cgroup: every 5.18 memcg but the root has one (v1 is always hierarchical). */
    static MemCgroup parent(MemCgroup memcg) {
        return memcg.parent();
    }
}
