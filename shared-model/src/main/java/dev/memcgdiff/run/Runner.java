package dev.memcgdiff.run;

import dev.memcgdiff.kernel.FaultRetry;
import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.TracePoints;
import dev.memcgdiff.mm.Mm;
import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.oom.OomVictims;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.task.Vma;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.SeriesPoint;
import dev.memcgdiff.outcome.Snapshot;
import dev.memcgdiff.outcome.StepRecord;
import dev.memcgdiff.scenario.CgroupSpec;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.Step;
import dev.memcgdiff.scenario.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * Runs one scenario on one kernel, step by step and page by page, and records the outcome.
 * Deterministic: the only randomness is the scenario's seed, and nothing depends on time or
 * hash order.
 */
public final class Runner {
    /** The comm of the process that `host` steps run as, in the root cgroup. */
    public static final String HOST_TASK = "host-alloc";

    private static final String OK = "ok";
    private static final String ENOMEM = "enomem";
    private static final String KILLED = "killed";
    private static final String SKIPPED = "skipped";
    /** A fault that would be retried forever (a task asleep in the memcg OOM, or a #PF livelock). */
    private static final String HUNG = "hung";
    /** Retries of a failing fault that changed nothing before the model calls it hung. */
    private static final int FUTILE_RETRIES = 2;

    /** Sees the machine after every step: for invariant checks in tests, never for outcomes. */
    @FunctionalInterface
    public interface StepObserver {
        void afterStep(Step step, StepRecord record, Machine machine);
    }

    private static final StepObserver NONE = (step, record, machine) -> { };

    private final Scenario scenario;
    private final Kernel kernel;
    private final StepObserver observer;
    private Machine m;
    private KernelOps ops;
    private Mm mm;
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final Map<String, Snapshot> snapshots = new LinkedHashMap<>();
    private SplittableRandom random;
    private final Map<String, List<SeriesPoint>> series = new LinkedHashMap<>();

    private Runner(Scenario scenario, Kernel kernel, StepObserver observer) {
        this.scenario = scenario;
        this.kernel = kernel;
        this.observer = observer;
    }

    public static Outcome run(Scenario scenario, Kernel kernel) {
        return new Runner(scenario, kernel, NONE).run();
    }

    /** Run with an observer that inspects the machine after each step. */
    public static Outcome run(Scenario scenario, Kernel kernel, StepObserver observer) {
        return new Runner(scenario, kernel, observer).run();
    }

    private Outcome run() {
        var unsupported = kernel.unsupported(scenario);
        if (unsupported.isPresent()) {
            return Outcome.unsupported(scenario.name(), kernel.version(), kernel.release(), unsupported.get());
        }
        m = new Machine(scenario.host(), scenario.cgroup());
        ops = kernel.boot(m);
        m.attach(ops);
        mm = new Mm(m);
        random = new SplittableRandom(scenario.seed());
        setup();
        List<StepRecord> steps = new ArrayList<>();
        for (Step step : scenario.steps()) {
            m.step = step.index();
            m.trace.setStep(step.index());
            StepRecord record = runStep(step);
            steps.add(record);
            m.current = null;
            recordSeries(step.index());
            observer.afterStep(step, record, m);
        }
        m.trace.setStep(scenario.steps().size());
        snapshots.put(Outcome.END, snapshot());
        if (m.panic != null) {
            m.trace.count(TracePoints.PANIC, null, "Kernel panic - not syncing: " + m.panic);
        }
        return new Outcome(scenario.name(), kernel.version(), kernel.release(), "ok", null, steps, m.oomKills(),
            snapshots, m.trace.lines(), series, m.trace.events());
    }

