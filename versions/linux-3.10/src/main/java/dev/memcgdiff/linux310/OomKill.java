package dev.memcgdiff.linux310;

import dev.memcgdiff.kernel.FaultRetry;
import dev.memcgdiff.kernel.OomOps;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemcgOomWaitq;
import dev.memcgdiff.mm.oom.OomVictims;
import dev.memcgdiff.mm.task.Task;

/**
 * The entry points of mm/oom_kill.c in 3.10.0-1160: out_of_memory for an allocation the host
 * cannot satisfy, and pagefault_out_of_memory at the end of a fault that returned VM_FAULT_OOM,
 * which first lets mem_cgroup_oom_synchronize handle a memcg OOM the fault recorded.
 */
final class OomKill implements OomOps {
    private static final String GLOBAL_MESSAGE = "Out of memory";

    private final Machine m;
    private final MemcgOom memcgOom;
    private final OomKiller killer;

    OomKill(Machine m, MemcgOom memcgOom, OomKiller killer) {
        this.m = m;
        this.memcgOom = memcgOom;
        this.killer = killer;
    }

    /** __alloc_pages_may_oom: out_of_memory for the allocation of the current task. */
    @Override
    public boolean outOfMemory(int gfp, Task current) {
        return outOfMemory(gfp, 0, false);
    }

    /**
     * mm/oom_kill.c:pagefault_out_of_memory (3.10.0-1160): mem_cgroup_oom_synchronize(true) handles
     * a recorded memcg OOM (kill and retry, or sleep until woken and then retry); with none
     * recorded, a global out_of_memory.
     */
    @Override
    public FaultRetry pagefaultOutOfMemory(Task task) {
        MemcgOomWaitq.Synchronize s = memcgOom.synchronize(task);
        if (s == null) {
            outOfMemory(0, 0, true);
            return FaultRetry.RETRY;
        }
        return s == MemcgOomWaitq.Synchronize.SLEEPS ? FaultRetry.SLEEP : FaultRetry.RETRY;
    }

    /**
     * out_of_memory, CONSTRAINT_NONE: totalpages is RAM + swap, every process is a candidate;
     * with none, the kernel panics.
     *
     * @return false when the kernel panicked
     */
    private boolean outOfMemory(int gfp, int order, boolean fromPagefault) {
        Task current = m.current;
        if (current != null && current.alive() && current.oomVictim) {
            return true;
        }
        OomKiller.Invocation oc = new OomKiller.Invocation(
                null,
                gfp,
                order,
                LimitKind.HOST,
                fromPagefault ? CallTrace.pagefaultGlobalOom() : CallTrace.allocatorOom(m.site),
                m.pages.count() + m.swap.slots());
        OomKiller.Selection selection = OomKiller.select(OomVictims.candidates(m, null), oc.totalpages());
        if (selection.abort()) {
            m.trace.count(
                    TracePoints.GLOBAL_OOM_VICTIM_EXITING,
                    null,
                    "out_of_memory: a victim is still exiting, no new kill");
            return true;
        }
        if (selection.chosen() == null) {
            killer.dumpHeader(oc, null);
            m.panic = "Out of memory and no killable processes...";
            return false;
        }
        killer.oomKillProcess(oc, selection, GLOBAL_MESSAGE);
        return true;
    }
}
