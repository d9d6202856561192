package dev.memcgdiff.linux418;

import dev.memcgdiff.kernel.FaultRetry;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgOomWaitq;
import dev.memcgdiff.mm.task.Task;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OOM sleepers of RHEL 8.1 (mm/memcontrol.c, 4.18.0-147 with the 4.19 OOM backport): only a
 * v1 memcg with oom_kill_disable defers its OOM. mem_cgroup_oom records it in
 * current->memcg_in_oom (OOM_ASYNC) and mem_cgroup_oom_synchronize, at the end of the fault,
 * puts the task to sleep under_oom on the machine's memcg_oom_waitq until an uncharge, a limit
 * raise, oom_kill_disable=0 or a SIGKILL wakes it; woken, pagefault_out_of_memory returns and
 * the fault is retried.
 */
final class MemcgOom {
    /** current->memcg_in_oom with memcg_oom_gfp_mask and memcg_oom_order. */
    private record Recorded(MemCgroup memcg, int gfp, int order, LimitKind limit) {}

    /** mem_cgroup_out_of_memory, which mem_cgroup_oom_synchronize calls with the oom_lock and kills allowed. */
    @FunctionalInterface
    interface OutOfMemory {
        boolean memCgroupOutOfMemory(MemCgroup memcg, int gfp, int order, LimitKind limit);
    }

    private final Machine m;
    /** The recorded OOM of every task that has one, by task id. */
    private final Map<Integer, Recorded> recorded = new TreeMap<>();

    MemcgOom(Machine m) {
        this.m = m;
    }

    /** mem_cgroup_oom's OOM_ASYNC branch (oom_kill_disable, in a user fault): current->memcg_in_oom = memcg. */
    void record(Task current, MemCgroup memcg, int gfp, int order, LimitKind limit) {
        current.memcgInOom = memcg;
        recorded.put(current.id(), new Recorded(memcg, gfp, order, limit));
    }

    /**
     * mm/memcontrol.c:mem_cgroup_oom_synchronize(true) (4.18.0-147) from pagefault_out_of_memory.
     * Without a recorded memcg OOM the memcg OOM already ran inside the charge and the fault is
     * retried; with one, the shared waitqueue's kill-or-sleep: the task sleeps (oom_kill_disable),
     * or, should oom_kill_disable have been cleared since the charge, kills with the oom_lock.
     */
    FaultRetry synchronize(Task t, OutOfMemory oom) {
        Recorded r = recorded.remove(t.id());
        t.memcgInOom = null;
        if (r == null) {
            return FaultRetry.RETRY;
        }
        MemcgOomWaitq.Synchronize s = m.memcgOomWaitq.synchronize(
                t, r.memcg(), () -> oom.memCgroupOutOfMemory(r.memcg(), r.gfp(), r.order(), r.limit()));
        return s == MemcgOomWaitq.Synchronize.SLEEPS ? FaultRetry.SLEEP : FaultRetry.RETRY;
    }
}