    private void recordSeries(int step) {
        for (MemCgroup memcg : m.memcgs()) {
            long[] lru = new long[dev.memcgdiff.mm.lru.Lru.NR_LRU_LISTS];
            for (int l = 0; l < lru.length; l++) {
                lru[l] = memcg.lruSize(l);
            }
            long usage = memcg.isRoot() ? m.pages.count() - m.freePages() : memcg.memory.usage();
            long limit = memcg.isRoot() ? m.pages.count() : memcg.memory.max();
            series.computeIfAbsent(memcg.path(), k -> new ArrayList<>())
                .add(new SeriesPoint(step, usage, limit, memcg.stat(dev.memcgdiff.mm.memcg.MemcgStat.SWAP), lru));
        }
    }

    private void setup() {
        m.site = dev.memcgdiff.mm.CallSite.KNOB_WRITE;
        for (CgroupSpec cs : scenario.cgroups()) {
            MemCgroup memcg = m.createMemcg(cs.path(), m.memcg(cs.parentPath()));
            for (Knob knob : cs.knobs()) {
                KnobWrite r = ops.files().write(memcg, knob);
                if (r != KnobWrite.OK) {
                    m.trace.count(TracePoints.CGROUP_WRITE, memcg, "echo " + knob.raw() + " > " + cs.path() + "/" + knob.name() + ": " + r.result());
                }
            }
        }
        int maxPid = 1;
        for (TaskSpec ts : scenario.tasks()) {
            tasks.put(ts.name(), m.createTask(ts.name(), ts.pid(), ts.uid(), ts.oomScoreAdj(), m.memcg(ts.cgroup())));
            maxPid = Math.max(maxPid, ts.pid());
        }
        if (scenario.steps().stream().anyMatch(s -> s instanceof Step.Host)) {
            tasks.put(HOST_TASK, m.createTask(HOST_TASK, maxPid + 1, 0, 0, m.root()));
        }
    }

    private StepRecord runStep(Step step) {
        String taskName = step.task();
        final Task t = step instanceof Step.Host ? tasks.get(HOST_TASK)
            : taskName == null ? null : tasks.get(taskName);
        if (m.panic != null || (t != null && !t.alive())) {
            return new StepRecord(step.index(), step.op(), taskName, SKIPPED, 0);
        }
        m.current = t;
        if (step instanceof Step.Anon a) {
            return anon(a.index(), a.op(), a.task(), t, a.pages());
        } else if (step instanceof Step.Host h) {
            return anon(h.index(), h.op(), null, t, h.pages());
        } else if (step instanceof Step.Shmem s) {
            CachedFile f = m.files.open(s.file());
            return pageLoop(s, t, s.pages(), n -> mm.shmemWritePage(t, f), false);
        } else if (step instanceof Step.Write w) {
            CachedFile f = m.files.open(w.file());
            return pageLoop(w, t, w.pages(), n -> mm.bufferedWritePage(t, f), false);
        } else if (step instanceof Step.Read r) {
            return read(r, t);
        } else if (step instanceof Step.Mmap mp) {
            return mmap(mp, t);
        } else if (step instanceof Step.Touch tc) {
            return touch(tc, t);
        } else if (step instanceof Step.Free f) {
            return record(f, OK, m.teardown().freeNewestAnon(t, f.pages()));
        } else if (step instanceof Step.Exit e) {
            return exit(e, t);
        } else if (step instanceof Step.Unlink u) {
            return unlink(u);
        } else if (step instanceof Step.Set st) {
            return set(st);
        } else if (step instanceof Step.Move mv) {
            m.moveTask(t, m.memcg(mv.cgroup()));
            return record(mv, OK, 0);
        } else if (step instanceof Step.Snapshot sn) {
            snapshots.put(sn.label(), snapshot());
            return record(sn, OK, 0);
        }
        throw new IllegalStateException("unknown step " + step);
    }

    private StepRecord record(Step s, String result, long pages) {
        return new StepRecord(s.index(), s.op(), s.task(), result, pages);
    }

    /** The per-page body of a step: returns Mm.OK, Mm.ENOMEM or Mm.VM_FAULT_OOM. */
    private interface PageOp {
        int apply(long n);
    }

