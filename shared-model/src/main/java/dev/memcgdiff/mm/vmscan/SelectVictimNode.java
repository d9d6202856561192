package dev.memcgdiff.mm.vmscan;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import java.util.Map;
import java.util.TreeMap;

/**
 * mm/memcontrol.c:mem_cgroup_select_victim_node (3.10.0-1160, 4.18.0-147; gone by 5.18): limit
 * reclaim starts at the node after the memcg's last_scanned_node among the nodes where the memcg
 * has something reclaimable (scan_nodes: file pages, or anon pages when there is swap,
 * test_mem_cgroup_node_reclaimable); when no node has any, at the node of the CPU the charging
 * task runs on (numa_node_id: the task's home node in the model). The kernels refresh scan_nodes
 * lazily (mem_cgroup_may_update_nodemask, on memcg events); the model tests the nodes at each call.
 */
public final class SelectVictimNode {
    private final Machine m;
    /** memcg->last_scanned_node by memcg id (absent: MAX_NUMNODES, none yet). */
    private final Map<Integer, Integer> lastScannedNode = new TreeMap<>();

    public SelectVictimNode(Machine m) {
        this.m = m;
    }

    public int select(MemCgroup memcg) {
        int last = lastScannedNode.getOrDefault(memcg.id(), -1);
        int nodes = m.nodes.length;
        int chosen = m.homeNode(m.current);
        for (int i = 1; i <= nodes; i++) {
            int nid = (last + i) % nodes;
            if (reclaimable(memcg.lruvec(nid))) {
                chosen = nid;
                break;
            }
        }
        lastScannedNode.put(memcg.id(), chosen);
        return chosen;
    }

    /** test_mem_cgroup_node_reclaimable. */
    private boolean reclaimable(Lruvec l) {
        return l.fileSize() > 0 || (m.swap.slots() > 0 && l.anonSize() > 0);
    }
}
