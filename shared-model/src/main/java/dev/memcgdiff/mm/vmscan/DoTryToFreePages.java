package dev.memcgdiff.mm.vmscan;

import static dev.memcgdiff.mm.vmscan.VmscanConstants.DEF_PRIORITY;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.mm.memcg.VmEvent;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import java.util.function.ObjLongConsumer;
import java.util.function.Predicate;
import java.util.function.ToLongBiFunction;

/**
 * The parts of do_try_to_free_pages and shrink_zones (mm/vmscan.c) that every modelled kernel
 * walks the same way; what a kernel does after the priority loop (3.10 reports progress while a
 * zone is reclaimable, 4.18 and 5.18 retry with memcg_low_reclaim, 5.18 with force_deactivate
 * first) stays the kernel's.
 */
public final class DoTryToFreePages {
    /** shrink_zones for one pass at sc.priority. */
    @FunctionalInterface
    public interface ShrinkZones {
        void shrink(ScanControl sc);
    }

    /** shrink_node (4.18, 5.18) / shrink_zone (3.10) of one node. */
    @FunctionalInterface
    public interface ShrinkNode {
        void shrink(int node, ScanControl sc);
    }

    /** Never skip a zone: 4.18 and 5.18 visit every node of the zonelist. */
    public static final IntPredicate NO_SKIP = node -> false;

    /** Nothing after a pass: 4.18 and 5.18. */
    public static final ObjLongConsumer<ScanControl> NOTHING_AFTER_PASS = (sc, totalScanned) -> {};

    private DoTryToFreePages() {}

    /**
     * try_to_free_pages (every modelled kernel): global direct reclaim of SWAP_CLUSTER_MAX pages
     * from the current task's node through the kernel's do_try_to_free_pages, traced with what it
     * returned under the kernel's name for it ({@code field}: 3.10 "progress", 4.18 and 5.18
     * "reclaimed").
     */
    public static long tryToFreePages(
            Machine m,
            int gfp,
            TracePoint point,
            String field,
            ToLongBiFunction<Integer, ScanControl> doTryToFreePages) {
        long reclaimed = doTryToFreePages.applyAsLong(m.homeNode(m.current), ScanControl.tryToFreePages(gfp));
        m.trace.add(point, null, "try_to_free_pages (global direct reclaim)", new String[] {field}, reclaimed);
        return reclaimed;
    }

    /**
     * do_try_to_free_pages (4.18, 5.18): the priority loop, then snapshot_refaults on every node;
     * with nothing reclaimed the first of the kernel's retries that applies ({@code retry}:
     * 4.18 memcg_low_reclaim, 5.18 force_deactivate then memcg_low_reclaim; it sets its flags and
     * says whether to retry) sends it back to the retry label from the initial priority, which
     * counts ALLOCSTALL again for global reclaim (the allocator counted the first pass).
     *
     * @return pages reclaimed, 0 when no retry applies any more
     */
    public static long withRetries(
            Machine m,
            ScanControl sc,
            ShrinkZones shrinkZones,
            IntConsumer snapshotRefaults,
            Predicate<ScanControl> retry) {
        int initialPriority = sc.priority;
        boolean retried = false;
        while (true) {
            if (retried && !sc.cgroupReclaim()) {
                m.countHostEvent(VmEvent.ALLOCSTALL, 1);
            }
            priorityLoop(sc, shrinkZones, NOTHING_AFTER_PASS);
            for (int node = 0; node < m.nodes.length; node++) {
                snapshotRefaults.accept(node);
            }
            if (sc.nrReclaimed > 0) {
                return sc.nrReclaimed;
            }
            if (!retry.test(sc)) {
                return 0;
            }
            sc.priority = initialPriority;
            retried = true;
        }
    }

    /**
     * do_try_to_free_pages' priority loop: a shrink_zones pass at each priority from sc.priority
     * down to 0 until nr_to_reclaim is met; below DEF_PRIORITY - 2 writepage is allowed; then
     * {@code afterPass} sees the pages scanned so far (3.10 wakes the flushers past 1.5 times the
     * target: {@link #NOTHING_AFTER_PASS} for 4.18 and 5.18).
     */
    public static void priorityLoop(ScanControl sc, ShrinkZones shrinkZones, ObjLongConsumer<ScanControl> afterPass) {
        long totalScanned = 0;
        do {
            sc.nrScanned = 0;
            shrinkZones.shrink(sc);
            totalScanned += sc.nrScanned;
            if (sc.nrReclaimed >= sc.nrToReclaim) {
                break;
            }
            if (sc.priority < DEF_PRIORITY - 2) {
                sc.mayWritepage = true;
            }
            afterPass.accept(sc, totalScanned);
        } while (--sc.priority >= 0);
    }

    /**
     * shrink_zones: each node of the zonelist once, from {@code startNode}; global reclaim runs
     * v1 soft limit reclaim first, and passes over the zones {@code skipZone} names (3.10: a zone
     * found unreclaimable below DEF_PRIORITY; {@link #NO_SKIP} for 4.18 and 5.18).
     */
    public static void shrinkZones(
            Machine m,
            int startNode,
            ScanControl sc,
            IntPredicate skipZone,
            SoftLimitReclaim.ShrinkMemcg softLimitShrink,
            ShrinkNode shrinkNode) {
        for (int i = 0; i < m.nodes.length; i++) {
            int node = (startNode + i) % m.nodes.length;
            if (!sc.cgroupReclaim()) {
                if (skipZone.test(node)) {
                    continue;
                }
                sc.nrReclaimed += SoftLimitReclaim.reclaim(m, node, softLimitShrink);
            }
            shrinkNode.shrink(node, sc);
        }
    }
}
