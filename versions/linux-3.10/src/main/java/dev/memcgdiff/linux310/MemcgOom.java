package dev.memcgdiff.linux310;

import dev.memcgdiff.kernel.ChargeRequest;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgOomWaitq;
import dev.memcgdiff.mm.oom.OomVictims;
import dev.memcgdiff.mm.task.Task;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deferred memcg OOM of 3.10.0-1160 (mm/memcontrol.c): mem_cgroup_oom only remembers the
 * memcg, gfp and order in current->memcg_oom; mem_cgroup_oom_synchronize at the end of the fault
 * takes the subtree's oom_lock and calls mem_cgroup_out_of_memory, or puts the task to sleep
 * (oom_kill_disable, or another task holds the lock) on the machine's memcg_oom_waitq until an
 * uncharge, a limit raise, oom_kill_disable=0 or a SIGKILL wakes it; woken, it returns from
 * pagefault_out_of_memory and the fault is retried.
 */
final class MemcgOom {
    private static final String MEMCG_MESSAGE = "Memory cgroup out of memory";

    /** current->memcg_oom: what the charge recorded. */
    record Recorded(MemCgroup memcg, int gfp, int order, LimitKind limit) {}

    private final Machine m;
    private final OomKiller killer;
    private final Swappiness swappiness;
    /** current->memcg_oom of every task that recorded one, by task id. */
    private final Map<Integer, Recorded> recorded = new TreeMap<>();

    MemcgOom(Machine m, OomKiller killer, Swappiness swappiness) {
        this.m = m;
        this.killer = killer;
        this.swappiness = swappiness;
    }

    /** mem_cgroup_oom: outside a user fault nothing happens; inside, the OOM is only recorded. */
    void memCgroupOom(MemCgroup memcg, int gfp, int order, LimitKind limit, ChargeRequest req, boolean mayOom) {
        Task current = req.current();
        if (!mayOom) {
            m.trace.count(
                    TracePoints.OOM_NOT_IN_USER_FAULT,
                    memcg,
                    "mem_cgroup_oom " + memcg.path()
                            + ": not in a user fault, no OOM ("
                            + req.purpose().name().toLowerCase(Locale.ROOT)
                            + " charge gets -ENOMEM)");
            return;
        }
        current.memcgInOom = memcg;
        recorded.put(current.id(), new Recorded(memcg, gfp & Gfp.RECLAIM_MASK, order, limit));
        m.trace.count(
                TracePoints.OOM_RECORDED,
                memcg,
                "mem_cgroup_oom " + memcg.path() + ": OOM recorded in " + current.comm()
                        + ", handled at the end of the fault");
    }

    /** mem_cgroup_oom_synchronize(false): the fault ended without VM_FAULT_OOM; forget the OOM. */
    void forget(Task t) {
        if (t.memcgInOom != null) {
            t.memcgInOom = null;
            recorded.remove(t.id());
        }
    }

    /**
     * mm/memcontrol.c:mem_cgroup_oom_synchronize(true) (3.10.0-1160) from pagefault_out_of_memory:
     * null when current->memcg_oom.memcg is NULL (no memcg OOM recorded: it returns false);
     * otherwise the shared waitqueue's kill-or-sleep with this kernel's mem_cgroup_out_of_memory.
     */
    MemcgOomWaitq.Synchronize synchronize(Task t) {
        Recorded r = recorded.remove(t.id());
        t.memcgInOom = null;
        if (r == null) {
            return null;
        }
        return m.memcgOomWaitq.synchronize(
                t, r.memcg(), () -> memCgroupOutOfMemory(r.memcg(), r.gfp(), r.order(), r.limit()));
    }

    /**
     * mem_cgroup_get_limit: memory.limit, or with swappiness, min(memory.limit + total swap,
     * memsw.limit): the totalpages of a memcg OOM.
     */
    private long getLimit(MemCgroup memcg) {
        long limit = memcg.memory.max();
        if (swappiness.of(memcg) != 0) {
            limit = Math.min(limit + m.swap.slots(), memcg.memsw.max());
        }
        return limit;
    }

    /**
     * mem_cgroup_out_of_memory: a current task already dying just gets TIF_MEMDIE; otherwise the
     * subtree's tasks are scored against mem_cgroup_get_limit and the worst is killed. With no
     * candidate nothing is printed and nobody dies.
     */
    private void memCgroupOutOfMemory(MemCgroup memcg, int gfp, int order, LimitKind limit) {
        Task current = m.current;
        if (current != null && current.oomVictim) {
            return;
        }
        long limitPages = getLimit(memcg);
        OomKiller.Invocation oc = new OomKiller.Invocation(
                memcg, gfp, order, limit, CallTrace.memcgOom(), limitPages == 0 ? 1 : limitPages);
        OomKiller.Selection selection = OomKiller.select(OomVictims.candidates(m, memcg), oc.totalpages());
        if (selection.abort()) {
            m.trace.count(
                    TracePoints.MEMCG_OOM_VICTIM_EXITING,
                    memcg,
                    "mem_cgroup_out_of_memory(" + memcg.path() + "): a victim is still exiting, no new kill");
            return;
        }
        if (selection.chosen() == null) {
            m.trace.count(
                    TracePoints.MEMCG_OOM_NO_VICTIM,
                    memcg,
                    "mem_cgroup_out_of_memory(" + memcg.path() + "): no killable task, nothing killed");
            return;
        }
        killer.oomKillProcess(oc, selection, MEMCG_MESSAGE);
    }
}
