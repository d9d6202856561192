package dev.memcgdiff.mm.oom;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.scenario.CgroupInterface;
import java.util.ArrayList;
import java.util.List;

/**
 * What every OOM killer shares: which tasks it looks at, in the kernel's walk order, and what a
 * kill does to the victim. mem_cgroup_scan_tasks walks the OOMing memcg's subtree pre-order and
 * each memcg's tasks in attach order; a global OOM walks every process in creation order.
 */
public final class OomVictims {
    /** OOM_SCORE_ADJ_MIN (include/uapi/linux/oom.h): a task the OOM killer never picks. */
    public static final int OOM_SCORE_ADJ_MIN = -1000;

    private OomVictims() {}

    /** Live tasks the killer considers: those under {@code memcg}, or all when it is null. */
    public static List<Task> candidates(Machine m, MemCgroup memcg) {
        List<Task> out = new ArrayList<>();
        if (memcg == null) {
            for (Task t : m.tasks()) {
                if (t.alive()) {
                    out.add(t);
                }
            }
            return out;
        }
        for (MemCgroup c : memcg.hierarchy()) {
            for (int id : c.taskIds()) {
                Task t = m.task(id);
                if (t.alive()) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /**
     * __oom_kill_process and the oom_reaper: SIGKILL the victim (which wakes it if it sleeps in
     * the memcg OOM: TASK_KILLABLE) and free its anonymous memory and swap at once. tmpfs pages
     * and page cache stay charged. The current task's memory goes when its interrupted step
     * unwinds, so only the mark is set here.
     */
    public static void kill(Machine m, Task victim) {
        victim.oomVictim = true;
        m.countHostEvent(VmEvent.OOM_KILL, 1);
        m.memcgOomWaitq.fatalSignal(victim);
        if (victim != m.current) {
            reap(m, victim);
        }
    }

    /** exit_mmap of a victim, then it is gone (MMF_OOM_SKIP, exited). */
    public static void reap(Machine m, Task victim) {
        if (victim.exited) {
            return;
        }
        m.teardown().exitMmap(victim);
        victim.oomSkip = true;
        victim.exited = true;
        victim.memcg().detachTask(victim.id());
    }

    /**
     * mem_cgroup_get_oom_group (4.18's backport and 5.18 alike, cgroup v2 only): the highest memcg
     * with memory.oom.group set from the victim's memcg up to the OOM domain (root for a global
     * OOM); none for a victim in the root or outside the domain.
     */
    public static MemCgroup oomGroup(Machine m, Task victim, MemCgroup oomDomain) {
        if (m.cgroupInterface != CgroupInterface.V2) {
            return null;
        }
        MemCgroup domain = oomDomain == null ? m.root() : oomDomain;
        if (victim.memcg().isRoot() || !domain.isAncestorOf(victim.memcg())) {
            return null;
        }
        MemCgroup group = null;
        for (MemCgroup c = victim.memcg(); c != null; c = c.parent()) {
            if (c.oomGroup) {
                group = c;
            }
            if (c == domain) {
                break;
            }
        }
        return group;
    }

    /** A page counter as every modelled kernel's OOM report prints it ("memory: usage %llukB, ..."). */
    public static String counterLine(String name, PageCounter c) {
        return name + ": usage " + c.usage() * 4 + "kB, limit " + c.max() * 4 + "kB, failcnt " + c.failcnt();
    }

    /** The rss a report prints for a task, in kB: anon, file, shmem. */
    public static long kb(long pages) {
        return pages * 4;
    }
}
