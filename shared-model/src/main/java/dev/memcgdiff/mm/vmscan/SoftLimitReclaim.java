package dev.memcgdiff.mm.vmscan;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.TracePoints;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.scenario.CgroupInterface;
import java.util.List;

/**
 * mem_cgroup_soft_limit_reclaim (cgroup v1, global reclaim at order 0): take the memcg furthest
 * over memory.soft_limit_in_bytes and reclaim its subtree at priority 0
 * (mem_cgroup_soft_reclaim), until its excess is gone or a quarter of it came back. The kernel
 * keeps the excesses in a per-node RB tree refreshed every 1024 page events; the model computes
 * them when asked. 3.10, 4.18 and 5.18 share the algorithm; each passes its own shrink.
 */
public final class SoftLimitReclaim {
    /** MEM_CGROUP_MAX_RECLAIM_LOOPS. */
    static final int MAX_RECLAIM_LOOPS = 100;
    /** MEM_CGROUP_MAX_SOFT_LIMIT_RECLAIM_LOOPS. */
    static final int MAX_SOFT_LIMIT_RECLAIM_LOOPS = 2;

    /** mem_cgroup_shrink_node / mem_cgroup_shrink_node_zone for one memcg at priority 0. */
    @FunctionalInterface
    public interface ShrinkMemcg {
        long shrink(MemCgroup memcg, int node);
    }

    private SoftLimitReclaim() {}

    static long excess(MemCgroup memcg) {
        long usage = memcg.memory.usage();
        return usage > memcg.softLimit ? usage - memcg.softLimit : 0;
    }

    private static MemCgroup largestExcess(Machine m, List<MemCgroup> skip) {
        MemCgroup best = null;
        long bestExcess = 0;
        for (MemCgroup c : m.memcgs()) {
            if (c.isRoot() || skip.contains(c)) {
                continue;
            }
            long e = excess(c);
            if (e > bestExcess) {
                best = c;
                bestExcess = e;
            }
        }
        return best;
    }

    /** @return pages reclaimed from memcgs over their soft limit on this node */
    public static long reclaim(Machine m, int node, ShrinkMemcg shrink) {
        if (m.cgroupInterface != CgroupInterface.V1) {
            return 0;
        }
        long nrReclaimed = 0;
        int loop = 0;
        List<MemCgroup> tried = new java.util.ArrayList<>();
        MemCgroup mz = largestExcess(m, tried);
        while (mz != null) {
            long reclaimed = softReclaim(mz, node, shrink);
            nrReclaimed += reclaimed;
            tried.add(mz);
            MemCgroup next = reclaimed == 0 ? largestExcess(m, tried) : null;
            loop++;
            if (nrReclaimed > 0 || next == null || loop > MAX_SOFT_LIMIT_RECLAIM_LOOPS) {
                break;
            }
            mz = next;
        }
        if (nrReclaimed > 0) {
            m.trace.add(
                    TracePoints.SOFT_LIMIT_RECLAIM,
                    null,
                    "mem_cgroup_soft_limit_reclaim node " + node,
                    new String[] {"reclaimed"},
                    nrReclaimed);
        }
        return nrReclaimed;
    }

    /** mem_cgroup_soft_reclaim: walk the subtree until the excess is gone or enough came back. */
    private static long softReclaim(MemCgroup root, int node, ShrinkMemcg shrink) {
        long excess = excess(root);
        long total = 0;
        int loop = 0;
        while (true) {
            for (MemCgroup victim : root.hierarchy()) {
                total += shrink.shrink(victim, node);
                if (excess(root) == 0) {
                    return total;
                }
            }
            loop++;
            if (loop >= 2 && (total == 0 || total >= (excess >> 2) || loop > MAX_RECLAIM_LOOPS)) {
                return total;
            }
        }
    }
}
