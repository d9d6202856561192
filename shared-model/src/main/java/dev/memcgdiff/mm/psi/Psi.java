package dev.memcgdiff.mm.psi;

import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.HostSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pressure stall information (kernel/sched/psi.c) for the memory resource: /proc/pressure/memory
 * and cgroup v2's memory.pressure.
 *
 * <p>The model's paths record, for each task, what the scheduler would tell PSI: when the task
 * runs (a step), when it waits for I/O or sleeps, and its memory stall sections
 * (psi_memstall_enter/leave). In a {@code together} step the tasks run interleaved, each on its
 * own time, so these changes arrive out of time order across tasks; a read of a pressure file
 * (at a snapshot, when every task is at or before the machine's clock) replays them in time
 * order through psi.c's own bookkeeping: per-CPU task counts and state times
 * (psi_group_change, record_times), the averaging work every PSI_FREQ (psi_avgs_work,
 * collect_percpu_times, update_averages), 4.18.0-147's memstall tick, and psi_show.
 *
 * <p>A task runs on one CPU: CPU 0 for a step of its own, inner step i's CPU i modulo host.cpus
 * in a {@code together} (the runner's CPUs). Tasks sharing a CPU are all runnable at once (the
 * model does not time-slice them), so "the current task" of 5.18's ONCPU rule and of 4.18's tick
 * is in a memory stall when every running task of that CPU is.
 */
public final class Psi {
    /** No PSI recorded: every hook does nothing and no pressure file is read. */
    public static final Psi OFF = new Psi();

    /** A read of a pressure file that fails. */
    public static final String EOPNOTSUPP = "EOPNOTSUPP";
    /** A pressure file that is not there. */
    public static final String ENOENT = "ENOENT";

    /** A task's scheduling state as PSI sees it. */
    private static final int IDLE = 0;

    private static final int RUN = 1;
    private static final int IOWAIT = 2;
    private static final int SLEEP = 3;

    /** Kinds of recorded change. */
    private static final int SCHED = 0;

    private static final int MEMSTALL = 1;
    private static final int MEMCG = 2;

    private final PsiTraits traits;
    private final boolean recorded;
    private final boolean enabled;
    private final boolean v2;
    private final int cpus;
    private final long jiffy;
    private final long period;

    // ---- what the hooks record, per task (by Task.id) ----
    private int[] recSched = new int[8];
    private int[] recCpu = new int[8];
    private int[] recDepth = new int[8];
    private final List<List<long[]>> owed = new ArrayList<>();

    /** Recorded changes not yet replayed: time, task, kind, argument. */
    private long[] evTime = new long[256];

    private int[] evTask = new int[256];
    private int[] evKind = new int[256];
    private int[] evArg = new int[256];
    private int nEv;

    // ---- the replayed kernel state ----
    private long now;
    private final PsiGroup system;
    /** Cgroup v2 groups by memcg id (null for the root, whose file shows the system group). */
    private PsiGroup[] groups = new PsiGroup[8];

    private int[] parentOf = new int[8];
    private int[] taskSched = new int[8];
    private int[] taskCpu = new int[8];
    private int[] taskDepth = new int[8];
    private int[] taskMemcg = new int[8];
    private int[] taskFlags = new int[8];
    private int nTasks;
    /** Tasks running in a memory stall (4.18's tick only looks while there are any). */
    private int memstallRunning;

    private Psi() {
        this.traits = null;
        this.recorded = false;
        this.enabled = false;
        this.v2 = false;
        this.cpus = 1;
        this.jiffy = 1;
        this.period = 1;
        this.system = null;
    }

    private Psi(PsiTraits traits, HostSpec.Psi setting, int cpus, CgroupInterface iface) {
        this.traits = traits;
        this.recorded = true;
        this.enabled = traits.enabled(setting);
        this.v2 = iface == CgroupInterface.V2;
        this.cpus = cpus;
        this.jiffy = 1_000_000_000L / traits.hz();
        this.period = (2L * traits.hz() + 1) * jiffy; // psi_period = jiffies_to_nsecs(PSI_FREQ)
        this.system = enabled ? new PsiGroup(cpus, traits.fullOnCpu(), jiffy, period, 0) : null;
    }

    /**
     * PSI for one run. The pressure files are recorded when the scenario writes {@code host.psi}
     * (true, false or default); otherwise, and on a kernel without PSI, nothing is recorded and
     * this is {@link #OFF}-like for the hooks.
     */
    public static Psi boot(PsiTraits traits, HostSpec.Psi setting, int cpus, CgroupInterface iface) {
        if (setting == HostSpec.Psi.UNSET) {
            return OFF;
        }
        return new Psi(traits, setting, cpus, iface);
    }

    /** Whether the hooks record anything: PSI is on and the scenario reads its files. */
    public boolean recording() {
        return enabled;
    }

    // ------------------------------------------------------------------ hooks

    /** A cgroup is made at {@code at} (psi_cgroup_alloc: its group's clock starts then). */
    public void cgroupCreated(MemCgroup memcg, long at) {
        if (!enabled) {
            return;
        }
        int id = memcg.id();
        groups = grow(groups, id);
        parentOf = grow(parentOf, id);
        parentOf[id] = memcg.parent() == null ? 0 : memcg.parent().id();
        if (v2 && !memcg.isRoot()) {
            groups[id] = new PsiGroup(cpus, traits.fullOnCpu(), jiffy, period, at);
        }
    }

    /** The task is in {@code memcg} from {@code at} on (made there, or moved: cgroup_move_task). */
    public void moved(Task t, MemCgroup memcg, long at) {
        if (enabled && t != null) {
            record(at, t, MEMCG, memcg.id());
        }
    }

    /** The task starts a step on {@code cpu} at {@code at}: it wakes up and is runnable. */
    public void running(Task t, int cpu, long at) {
        if (enabled && t != null) {
            recCpu = grow(recCpu, t.id());
            recCpu[t.id()] = cpu;
            sched(t, at, RUN);
        }
    }

    /** The task's step ended at {@code at}: it sleeps in user space, idle to PSI. */
    public void idle(Task t, long at) {
        if (enabled && t != null) {
            sched(t, at, IDLE);
        }
    }

    /** psi_memstall_enter for {@code current} at {@code at} (nested sections count once, as pflags do). */
    public void memstallEnter(Task current, long at) {
        if (enabled && current != null) {
            recDepth = grow(recDepth, current.id());
            if (recDepth[current.id()]++ == 0) {
                record(at, current, MEMSTALL, 1);
            }
        }
    }

    /** psi_memstall_leave for {@code current} at {@code at}. */
    public void memstallLeave(Task current, long at) {
        if (enabled && current != null) {
            recDepth = grow(recDepth, current.id());
            if (--recDepth[current.id()] == 0) {
                record(at, current, MEMSTALL, -1);
            }
        }
    }

    /**
     * A memory stall over a wait already recorded: the read of a page that refaulted into the
     * workingset, known to be one only once the page is in (the kernel knows before it waits).
     */
    public void memstall(Task t, long from, long to) {
        if (enabled && t != null && to > from) {
            record(from, t, MEMSTALL, 1);
            record(to, t, MEMSTALL, -1);
        }
    }

    /** The task waits in io_schedule from {@code from} to {@code to}: off its CPU, in iowait. */
    public void ioWait(Task t, long from, long to) {
        if (enabled && t != null && to > from) {
            recSched = grow(recSched, t.id());
            int was = recSched[t.id()];
            sched(t, from, IOWAIT);
            sched(t, to, was);
        }
    }

    /**
     * A throttling sleep of {@code ns} at {@code at}: in iowait ({@code io}, io_schedule_timeout)
     * or not; a memory stall when the task sleeps inside a memstall section. A sleep the task owes
     * in a {@code together} step is taken after its unit ({@link #afterUnit}).
     */
    public void sleep(Task t, long at, long ns, boolean io, boolean owes) {
        if (!enabled || t == null || ns <= 0) {
            return;
        }
        if (owes) {
            while (owed.size() <= t.id()) {
                owed.add(new ArrayList<>());
            }
            boolean inMemstall = t.id() < recDepth.length && recDepth[t.id()] > 0;
            owed.get(t.id()).add(new long[] {ns, io ? 1 : 0, inMemstall ? 1 : 0});
            return;
        }
        recSched = grow(recSched, t.id());
        int was = recSched[t.id()];
        sched(t, at, io ? IOWAIT : SLEEP);
        sched(t, at + ns, was);
    }

    /**
     * A unit of a {@code together} step is over: the task worked until {@code worked}, then takes
     * the sleeps it owes, then waits (its rate, or its turn) and runs again at {@code ready}.
     */
    public void afterUnit(Task t, long worked, long ready) {
        if (!enabled || t == null) {
            return;
        }
        long s = worked;
        if (t.id() < owed.size()) {
            for (long[] o : owed.get(t.id())) {
                long e = Math.min(s + o[0], ready);
                if (e <= s) {
                    continue;
                }
                if (o[2] != 0) {
                    record(s, t, MEMSTALL, 1);
                }
                sched(t, s, o[1] != 0 ? IOWAIT : SLEEP);
                if (o[2] != 0) {
                    record(e, t, MEMSTALL, -1);
                }
                s = e;
            }
            owed.get(t.id()).clear();
        }
        if (s < ready) {
            sched(t, s, IDLE);
        }
        sched(t, ready, RUN);
    }

    private void sched(Task t, long at, int state) {
        recSched = grow(recSched, t.id());
        recCpu = grow(recCpu, t.id());
        recSched[t.id()] = state;
        record(at, t, SCHED, state == RUN ? RUN | recCpu[t.id()] << 2 : state);
    }

    private void record(long at, Task t, int kind, int arg) {
        if (nEv == evTime.length) {
            int n = nEv * 2;
            evTime = Arrays.copyOf(evTime, n);
            evTask = Arrays.copyOf(evTask, n);
            evKind = Arrays.copyOf(evKind, n);
            evArg = Arrays.copyOf(evArg, n);
        }
        evTime[nEv] = at;
        evTask[nEv] = t.id();
        evKind[nEv] = kind;
        evArg[nEv] = arg;
        nEv++;
        recSched = grow(recSched, t.id());
        recCpu = grow(recCpu, t.id());
        recDepth = grow(recDepth, t.id());
    }

    // ------------------------------------------------------------------ reads

    /**
     * cgroup v2's memory.pressure of {@code memcg} read at {@code at}: its "some" and "full" lines
     * (the root's are the system's), {@link #EOPNOTSUPP} with PSI off, or null where there is no
     * such file (cgroup v1, a kernel without PSI, a scenario that does not record pressure).
     */
    public Object memoryPressure(MemCgroup memcg, long at) {
        if (!recorded || !v2 || !traits.built()) {
            return null;
        }
        if (!enabled) {
            return EOPNOTSUPP;
        }
        advance(at);
        return show(memcg.isRoot() ? system : groups[memcg.id()], at);
    }

    /**
     * /proc/pressure/memory read at {@code at}: its lines, {@link #EOPNOTSUPP} (4.18.0-147 with PSI
     * off), {@link #ENOENT} (no PSI, or 5.18 with PSI off), or null when the scenario does not
     * record pressure.
     */
    public Object procPressureMemory(long at) {
        if (!recorded) {
            return null;
        }
        if (!enabled) {
            return traits.built() && traits.procFilesWhenOff() ? EOPNOTSUPP : ENOENT;
        }
        advance(at);
        return show(system, at);
    }

    /** psi_show: bring the averages up to date, then the two lines. */
    private static Map<String, String> show(PsiGroup g, long at) {
        g.refresh(at);
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("some", g.line(PsiGroup.MEM_SOME));
        lines.put("full", g.line(PsiGroup.MEM_FULL));
        return lines;
    }

    // ------------------------------------------------------------------ replay

    /**
     * Replay every recorded change up to {@code to} in time order (a change recorded first goes
     * first at the same time), with the averaging works and, on 4.18, the ticks that fall due on
     * the way; at equal times a work runs first, then a tick, then the changes.
     */
    private void advance(long to) {
        Integer[] order = new Integer[nEv];
        int due = 0;
        for (int i = 0; i < nEv; i++) {
            if (evTime[i] <= to) {
                order[due++] = i;
            }
        }
        Integer[] sorted = Arrays.copyOf(order, due);
        Arrays.sort(sorted, (a, b) -> {
            int c = Long.compare(evTime[a], evTime[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int next = 0;
        while (true) {
            long tEv = next < due ? evTime[sorted[next]] : Long.MAX_VALUE;
            long tWork = nextWork();
            long tTick = tickDue();
            long t = Math.min(tEv, Math.min(tWork, tTick));
            if (t > to) {
                break;
            }
            now = Math.max(now, t);
            if (tWork == t) {
                runWorks(t);
            } else if (tTick == t) {
                tick(t);
            } else {
                apply(sorted[next++], now);
            }
        }
        now = Math.max(now, to);
        compact(to);
    }

    /** Drop the replayed changes, keeping any recorded for later than {@code to}. */
    private void compact(long to) {
        int k = 0;
        for (int i = 0; i < nEv; i++) {
            if (evTime[i] > to) {
                evTime[k] = evTime[i];
                evTask[k] = evTask[i];
                evKind[k] = evKind[i];
                evArg[k] = evArg[i];
                k++;
            }
        }
        nEv = k;
    }

    private long nextWork() {
        long t = system.workAt;
        for (PsiGroup g : groups) {
            if (g != null) {
                t = Math.min(t, g.workAt);
            }
        }
        return t;
    }

    private void runWorks(long t) {
        if (system.workAt == t) {
            system.avgsWork(t);
        }
        for (PsiGroup g : groups) {
            if (g != null && g.workAt == t) {
                g.avgsWork(t);
            }
        }
    }

    /** The next scheduler tick while 4.18 has a task running in a memory stall. */
    private long tickDue() {
        if (traits.fullOnCpu() != PsiTraits.FullOnCpu.TICK || memstallRunning == 0) {
            return Long.MAX_VALUE;
        }
        return (now / jiffy + 1) * jiffy;
    }

    /**
     * psi_task_tick (4.18.0-147): on each CPU whose current task is in a memory stall,
     * psi_memstall_tick records the times of that task's groups with a FULL sample.
     */
    private void tick(long t) {
        for (int cpu = 0; cpu < cpus; cpu++) {
            int running = system.tasks(cpu, PsiGroup.NR_RUNNING);
            if (running == 0 || running != system.tasks(cpu, PsiGroup.NR_MEMSTALL_RUNNING)) {
                continue;
            }
            for (int task = 0; task < nTasks; task++) {
                if (taskCpu[task] == cpu && (taskFlags[task] & PsiGroup.TSK_MEMSTALL_RUNNING) != 0) {
                    for (PsiGroup g : chain(taskMemcg[task])) {
                        g.recordTimes(cpu, t, true);
                    }
                }
            }
        }
    }

    private void apply(int i, long t) {
        int task = evTask[i];
        ensureTask(task);
        int arg = evArg[i];
        switch (evKind[i]) {
            case SCHED -> {
                int state = arg & 3;
                if (state == RUN && taskCpu[task] != arg >>> 2) {
                    migrate(task, arg >>> 2, t);
                }
                taskSched[task] = state;
            }
            case MEMSTALL -> taskDepth[task] += arg;
            case MEMCG -> {
                if (taskMemcg[task] != arg) {
                    int flags = taskFlags[task];
                    change(task, flags, 0, t); // cgroup_move_task: out of the old groups
                    taskMemcg[task] = arg;
                    change(task, 0, flags, t); // and into the new ones
                }
            }
            default -> throw new IllegalStateException("unknown psi change " + evKind[i]);
        }
        int flags = flags(task);
        int old = taskFlags[task];
        if (flags != old) {
            change(task, old & ~flags, flags & ~old, t);
            taskFlags[task] = flags;
            memstallRunning += ((flags & PsiGroup.TSK_MEMSTALL_RUNNING) != 0 ? 1 : 0)
                    - ((old & PsiGroup.TSK_MEMSTALL_RUNNING) != 0 ? 1 : 0);
        }
    }

    /** The task's psi_flags from its scheduling state and its memstall sections. */
    private int flags(int task) {
        int f = 0;
        int sched = taskSched[task];
        if (sched == RUN) {
            f |= PsiGroup.TSK_RUNNING;
        } else if (sched == IOWAIT) {
            f |= PsiGroup.TSK_IOWAIT;
        }
        if (taskDepth[task] > 0) {
            f |= PsiGroup.TSK_MEMSTALL;
            if (sched == RUN) {
                f |= PsiGroup.TSK_MEMSTALL_RUNNING;
            }
        }
        return f;
    }

    /** A task woken on another CPU takes its states along (psi_ttwu_dequeue, then psi_enqueue). */
    private void migrate(int task, int cpu, long t) {
        int flags = taskFlags[task];
        if (flags != 0) {
            change(task, flags, 0, t);
        }
        taskCpu[task] = cpu;
        if (flags != 0) {
            change(task, 0, flags, t);
        }
    }

    /** psi_task_change: every group of the task, its cgroup's first and the system's last. */
    private void change(int task, int clear, int set, long t) {
        if (clear == 0 && set == 0) {
            return;
        }
        for (PsiGroup g : chain(taskMemcg[task])) {
            g.change(taskCpu[task], clear, set, t);
            g.wakeClock(t);
        }
    }

    /** iterate_groups: the task's cgroup v2 directory and its ancestors below the root, then the system. */
    private List<PsiGroup> chain(int memcg) {
        List<PsiGroup> out = new ArrayList<>(4);
        if (v2) {
            for (int id = memcg; id > 1 && id < groups.length; id = parentOf[id]) {
                if (groups[id] != null) {
                    out.add(groups[id]);
                }
            }
        }
        out.add(system);
        return out;
    }

    private void ensureTask(int task) {
        if (task >= nTasks) {
            taskSched = grow(taskSched, task);
            taskCpu = grow(taskCpu, task);
            taskDepth = grow(taskDepth, task);
            taskMemcg = grow(taskMemcg, task);
            taskFlags = grow(taskFlags, task);
            nTasks = task + 1;
        }
    }

    private static int[] grow(int[] a, int index) {
        return index < a.length ? a : Arrays.copyOf(a, Math.max(index + 1, a.length * 2));
    }

    private static PsiGroup[] grow(PsiGroup[] a, int index) {
        return index < a.length ? a : Arrays.copyOf(a, Math.max(index + 1, a.length * 2));
    }
}
