package dev.memcgdiff.kernel;

import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.node.Node;

/** mm/vmscan.c: the three ways into reclaim. */
public interface ReclaimOps {
    /** try_to_free_mem_cgroup_pages: limit reclaim under {@code memcg}. Returns pages reclaimed. */
    long tryToFreeMemCgroupPages(MemCgroup memcg, long nrPages, int gfp, boolean maySwap);

    /** try_to_free_pages: global direct reclaim for an allocation. Returns pages reclaimed. */
    long tryToFreePages(int gfp);

    /** kswapd's balance_pgdat, run to completion when the allocator wakes it. */
    void kswapd(Node node);
}
