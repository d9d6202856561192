package dev.memcgdiff.mm.vmscan;

import static dev.memcgdiff.mm.vmscan.VmscanConstants.SWAP_CLUSTER_MAX;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.node.Node;
import java.util.function.IntConsumer;
import java.util.function.ObjIntConsumer;

/**
 * balance_pgdat (mm/vmscan.c) of the node-based kernels, 4.18 and 5.18, on the model's one zone
 * per node; 3.10's zone-based balance_pgdat is its own. When kswapd runs at all (wakeup_kswapd's
 * checks) is the kernel's.
 */
public final class BalancePgdat {
    private BalancePgdat() {}

    /**
     * balance_pgdat (4.18, 5.18): PAGEOUTRUN, then from DEF_PRIORITY down to 1 until the zone is
     * over its high watermark: age active anon (the kernel's age_active_anon), v1 soft limit
     * reclaim, then kswapd_shrink_node toward max(high watermark, SWAP_CLUSTER_MAX); the priority
     * is raised unless that pass scanned its target and reclaimed something. Writepage and swap
     * stay allowed throughout (no laptop_mode, no boost). A run that reclaimed nothing is a
     * kswapd failure; then snapshot_refaults and the trace event with PGSTEAL_KSWAPD's growth.
     */
    public static void run(
            Machine m,
            Node node,
            TracePoint point,
            ObjIntConsumer<ScanControl> ageActiveAnon,
            SoftLimitReclaim.ShrinkMemcg softLimitShrink,
            DoTryToFreePages.ShrinkNode shrinkNode,
            IntConsumer snapshotRefaults) {
        ScanControl sc = ScanControl.kswapd();
        m.countHostEvent(VmEvent.PAGEOUTRUN, 1);
        long before = m.vmEvent(VmEvent.PGSTEAL_KSWAPD);
        do {
            long nrReclaimed = sc.nrReclaimed;
            boolean raisePriority = true;
            if (node.watermarkOk(node.wmarkHigh())) {
                break;
            }
            ageActiveAnon.accept(sc, node.id());
            sc.nrScanned = 0;
            sc.nrReclaimed += SoftLimitReclaim.reclaim(m, node.id(), softLimitShrink);
            // kswapd_shrink_node: a pass that scanned its target need not raise the priority
            sc.nrToReclaim = Math.max(node.wmarkHigh(), SWAP_CLUSTER_MAX);
            shrinkNode.shrink(node.id(), sc);
            if (sc.nrScanned >= sc.nrToReclaim) {
                raisePriority = false;
            }
            if (raisePriority || sc.nrReclaimed == nrReclaimed) {
                sc.priority--;
            }
        } while (sc.priority >= 1);
        if (sc.nrReclaimed == 0) {
            node.kswapdFailures++;
        }
        snapshotRefaults.accept(node.id());
        m.trace.add(
                point,
                null,
                "kswapd" + node.id() + " balance_pgdat",
                new String[] {"reclaimed"},
                m.vmEvent(VmEvent.PGSTEAL_KSWAPD) - before);
    }
}
