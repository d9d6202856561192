package dev.memcgdiff.kernel;

import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.task.Task;

/** mm/memcontrol.c: creating memcgs, charging, and what uncharges and the return to user space trigger. */
public interface MemcgOps {
    /**
     * mem_cgroup_css_alloc: whether a new child of {@code parent} charges its parent's counters
     * (v1 use_hierarchy; always in cgroup v2 and from 5.11).
     */
    boolean linksToParent(MemCgroup parent);

    /** mem_cgroup_css_alloc / css_online: the defaults a new memcg inherits (swappiness, use_hierarchy, oom_kill_disable). */
    void cgroupCreated(MemCgroup memcg);

    /**
     * Charge pages to a memcg's counters: the whole charge path with its stock, reclaim, retries
     * and OOM handling.
     */
    ChargeResult tryCharge(ChargeRequest request);

    /**
     * A swapped-out page's memory charge left this memcg (its memsw charge stays on the swap
     * entry): 3.10's mem_cgroup_uncharge_swapcache wakes the memcg's OOM sleepers, 4.18's and
     * 5.18's mem_cgroup_swapout does not.
     */
    default void swappedOut(MemCgroup memcg) {}

    /**
     * The return to user space after a fault or a system call: 4.18/5.18 mem_cgroup_handle_over_high,
     * 3.10's mem_cgroup_oom_synchronize(false) at the end of a fault. {@code task} is never null.
     */
    default void returnToUser(Task task) {}
}
