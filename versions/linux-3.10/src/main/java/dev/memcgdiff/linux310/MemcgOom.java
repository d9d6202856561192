package dev.memcgdiff.linux310;

import dev.memcgdiff.kernel.ChargeRequest;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.task.Task;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deferred memcg OOM of 3.10.0-1160 (mm/memcontrol.c): mem_cgroup_oom only remembers the
 * memcg, gfp and order in current->memcg_oom; mem_cgroup_oom_synchronize at the end of the fault
 * takes the subtree's oom_lock and kills, or puts the task to sleep (oom_kill_disable, or
 * another task holds the lock) until an uncharge, a limit raise or oom_kill_disable=0 wakes it.
 */
final class MemcgOom {
    /** current->memcg_oom: what the charge recorded. */
    record Recorded(MemCgroup memcg, int gfp, int order, String limit) {
    }

    /** A task asleep on memcg_oom_waitq, and whether it holds its subtree's oom_lock. */
    private record Sleeper(Task task, MemCgroup memcg, boolean holdsLock) {
    }

    private final Machine m;
    private OomKill oomKill;
    private final Map<Integer, Recorded> recorded = new TreeMap<>();
    private final List<Sleeper> sleepers = new ArrayList<>();

    MemcgOom(Machine m) {
        this.m = m;
    }

    void wire(OomKill oomKill) {
        this.oomKill = oomKill;
    }

    /** mem_cgroup_oom: outside a user fault nothing happens; inside, the OOM is only recorded. */
    void memCgroupOom(MemCgroup memcg, int gfp, int order, String limit, ChargeRequest req, boolean mayOom) {
        Task current = req.current();
        if (!mayOom) {
            m.trace.count("mem_cgroup_oom " + memcg.path() + ": not in a user fault, no OOM ("
                + req.purpose().name().toLowerCase(java.util.Locale.ROOT) + " charge gets -ENOMEM)");
            return;
        }
        current.memcgInOom = memcg;
        recorded.put(current.id(), new Recorded(memcg, GfpMask.reclaimMask(gfp), order, limit));
        m.trace.count("mem_cgroup_oom " + memcg.path() + ": OOM recorded in " + current.comm()
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
     * mem_cgroup_oom_synchronize(true) from pagefault_out_of_memory.
     *
     * @return null when no memcg OOM was recorded (the caller does a global OOM), true when the
     *     fault is retried, false when the task sleeps with nothing in the model to wake it
     */
    Boolean synchronize(Task t) {
        wakeKilledSleepers();
        Recorded r = recorded.remove(t.id());
        t.memcgInOom = null;
        if (r == null) {
            return null;
        }
        MemCgroup memcg = r.memcg();
        markUnderOom(memcg);
        boolean locked = trylock(memcg);
        if (locked && !memcg.oomKillDisable) {
            unmarkUnderOom(memcg);
            oomKill.memCgroupOutOfMemory(memcg, r.gfp(), r.order(), r.limit());
            unlock(memcg);
            recover(memcg);
            return true;
        }
        sleepers.add(new Sleeper(t, memcg, locked));
        m.trace.count("mem_cgroup_oom_synchronize: " + t.comm() + " sleeps under_oom in " + memcg.path()
            + (memcg.oomKillDisable ? " (oom_kill_disable)" : " (oom_lock held by another task)"));
        return false;
    }

    /** mem_cgroup_oom_trylock: lock the whole subtree unless some memcg in it is locked already. */
    private static boolean trylock(MemCgroup memcg) {
        List<MemCgroup> tree = memcg.hierarchy();
        for (MemCgroup c : tree) {
            if (c.oomLock) {
                return false;
            }
        }
        for (MemCgroup c : tree) {
            c.oomLock = true;
        }
        return true;
    }

    private static void unlock(MemCgroup memcg) {
        for (MemCgroup c : memcg.hierarchy()) {
            c.oomLock = false;
        }
    }

    private static void markUnderOom(MemCgroup memcg) {
        for (MemCgroup c : memcg.hierarchy()) {
            c.underOom++;
        }
    }

    private static void unmarkUnderOom(MemCgroup memcg) {
        for (MemCgroup c : memcg.hierarchy()) {
            if (c.underOom > 0) {
                c.underOom--;
            }
        }
    }

    /**
     * memcg_oom_recover / memcg_wakeup_oom: when the waker is under OOM, wake the sleepers whose
     * memcg is the waker, or above or below it by mem_cgroup_same_or_subtree
     * (memcg_oom_wake_function). Every page uncharge calls it (__mem_cgroup_do_uncharge,
     * mem_cgroup_uncharge_end), as do a raised limit and oom_kill_disable=0.
     */
    void recover(MemCgroup waker) {
        if (waker.underOom == 0) {
            return;
        }
        Iterator<Sleeper> it = sleepers.iterator();
        List<Sleeper> woken = new ArrayList<>();
        while (it.hasNext()) {
            Sleeper s = it.next();
            if (s.memcg().isAncestorOf(waker) || waker.isAncestorOf(s.memcg())) {
                it.remove();
                woken.add(s);
            }
        }
        for (Sleeper s : woken) {
            wake(s);
        }
    }

    private void wake(Sleeper s) {
        unmarkUnderOom(s.memcg());
        m.trace.count("mem_cgroup_oom_synchronize: " + s.task().comm() + " woken in " + s.memcg().path());
        if (s.holdsLock()) {
            unlock(s.memcg());
            recover(s.memcg());
        }
    }

    /**
     * A sleeper waits TASK_KILLABLE: a SIGKILL (the task died or was chosen as an OOM victim)
     * wakes it whatever its memcg. Checked before every read, write or OOM decision.
     */
    void wakeKilledSleepers() {
        List<Sleeper> woken = new ArrayList<>();
        Iterator<Sleeper> it = sleepers.iterator();
        while (it.hasNext()) {
            Sleeper s = it.next();
            if (!s.task().alive() || s.task().oomVictim) {
                it.remove();
                woken.add(s);
            }
        }
        for (Sleeper s : woken) {
            wake(s);
        }
    }
}