    /**
     * Run a step page by page. Faults are retried after pagefault_out_of_memory; syscalls stop
     * at the first ENOMEM; a step whose task is killed ends there.
     */
    private StepRecord pageLoop(Step step, Task t, long count, PageOp op, boolean fault) {
        long done = 0;
        for (long n = 0; n < count; n++) {
            long page = n;
            String r = fault ? fault(t, () -> op.apply(page)) : syscall(t, op.apply(page));
            if (!r.equals(OK)) {
                return finish(step, t, r, done);
            }
            done++;
            returnToUser(t);
            if (t.oomVictim) {
                return finish(step, t, KILLED, done);
            }
        }
        return record(step, OK, done);
    }

    private String syscall(Task t, int rc) {
        if (t.oomVictim) {
            return KILLED;
        }
        return rc == Mm.OK ? OK : ENOMEM;
    }

    private String fault(Task t, IntSupplier op) {
        int futile = 0;
        while (true) {
            int kills = m.oomKillCount();
            int rc = op.getAsInt();
            if (t.oomVictim) {
                return KILLED;
            }
            if (rc == Mm.OK) {
                return OK;
            }
            if (m.panic != null) {
                return ENOMEM;
            }
            if (ops.oom().pagefaultOutOfMemory(t) == FaultRetry.STUCK) {
                m.trace.count(TracePoints.TASK_HUNG, t.memcg(), "fault of " + t.comm() + " cannot make progress: task hung");
                return HUNG;
            }
            if (t.oomVictim) {
                return KILLED;
            }
            futile = m.oomKillCount() == kills ? futile + 1 : 0;
            if (futile > FUTILE_RETRIES) {
                m.trace.count(TracePoints.FAULT_LIVELOCK, t.memcg(), "fault of " + t.comm() + " retried with nothing freed: #PF livelock");
                return HUNG;
            }
        }
    }

    private StepRecord finish(Step step, Task t, String result, long done) {
        if (result.equals(KILLED)) {
            OomVictims.reap(m, t);
        }
        return record(step, result, done);
    }

    private StepRecord anon(int index, String op, String taskName, Task t, long count) {
        Step step = scenarioStep(index);
        long done = 0;
        while (done < count) {
            long vpage = t.anonVma.pages();
            int huge = mm.tryHugeAnonFault(t, vpage, count - done);
            if (t.oomVictim) {
                return finish(step, t, KILLED, done);
            }
            if (huge > 0) {
                done += huge;
                continue;
            }
            String r = fault(t, () -> mm.handleAnonFault(t, vpage));
            if (!r.equals(OK)) {
                return finish(step, t, r, done);
            }
            done++;
            returnToUser(t);
            if (t.oomVictim) {
                return finish(step, t, KILLED, done);
            }
        }
        return new StepRecord(index, op, taskName, OK, done);
    }

    private Step scenarioStep(int index) {
        return scenario.steps().get(index);
    }

    private StepRecord read(Step.Read r, Task t) {
        CachedFile f = m.files.open(r.file());
        long end = r.offsetPages() + r.pages();
        return pageLoop(r, t, r.pages(), n -> mm.bufferedReadPage(t, f, r.offsetPages() + n, end), false);
    }

    private StepRecord mmap(Step.Mmap mp, Task t) {
        CachedFile f = m.files.open(mp.file());
        f.sizePages = Math.max(f.sizePages, mp.offsetPages() + mp.pages());
        Vma vma = new Vma(t, f.id(), mp.offsetPages(), mp.pages(), mp.file().endsWith(".so"), false);
        t.addFileVma(vma);
        f.addMapping(vma);
        return pageLoop(mp, t, mp.pages(), n -> mm.filemapFault(t, vma, mp.offsetPages() + n), true);
    }

