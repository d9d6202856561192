package dev.memcgdiff.linux310;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.task.Task;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The memcg OOM's waiting side in 3.10.0-1160 (mm/memcontrol.c): memcg_oom_waitq with its
 * sleepers, the subtree oom_lock (mem_cgroup_oom_trylock / _unlock), the under_oom marks, and the
 * wake-ups: memcg_oom_recover from every uncharge, a raised limit or oom_kill_disable=0, and the
 * SIGKILL that wakes a TASK_KILLABLE sleeper. Charging, reclaim and the cgroup files wake sleepers
 * here without knowing about the OOM killer.
 */
final class OomSleepers {
    /** A task asleep on memcg_oom_waitq, and whether it holds its subtree's oom_lock. */
    private record Sleeper(Task task, MemCgroup memcg, boolean holdsLock) {}

    private final Machine m;
    private final List<Sleeper> sleepers = new ArrayList<>();

    OomSleepers(Machine m) {
        this.m = m;
    }

    /** mem_cgroup_oom_trylock: lock the whole subtree unless some memcg in it is locked already. */
    static boolean trylock(MemCgroup memcg) {
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

    /** mem_cgroup_oom_unlock. */
    static void unlock(MemCgroup memcg) {
        for (MemCgroup c : memcg.hierarchy()) {
            c.oomLock = false;
        }
    }

    /** mem_cgroup_mark_under_oom: the whole subtree. */
    static void markUnderOom(MemCgroup memcg) {
        for (MemCgroup c : memcg.hierarchy()) {
            c.underOom++;
        }
    }

    /** mem_cgroup_unmark_under_oom. */
    static void unmarkUnderOom(MemCgroup memcg) {
        for (MemCgroup c : memcg.hierarchy()) {
            if (c.underOom > 0) {
                c.underOom--;
            }
        }
    }

    /** prepare_to_wait + schedule: the task sleeps on memcg_oom_waitq, under_oom still marked. */
    void sleep(Task task, MemCgroup memcg, boolean holdsLock) {
        sleepers.add(new Sleeper(task, memcg, holdsLock));
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
        m.trace.count(
                TracePoints.WOKEN,
                s.memcg(),
                "mem_cgroup_oom_synchronize: " + s.task().comm() + " woken in "
                        + s.memcg().path());
        if (s.holdsLock()) {
            unlock(s.memcg());
            recover(s.memcg());
        }
    }

    /**
     * A sleeper waits TASK_KILLABLE: a SIGKILL (the task died or was chosen as an OOM victim)
     * wakes it whatever its memcg. Checked before every charge, cgroup file read or write and
     * mem_cgroup_oom_synchronize.
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
