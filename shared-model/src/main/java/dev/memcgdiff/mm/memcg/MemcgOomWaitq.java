package dev.memcgdiff.mm.memcg;

import dev.memcgdiff.mm.Clock;
import dev.memcgdiff.mm.Trace;
import dev.memcgdiff.mm.TracePoints;
import dev.memcgdiff.mm.task.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * memcg_oom_waitq and what goes with it in mm/memcontrol.c, alike in 3.10.0-1160, 4.18.0-147 and
 * 5.18: the tasks asleep in mem_cgroup_oom_synchronize, the subtree oom_lock
 * (mem_cgroup_oom_trylock / _unlock), the under_oom marks, and the wake-ups of memcg_oom_recover
 * (filtered by memcg_oom_wake_function) and of a SIGKILL (the sleep is TASK_KILLABLE). One per
 * host, as the kernel's waitqueue is one static head.
 *
 * <p>The kernels differ in who gets here and who calls {@link #recover}: each version's OOM code
 * records the OOM and calls {@link #synchronize}; its uncharge, limit and oom_control paths call
 * {@link #recover}. What the woken task does next (return from the fault, which user space
 * retries) is the runner's: it takes the woken tasks from {@link #pollWoken}.
 *
 * <p>A woken sleeper's own epilogue (unmark under_oom, leave the queue, drop the oom_lock it holds
 * and call memcg_oom_recover) runs at the wake-up, where the kernel runs it as soon as the woken
 * task is scheduled; the retry of its fault runs when the runner resumes it.
 */
public final class MemcgOomWaitq {
    /** A task asleep on the waitqueue: its memcg (oom_wait_info.memcg), whether it holds the oom_lock, since when. */
    private record Waiter(Task task, MemCgroup memcg, boolean locked, long since) {}

    /** A task woken from the memcg OOM sleep, when, and whether by a fatal signal. */
    public record Woken(Task task, long at, boolean killed) {}

    /** What mem_cgroup_oom_synchronize(true) did with a recorded memcg OOM. */
    public enum Synchronize {
        /** It took the oom_lock with kills allowed and called mem_cgroup_out_of_memory: the fault is retried. */
        OUT_OF_MEMORY_CALLED,
        /** The task sleeps on memcg_oom_waitq (oom_kill_disable, or another task holds the oom_lock). */
        SLEEPS
    }

    private final Clock clock;
    private final Trace trace;
    /** The waitqueue, head first: prepare_to_wait adds a non-exclusive waiter at the head. */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Woken tasks the runner has not resumed yet, in the order they were woken. */
    private final ArrayDeque<Woken> woken = new ArrayDeque<>();

    public MemcgOomWaitq(Clock clock, Trace trace) {
        this.clock = clock;
        this.trace = trace;
    }

    /** mm/memcontrol.c:mem_cgroup_oom_trylock: lock the whole subtree unless some memcg in it is locked already. */
    public static boolean trylock(MemCgroup memcg) {
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

    /** mm/memcontrol.c:mem_cgroup_oom_unlock. */
    public static void unlock(MemCgroup memcg) {
        for (MemCgroup c : memcg.hierarchy()) {
            c.oomLock = false;
        }
    }

    /** mm/memcontrol.c:mem_cgroup_mark_under_oom: the whole subtree. */
    public static void markUnderOom(MemCgroup memcg) {
        for (MemCgroup c : memcg.hierarchy()) {
            c.underOom++;
        }
    }

    /** mm/memcontrol.c:mem_cgroup_unmark_under_oom: never below 0 (a child created meanwhile was never marked). */
    public static void unmarkUnderOom(MemCgroup memcg) {
        for (MemCgroup c : memcg.hierarchy()) {
            if (c.underOom > 0) {
                c.underOom--;
            }
        }
    }

    /**
     * mm/memcontrol.c:mem_cgroup_oom_synchronize(true) for the OOM {@code t} recorded in
     * {@code memcg}: queue the task (prepare_to_wait, TASK_KILLABLE), mark the subtree under_oom
     * and try its oom_lock. Holding the lock with oom_kill_disable off, it unmarks, leaves the
     * queue, runs {@code outOfMemory} (mem_cgroup_out_of_memory), unlocks and calls
     * memcg_oom_recover; otherwise the task sleeps (schedule) until {@link #recover} or a fatal
     * signal wakes it.
     */
    public Synchronize synchronize(Task t, MemCgroup memcg, Runnable outOfMemory) {
        markUnderOom(memcg);
        boolean locked = trylock(memcg);
        if (locked && !memcg.oomKillDisable) {
            unmarkUnderOom(memcg);
            outOfMemory.run();
            unlock(memcg);
            recover(memcg);
            return Synchronize.OUT_OF_MEMORY_CALLED;
        }
        waiters.addFirst(new Waiter(t, memcg, locked, clock.now()));
        trace.count(
                memcg.oomKillDisable ? TracePoints.MEMCG_OOM_SLEEPS_DISABLED : TracePoints.MEMCG_OOM_SLEEPS_LOCKED,
                memcg,
                "mem_cgroup_oom_synchronize: " + t.comm() + " sleeps under_oom in " + memcg.path()
                        + (memcg.oomKillDisable ? " (oom_kill_disable)" : " (oom_lock held by another task)"));
        return Synchronize.SLEEPS;
    }

    /**
     * mm/memcontrol.c:memcg_oom_recover: when {@code memcg} is under OOM, wake every sleeper whose
     * memcg is {@code memcg} or above or below it (memcg_oom_wake_function, with
     * mem_cgroup_is_descendant both ways), in waitqueue order.
     */
    public void recover(MemCgroup memcg) {
        if (memcg.underOom == 0) {
            return;
        }
        wake(s -> s.memcg().isAncestorOf(memcg) || memcg.isAncestorOf(s.memcg()), memcg);
    }

    /**
     * kernel/signal.c:signal_wake_up: a SIGKILL wakes a TASK_KILLABLE sleeper whatever its memcg;
     * the OOM killer calls it for its victim.
     */
    public void fatalSignal(Task victim) {
        wake(s -> s.task() == victim, null);
    }

    /** Whether {@code t} sleeps on the waitqueue. */
    public boolean asleep(Task t) {
        for (Waiter w : waiters) {
            if (w.task() == t) {
                return true;
            }
        }
        return false;
    }

    /** The next woken task not yet resumed, or null. */
    public Woken pollWoken() {
        return woken.pollFirst();
    }

    /** The woken task {@code t} if it has not been resumed yet (taken off the list), else null. */
    public Woken takeWoken(Task t) {
        Iterator<Woken> it = woken.iterator();
        while (it.hasNext()) {
            Woken w = it.next();
            if (w.task() == t) {
                it.remove();
                return w;
            }
        }
        return null;
    }

    /**
     * Wake the sleepers {@code which} selects; {@code waker} is the memcg memcg_oom_recover ran
     * for (null: a fatal signal). Each woken task runs its epilogue of
     * mem_cgroup_oom_synchronize: unmark, finish_wait, and for the lock holder unlock and
     * memcg_oom_recover, which may wake more.
     */
    private void wake(Predicate<Waiter> which, MemCgroup waker) {
        List<Waiter> picked = new ArrayList<>();
        Iterator<Waiter> it = waiters.iterator();
        while (it.hasNext()) {
            Waiter w = it.next();
            if (which.test(w)) {
                it.remove();
                picked.add(w);
            }
        }
        for (Waiter w : picked) {
            long now = clock.now();
            woken.addLast(new Woken(w.task(), now, waker == null));
            trace.add(
                    TracePoints.MEMCG_OOM_WOKEN,
                    w.memcg(),
                    (waker == null ? "SIGKILL" : "memcg_oom_recover(" + waker.path() + ")") + " wakes "
                            + w.task().comm() + " asleep under_oom in "
                            + w.memcg().path(),
                    new String[] {"slept_ns"},
                    now - w.since());
            unmarkUnderOom(w.memcg());
            if (w.locked()) {
                unlock(w.memcg());
                recover(w.memcg());
            }
        }
    }
}