    private StepRecord touch(Step.Touch tc, Task t) {
        long done = 0;
        for (int pass = 0; pass < tc.passes(); pass++) {
            long[] order = order(tc, t);
            for (long idx : order) {
                String r = touchOne(tc, t, idx);
                if (!r.equals(OK)) {
                    return finish(tc, t, r, done);
                }
                done++;
                returnToUser(t);
                if (t.oomVictim) {
                    return finish(tc, t, KILLED, done);
                }
            }
        }
        return record(tc, OK, done);
    }

    private long[] order(Step.Touch tc, Task t) {
        long limit;
        if (tc.what().kind() == Step.TouchTarget.Kind.ANON) {
            limit = t.anonVma.pages();
        } else {
            CachedFile f = m.files.lookup(tc.what().file());
            limit = f == null ? 0 : f.sizePages;
        }
        int n = (int) Math.min(tc.pages(), limit);
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (tc.pattern() == Step.Pattern.RANDOM) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
        }
        return order;
    }

    private String touchOne(Step.Touch tc, Task t, long idx) {
        if (tc.what().kind() == Step.TouchTarget.Kind.ANON) {
            int e = t.anon.get(idx);
            if (Entry.isPage(e)) {
                t.anonVma.markYoung(idx);
                return OK;
            }
            return fault(t, () -> mm.handleAnonFault(t, idx));
        }
        CachedFile f = m.files.lookup(tc.what().file());
        Vma vma = mappingOf(t, f, idx);
        if (vma != null) {
            if (vma.isPresent(idx)) {
                vma.markYoung(idx);
                return OK;
            }
            return fault(t, () -> mm.filemapFault(t, vma, idx));
        }
        if (f.tmpfs()) {
            int pfn = mm.shmemGetpage(t, f, idx, false, false);
            if (pfn == -2) {
                return syscall(t, Mm.ENOMEM);
            }
            if (pfn >= 0) {
                ops.lru().markPageAccessed(pfn);
            }
            return syscall(t, Mm.OK);
        }
        return syscall(t, mm.bufferedReadPage(t, f, idx, Math.min(f.sizePages, idx + Mm.RA_PAGES)));
    }

    private static Vma mappingOf(Task t, CachedFile f, long idx) {
        for (Vma v : t.fileVmas()) {
            if (v.fileId() == f.id() && v.covers(idx)) {
                return v;
            }
        }
        return null;
    }

    private StepRecord exit(Step.Exit e, Task t) {
        OomVictims.reap(m, t);
        return record(e, OK, 0);
    }

    private StepRecord unlink(Step.Unlink u) {
        CachedFile f = m.files.lookup(u.file());
        if (f != null) {
            m.teardown().truncate(f);
            m.files.unlink(f);
        }
        return record(u, OK, 0);
    }

    private StepRecord set(Step.Set s) {
        m.site = dev.memcgdiff.mm.CallSite.KNOB_WRITE;
        MemCgroup memcg = m.memcg(s.cgroup());
        for (Knob knob : s.knobs()) {
            KnobWrite r = ops.files().write(memcg, knob);
            if (r != KnobWrite.OK) {
                m.trace.count(TracePoints.CGROUP_WRITE, memcg, "echo " + knob.raw() + " > " + s.cgroup() + "/" + knob.name() + ": " + r.result());
                return record(s, r.result(), 0);
            }
        }
        return record(s, OK, 0);
    }

    private Snapshot snapshot() {
        Map<String, CgroupFiles> cgroups = new LinkedHashMap<>();
        for (MemCgroup memcg : m.memcgs()) {
            cgroups.put(memcg.path(), ops.files().read(memcg));
        }
        return new Snapshot(cgroups, HostFiles.meminfo(m), HostFiles.vmstat(m, ops));
    }

    /** The return to user space after a page of a step (the kernels' exit_to_user_mode work). */
    private void returnToUser(Task t) {
        if (t != null) {
            ops.memcg().returnToUser(t);
        }
    }
}
