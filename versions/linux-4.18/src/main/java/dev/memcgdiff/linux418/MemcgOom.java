package dev.memcgdiff.linux418;

import dev.memcgdiff.kernel.FaultRetry;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgRoom;
import dev.memcgdiff.mm.task.Task;

/**
 * The OOM sleepers of RHEL 8.1 (mm/memcontrol.c, 4.18.0-147 with the 4.19 OOM backport): only a
 * v1 memcg with oom_kill_disable defers its OOM. mem_cgroup_oom records it in
 * current->memcg_in_oom (OOM_ASYNC) and mem_cgroup_oom_synchronize, at the end of the fault, puts
 * the task to sleep under_oom until someone else resolves the OOM.
 */
final class MemcgOom {
    private final Machine m;

    MemcgOom(Machine m) {
        this.m = m;
    }

    /** mem_cgroup_oom's OOM_ASYNC branch (oom_kill_disable, in a user fault): current->memcg_in_oom = memcg. */
    void record(Task current, MemCgroup memcg) {
        current.memcgInOom = memcg;
    }

    /**
     * mem_cgroup_oom_synchronize(true) from pagefault_out_of_memory. Without a recorded memcg OOM
     * the memcg OOM already ran inside the charge and the fault is retried; with one, the task
     * sleeps under_oom and only wakes if there is room again, which nothing in the model makes.
     */
    FaultRetry synchronize(Task t) {
        MemCgroup memcg = t.memcgInOom;
        t.memcgInOom = null;
        if (memcg == null) {
            return FaultRetry.RETRY;
        }
        memcg.underOom++;
        m.trace.count(
                TracePoints.OOM_SYNCHRONIZE_SLEEPS,
                memcg,
                "mem_cgroup_oom_synchronize: " + t.comm() + " sleeps under_oom in " + memcg.path()
                        + " (oom_kill_disable)");
        return MemcgRoom.margin(m, memcg) > 0 ? FaultRetry.RETRY : FaultRetry.STUCK;
    }
}
