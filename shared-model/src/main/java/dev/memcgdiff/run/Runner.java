package dev.memcgdiff.run;

import dev.memcgdiff.kernel.FaultRetry;
import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.mm.CallSite;
import dev.memcgdiff.mm.Costs;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.Mm;
import dev.memcgdiff.mm.TracePoints;
import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgOomWaitq;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.oom.OomVictims;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.task.Vma;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.SeriesPoint;
import dev.memcgdiff.outcome.Snapshot;
import dev.memcgdiff.outcome.StepRecord;
import dev.memcgdiff.outcome.TimeSamples;
import dev.memcgdiff.scenario.CgroupSpec;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.Step;
import dev.memcgdiff.scenario.TaskSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Runs one scenario on one kernel, step by step and page by page, and records the outcome.
 * Deterministic: the only randomness is the scenario's seed, and nothing depends on time or
 * hash order.
 *
 * <p>Steps run in file order, with one exception: a task asleep in the memcg OOM
 * (mem_cgroup_oom_synchronize, {@link MemcgOomWaitq}) runs nothing until it is woken. Its step
 * is held where the fault slept, and its later steps queue behind it while the other tasks'
 * steps go on. Right after the step during which it was woken (tasks woken in one step in the
 * order they were woken), it retries the fault, finishes the held step and runs its queued steps
 * in file order, then the file goes on. Inside a {@code together} a task woken by another of its
 * tasks continues there from the time it was woken. A task still asleep when the file ends has
 * its held step {@code hung} and its queued steps {@code not-run}.
 */
public final class Runner {
    /** The comm of the process that `host` steps run as, in the root cgroup. */
    public static final String HOST_TASK = "host-alloc";

    private static final String OK = "ok";
    private static final String ENOMEM = "enomem";
    private static final String KILLED = "killed";
    private static final String SKIPPED = "skipped";
    /** A fault that would be retried forever (a task asleep in the memcg OOM until the end, or a #PF livelock). */
    private static final String HUNG = "hung";
    /** A step of a task that was asleep in the memcg OOM from an earlier step until the end of the run. */
    private static final String NOT_RUN = "not-run";
    /**
     * A step whose task sleeps in the memcg OOM, not yet over: only the observer sees it; by the
     * end of the run every such step has its result.
     */
    private static final String ASLEEP = "asleep";
    /** Retries of a failing fault that changed nothing before the model calls it hung. */
    private static final int FUTILE_RETRIES = 2;

    /** Sees the machine after every step: for invariant checks in tests, never for outcomes. */
    @FunctionalInterface
    public interface StepObserver {
        void afterStep(Step step, StepRecord record, Machine machine);
    }

    private static final StepObserver NONE = (step, record, machine) -> {};

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
    /** Every step's record, by index; a held or queued step's is set when it ends. */
    private StepRecord[] records;
    /** What each task asleep in the memcg OOM owes, in the order the tasks fell asleep. */
    private final Map<Task, Owed> owed = new LinkedHashMap<>();
    /** The file step being run (the steps of a woken task run inside it). */
    private int fileStep;

    /** A step (or a together's inner step) queued behind its task's sleep, and where its record goes. */
    private record Work(Step step, long queuedAt, Consumer<StepRecord> done) {}

    /**
     * What a task asleep in the memcg OOM owes: the run it sleeps in (held), that step's start and
     * where its record goes, and its steps queued behind it.
     */
    private static final class Owed {
        StepRun held;
        long start;
        Consumer<StepRecord> done;
        final ArrayDeque<Work> queued = new ArrayDeque<>();
    }

    /** Samples over time for the report's charts, when asked for (runSampled); else null. */
    private TimeSampler sampler;

    private boolean sampled;

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

    /** Run and sample the key cgroups on the clock for the report's charts (Outcome.samples; same outcome otherwise). */
    public static Outcome runSampled(Scenario scenario, Kernel kernel) {
        Runner r = new Runner(scenario, kernel, NONE);
        r.sampled = true;
        return r.run();
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
        sampler = sampled ? TimeSampler.attach(m, scenario) : null;
        records = new StepRecord[scenario.steps().size()];
        for (Step step : scenario.steps()) {
            fileStep = step.index();
            enter(fileStep);
            if (sampler != null) {
                sampler.stepStart(step.index());
            }
            runFileStep(step);
            if (sampler != null) {
                sampler.stepEnd(step.index());
            }
            m.current = null;
            resumeWoken();
            recordSeries(step.index());
            observer.afterStep(step, provisional(step.index()), m);
        }
        endOwed();
        List<StepRecord> steps = Arrays.asList(records);
        m.trace.setStep(scenario.steps().size());
        snapshots.put(Outcome.END, snapshot());
        if (m.panic != null) {
            m.trace.count(TracePoints.PANIC, null, "Kernel panic - not syncing: " + m.panic);
        }
        return new Outcome(
                scenario.name(),
                kernel.version(),
                kernel.release(),
                "ok",
                null,
                steps,
                m.oomKills(),
                snapshots,
                m.trace.lines(),
                series,
                m.trace.events(),
                sampler == null ? TimeSamples.NONE : sampler.samples());
    }

    private void recordSeries(int step) {
        for (MemCgroup memcg : m.memcgs()) {
            long[] lru = new long[Lru.NR_LRU_LISTS];
            for (int l = 0; l < lru.length; l++) {
                lru[l] = memcg.lruSize(l);
            }
            long usage = memcg.isRoot() ? m.pages.count() - m.freePages() : memcg.memory.usage();
            long limit = memcg.isRoot() ? m.pages.count() : memcg.memory.max();
            series.computeIfAbsent(memcg.path(), k -> new ArrayList<>())
                    .add(new SeriesPoint(step, usage, limit, memcg.stat(MemcgStat.SWAP), lru));
        }
    }

    private void setup() {
        m.site = CallSite.KNOB_WRITE;
        for (CgroupSpec cs : scenario.cgroups()) {
            MemCgroup memcg = m.createMemcg(cs.path(), m.memcg(cs.parentPath()));
            for (Knob knob : cs.knobs()) {
                KnobWrite r = ops.files().write(memcg, knob);
                if (r != KnobWrite.OK) {
                    m.trace.count(
                            TracePoints.CGROUP_WRITE,
                            memcg,
                            "echo " + knob.raw() + " > " + cs.path() + "/" + knob.name() + ": " + r.result());
                }
            }
        }
        int maxPid = 1;
        for (TaskSpec ts : scenario.tasks()) {
            Task t = m.createTask(ts.name(), ts.pid(), ts.uid(), ts.oomScoreAdj(), m.memcg(ts.cgroup()));
            t.capSysAdmin = ts.caps().contains(TaskSpec.CAP_SYS_ADMIN);
            t.parent = ts.parent() == null ? null : tasks.get(ts.parent());
            tasks.put(ts.name(), t);
            maxPid = Math.max(maxPid, ts.pid());
        }
        if (scenario.steps().stream().anyMatch(s -> s instanceof Step.Host)) {
            Task host = m.createTask(HOST_TASK, maxPid + 1, 0, 0, m.root());
            host.capSysAdmin = true; // the host's own root processes hold every capability
            tasks.put(HOST_TASK, host);
        }
    }

    /** The step whose events and kills follow (m.step and the trace's step). */
    private void enter(int step) {
        m.step = step;
        m.trace.setStep(step);
    }

    private Task taskOf(Step step) {
        if (step instanceof Step.Host) {
            return tasks.get(HOST_TASK);
        }
        return step.task() == null ? null : tasks.get(step.task());
    }

    /** A step in file order: queued behind its task's sleep, a together, or run now. */
    private void runFileStep(Step step) {
        int index = step.index();
        Task t = taskOf(step);
        Owed o = t == null ? null : owed.get(t);
        if (o != null) {
            o.queued.add(new Work(step, m.clock.now(), r -> records[index] = r));
        } else if (step instanceof Step.Together tg) {
            together(tg);
        } else {
            startWork(t, step, r -> records[index] = r);
        }
    }

    /** The record the observer sees for step {@code index}: its own, or a placeholder while it waits. */
    private StepRecord provisional(int index) {
        StepRecord r = records[index];
        if (r != null) {
            return r;
        }
        Step step = scenario.steps().get(index);
        return new StepRecord(index, step.op(), step.task(), ASLEEP, 0);
    }

    /**
     * Start {@code step} of task {@code t} now and run it as far as it goes; {@code done} gets its
     * record when it is over. A step whose task falls asleep in the memcg OOM is held instead.
     */
    private void startWork(Task t, Step step, Consumer<StepRecord> done) {
        long start = m.clock.now();
        if (m.panic != null || (t != null && !t.alive())) {
            done.accept(new StepRecord(step.index(), step.op(), step.task(), SKIPPED, 0, start, start, List.of()));
            return;
        }
        if (step instanceof Step.Sleep sl) {
            m.clock.runUntil(m.clock.now() + sl.nanos());
            done.accept(timed(record(sl, OK, 0), start));
            return;
        }
        m.current = t;
        StepRun run = taskRun(step, t);
        if (run != null) {
            continueRun(run, start, done);
            return;
        }
        StepRecord r;
        if (step instanceof Step.Exit e) {
            r = exit(e, t);
        } else if (step instanceof Step.Unlink u) {
            r = unlink(u);
        } else if (step instanceof Step.Set st) {
            r = set(st);
        } else if (step instanceof Step.Move mv) {
            m.moveTask(t, m.memcg(mv.cgroup()));
            r = record(mv, OK, 0);
        } else if (step instanceof Step.Snapshot sn) {
            snapshots.put(sn.label(), snapshot());
            r = record(sn, OK, 0);
        } else {
            throw new IllegalStateException("unknown step " + step);
        }
        done.accept(timed(r, start));
    }

    /** Run {@code run} until it is over (its record goes to {@code done}) or its task falls asleep (held). */
    private void continueRun(StepRun run, long start, Consumer<StepRecord> done) {
        m.psi().running(run.t, 0, m.clock.now());
        while (!run.finished() && !run.asleep) {
            run.runUnit();
        }
        m.psi().idle(run.t, m.clock.now()); // asleep in the memcg OOM is not a memory stall
        if (run.asleep) {
            hold(run, start, done);
        } else {
            done.accept(timed(run.record(), start));
        }
    }

    /** The task of {@code run} sleeps in the memcg OOM: the run is held until it is woken. */
    private void hold(StepRun run, long start, Consumer<StepRecord> done) {
        Owed o = owed.computeIfAbsent(run.t, k -> new Owed());
        o.held = run;
        o.start = start;
        o.done = done;
    }

    private StepRecord timed(StepRecord r, long start) {
        return new StepRecord(r.index(), r.op(), r.task(), r.result(), r.pages(), start, m.clock.now(), r.inner());
    }

    /**
     * The tasks woken from the memcg OOM during the last step, in the order they were woken: each
     * retries the fault it slept in, finishes that step and runs the steps queued behind it, until
     * it is done or asleep again. Tasks they wake in turn follow.
     */
    private void resumeWoken() {
        MemcgOomWaitq.Woken w;
        while ((w = m.memcgOomWaitq.pollWoken()) != null) {
            Owed o = owed.get(w.task());
            if (o == null || o.held == null) {
                continue;
            }
            Task t = w.task();
            StepRun run = o.held;
            o.held = null;
            enter(run.step.index());
            m.current = t;
            wakeUp(run, w.killed());
            continueRun(run, o.start, o.done);
            observer.afterStep(run.step, provisional(run.step.index()), m);
            while (o.held == null && !o.queued.isEmpty()) {
                Work next = o.queued.poll();
                enter(next.step().index());
                startWork(t, next.step(), next.done());
                m.current = null;
                observer.afterStep(next.step(), provisional(next.step().index()), m);
            }
            if (o.held == null) {
                owed.remove(t);
            }
            m.current = null;
        }
        enter(fileStep);
    }

    /**
     * A held run's task is woken: pagefault_out_of_memory returns and the fault is retried when the
     * run goes on; a task woken by its SIGKILL (or killed since) ends the step killed instead.
     */
    private void wakeUp(StepRun run, boolean killed) {
        run.asleep = false;
        if (killed || run.t.oomVictim || !run.t.alive()) {
            run.stop(KILLED);
            return;
        }
        m.trace.count(
                TracePoints.MEMCG_OOM_RETRY,
                run.t.memcg(),
                "pagefault_out_of_memory: " + run.t.comm() + " woken, the fault is retried");
    }

    /** The end of the run: a task still asleep hangs in its held step; its queued steps never ran. */
    private void endOwed() {
        for (Map.Entry<Task, Owed> e : owed.entrySet()) {
            Task t = e.getKey();
            Owed o = e.getValue();
            if (o.held != null) {
                enter(o.held.step.index());
                m.trace.count(
                        TracePoints.TASK_HUNG,
                        t.memcg(),
                        "fault of " + t.comm() + " asleep in the memcg OOM until the end: task hung");
                o.held.stop(HUNG);
                o.done.accept(timed(o.held.record(), o.start));
            }
            for (Work w : o.queued) {
                Step st = w.step();
                w.done()
                        .accept(new StepRecord(
                                st.index(), st.op(), st.task(), NOT_RUN, 0, w.queuedAt(), w.queuedAt(), List.of()));
            }
        }
        owed.clear();
    }

    /** The steps a task runs page by page (and can run concurrently with others); null for the rest. */
    private StepRun taskRun(Step step, Task t) {
        if (step instanceof Step.Anon a) {
            return new AnonRun(a, t, a.pages());
        } else if (step instanceof Step.Host h) {
            return new AnonRun(h, t, h.pages());
        } else if (step instanceof Step.Shmem s) {
            CachedFile f = m.files.open(s.file());
            return new PageLoopRun(s, t, s.pages(), n -> mm.shmemWritePage(t, f), false);
        } else if (step instanceof Step.Write w) {
            CachedFile f = m.files.open(w.file());
            return new PageLoopRun(w, t, w.pages(), n -> mm.bufferedWritePage(t, f), false);
        } else if (step instanceof Step.Read r) {
            CachedFile f = m.files.open(r.file());
            long end = r.offsetPages() + r.pages();
            return new PageLoopRun(r, t, r.pages(), n -> mm.bufferedReadPage(t, f, r.offsetPages() + n, end), false);
        } else if (step instanceof Step.Mmap mp) {
            CachedFile f = m.files.open(mp.file());
            f.sizePages = Math.max(f.sizePages, mp.offsetPages() + mp.pages());
            Vma vma = new Vma(t, f.id(), mp.offsetPages(), mp.pages(), mp.file().endsWith(".so"), false);
            t.addFileVma(vma);
            f.addMapping(vma);
            return new PageLoopRun(mp, t, mp.pages(), n -> mm.filemapFault(t, vma, mp.offsetPages() + n), true);
        } else if (step instanceof Step.Touch tc) {
            return new TouchRun(tc, t);
        } else if (step instanceof Step.Free f) {
            return new FreeRun(f, t);
        }
        return null;
    }

    /**
     * together: the steps of different tasks run at once, each task on its own CPU with its own
     * time; the task whose time is earliest runs its next page (the first listed on a tie). A paced
     * step ({@code rate}) waits so that it moves no faster than its rate; a task put to sleep
     * (balance_dirty_pages) runs again when it wakes. With more tasks than host.cpus, each page
     * takes longer in proportion (fair time sharing). A task asleep in the memcg OOM takes no part
     * until another task of the together wakes it (it goes on from then); one still asleep when
     * the others are done is held like any step, and so is the inner step of a task that was
     * already asleep. The step ends when the last of its tasks is done.
     */
    private void together(Step.Together tg) {
        long start = m.clock.now();
        int n = tg.steps().size();
        TogetherRecord whole = new TogetherRecord(tg, start);
        StepRun[] runs = new StepRun[n];
        long[] ready = new long[n];
        long[] ended = new long[n];
        for (int i = 0; i < n; i++) {
            Step inner = tg.steps().get(i).step();
            Task t = tasks.get(inner.task());
            ready[i] = start;
            Owed o = owed.get(t);
            if (o != null) {
                int at = i;
                o.queued.add(new Work(inner, start, r -> whole.set(at, r)));
            } else if (m.panic != null || !t.alive()) {
                whole.set(i, new StepRecord(tg.index(), inner.op(), inner.task(), SKIPPED, 0, start, start, List.of()));
            } else {
                runs[i] = taskRun(inner, t);
                m.psi().running(t, i % scenario.host().cpus(), start); // each task on a CPU of its own
            }
        }
        int cpus = scenario.host().cpus();
        m.concurrent = true;
        try {
            while (true) {
                int next = -1;
                int running = 0;
                for (int i = 0; i < n; i++) {
                    if (runs[i] != null && !runs[i].finished() && !runs[i].asleep) {
                        running++;
                        if (next < 0 || ready[i] < ready[next]) {
                            next = i;
                        }
                    }
                }
                if (next < 0) {
                    break;
                }
                StepRun run = runs[next];
                m.clock.setTaskTime(ready[next]);
                m.current = run.t;
                if (m.panic != null) {
                    run.stop(SKIPPED);
                } else {
                    long before = m.clock.now();
                    run.runUnit();
                    long after = m.clock.now();
                    if (running > cpus) {
                        after = before + (after - before) * running / cpus;
                    }
                    long worked = after;
                    long rate = tg.steps().get(next).rateBps();
                    if (rate > 0) {
                        long paced = start + (long) Math.ceil(run.done * 4096.0 * 1e9 / rate);
                        after = Math.max(after, paced);
                    }
                    after = Math.max(after, run.t.sleepUntil);
                    ready[next] = after;
                    m.psi().afterUnit(run.t, worked, after);
                }
                if (run.finished()) {
                    ended[next] = ready[next];
                }
                wakeInTogether(runs, ready, ended);
            }
        } finally {
            m.concurrent = false;
        }
        long end = start;
        for (int i = 0; i < n; i++) {
            if (runs[i] == null) {
                continue;
            }
            m.psi().idle(runs[i].t, runs[i].finished() ? ended[i] : m.clock.now());
            if (runs[i].finished()) {
                StepRecord r = runs[i].record();
                whole.set(
                        i,
                        new StepRecord(r.index(), r.op(), r.task(), r.result(), r.pages(), start, ended[i], List.of()));
                end = Math.max(end, ended[i]);
            }
        }
        // the step ends when its last task does: what falls due until then runs, and the machine's
        // clock reads that end even if a wait inside a page had moved it further
        m.clock.runUntil(end);
        m.clock.setTaskTime(end);
        m.current = null;
        for (int i = 0; i < n; i++) {
            if (runs[i] != null && runs[i].asleep) {
                int at = i;
                hold(runs[i], start, r -> whole.set(at, r));
            }
        }
    }

    /** The tasks of a together that another of its tasks woke from the memcg OOM go on from their wake time. */
    private void wakeInTogether(StepRun[] runs, long[] ready, long[] ended) {
        for (int i = 0; i < runs.length; i++) {
            if (runs[i] == null || !runs[i].asleep) {
                continue;
            }
            MemcgOomWaitq.Woken w = m.memcgOomWaitq.takeWoken(runs[i].t);
            if (w == null) {
                continue;
            }
            ready[i] = Math.max(ready[i], w.at());
            wakeUp(runs[i], w.killed());
            if (runs[i].finished()) {
                ended[i] = ready[i];
            }
        }
    }

    /** A together's record, made of its inner steps' records as they come (a held inner step's later). */
    private final class TogetherRecord {
        private final Step.Together tg;
        private final long start;
        private final StepRecord[] inner;

        TogetherRecord(Step.Together tg, long start) {
            this.tg = tg;
            this.start = start;
            this.inner = new StepRecord[tg.steps().size()];
        }

        /** Inner step {@code i} is over: the together's record is remade (final once every inner step is over). */
        void set(int i, StepRecord r) {
            inner[i] = r;
            long end = start;
            long pages = 0;
            StringBuilder results = new StringBuilder();
            List<StepRecord> all = new ArrayList<>();
            for (int k = 0; k < inner.length; k++) {
                StepRecord in = inner[k];
                if (in == null) {
                    Step st = tg.steps().get(k).step();
                    in = new StepRecord(tg.index(), st.op(), st.task(), ASLEEP, 0, start, start, List.of());
                }
                all.add(in);
                end = Math.max(end, in.endNs());
                pages += in.pages();
                if (!in.result().equals(OK)) {
                    results.append(results.length() == 0 ? "" : ",")
                            .append(in.task())
                            .append('=')
                            .append(in.result());
                }
            }
            records[tg.index()] = new StepRecord(
                    tg.index(), tg.op(), null, results.length() == 0 ? OK : results.toString(), pages, start, end, all);
        }
    }

    private StepRecord record(Step s, String result, long pages) {
        return new StepRecord(s.index(), s.op(), s.task(), result, pages);
    }

    /** The per-page body of a step: returns Mm.OK, Mm.ENOMEM or Mm.VM_FAULT_OOM. */
    private interface PageOp {
        int apply(long n);
    }

    /** One task's step, run a unit (a page, or a THP) at a time so that steps can interleave. */
    private abstract class StepRun {
        final Step step;
        final Task t;
        long done;
        /** The task sleeps in the memcg OOM in this run's current unit; the unit is retried once woken. */
        boolean asleep;

        private String result;

        StepRun(Step step, Task t) {
            this.step = step;
            this.t = t;
        }

        boolean finished() {
            return result != null;
        }

        /** Run the next unit; sets the result once the step is over. */
        abstract void runUnit();

        /** The step is over with {@code r}; a killed task's memory goes (the OOM reaper's work). */
        void stop(String r) {
            if (r.equals(KILLED)) {
                OomVictims.reap(m, t);
            }
            result = r;
        }

        /** After a unit that succeeded: the return to user space, then whether the task was killed. */
        void unitDone(long units, boolean last) {
            done += units;
            returnToUser(t);
            if (t.oomVictim) {
                stop(KILLED);
            } else if (last) {
                result = OK;
            }
        }

        StepRecord record() {
            return new StepRecord(step.index(), step.op(), step.task(), result, done);
        }
    }

    /**
     * A step page by page. Faults are retried after pagefault_out_of_memory; syscalls stop at the
     * first ENOMEM; a step whose task is killed ends there.
     */
    private final class PageLoopRun extends StepRun {
        private final long count;
        private final PageOp op;
        private final boolean fault;
        private long n;

        PageLoopRun(Step step, Task t, long count, PageOp op, boolean fault) {
            super(step, t);
            this.count = count;
            this.op = op;
            this.fault = fault;
        }

        @Override
        void runUnit() {
            if (n >= count) {
                stop(OK);
                return;
            }
            long page = n++;
            String r = fault ? fault(t, () -> op.apply(page)) : syscall(t, op.apply(page));
            if (r.equals(ASLEEP)) {
                n = page;
                asleep = true;
                return;
            }
            if (!r.equals(OK)) {
                stop(r);
                return;
            }
            unitDone(1, n >= count);
        }
    }

    /** Anonymous memory: a THP where the kernel would take one, else a 4 KiB fault. */
    private final class AnonRun extends StepRun {
        private final long count;

        AnonRun(Step step, Task t, long count) {
            super(step, t);
            this.count = count;
        }

        @Override
        void runUnit() {
            if (done >= count) {
                stop(OK);
                return;
            }
            long vpage = t.anonVma.pages();
            int huge = mm.tryHugeAnonFault(t, vpage, count - done);
            if (t.oomVictim) {
                stop(KILLED);
                return;
            }
            if (huge > 0) {
                done += huge;
                if (done >= count) {
                    stop(OK);
                }
                return;
            }
            String r = fault(t, () -> mm.handleAnonFault(t, vpage));
            if (r.equals(ASLEEP)) {
                asleep = true;
                return;
            }
            if (!r.equals(OK)) {
                stop(r);
                return;
            }
            unitDone(1, done + 1 >= count);
        }
    }

    /** Re-access: every pass visits the pages in the step's order (random: from the scenario's seed). */
    private final class TouchRun extends StepRun {
        private final Step.Touch tc;
        private int pass;
        private long[] order;
        private int at;

        TouchRun(Step.Touch tc, Task t) {
            super(tc, t);
            this.tc = tc;
        }

        @Override
        void runUnit() {
            while (order == null || at >= order.length) {
                if (pass >= tc.passes()) {
                    stop(OK);
                    return;
                }
                pass++;
                order = order(tc, t);
                at = 0;
            }
            m.clock.spend(Costs.TOUCH_PAGE_NS);
            String r = touchOne(tc, t, order[at++]);
            if (r.equals(ASLEEP)) {
                at--;
                asleep = true;
                return;
            }
            if (!r.equals(OK)) {
                stop(r);
                return;
            }
            unitDone(1, at >= order.length && pass >= tc.passes());
        }
    }

    /** munmap of anonymous memory: one unit. */
    private final class FreeRun extends StepRun {
        private final long pages;

        FreeRun(Step.Free f, Task t) {
            super(f, t);
            this.pages = f.pages();
        }

        @Override
        void runUnit() {
            done = m.teardown().freeNewestAnon(t, pages);
            stop(OK);
        }
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
            FaultRetry retry = ops.oom().pagefaultOutOfMemory(t);
            if (retry == FaultRetry.SLEEP) {
                return ASLEEP;
            }
            if (retry == FaultRetry.STUCK) {
                m.trace.count(
                        TracePoints.TASK_HUNG, t.memcg(), "fault of " + t.comm() + " cannot make progress: task hung");
                return HUNG;
            }
            if (t.oomVictim) {
                return KILLED;
            }
            futile = m.oomKillCount() == kills ? futile + 1 : 0;
            if (futile > FUTILE_RETRIES) {
                m.trace.count(
                        TracePoints.FAULT_LIVELOCK,
                        t.memcg(),
                        "fault of " + t.comm() + " retried with nothing freed: #PF livelock");
                return HUNG;
            }
        }
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
        m.site = CallSite.KNOB_WRITE;
        MemCgroup memcg = m.memcg(s.cgroup());
        for (Knob knob : s.knobs()) {
            KnobWrite r = ops.files().write(memcg, knob);
            if (r != KnobWrite.OK) {
                m.trace.count(
                        TracePoints.CGROUP_WRITE,
                        memcg,
                        "echo " + knob.raw() + " > " + s.cgroup() + "/" + knob.name() + ": " + r.result());
                return record(s, r.result(), 0);
            }
        }
        return record(s, OK, 0);
    }

    private Snapshot snapshot() {
        Map<String, CgroupFiles> cgroups = new LinkedHashMap<>();
        for (MemCgroup memcg : m.memcgs()) {
            cgroups.put(
                    memcg.path(),
                    PressureFiles.memoryPressure(m, memcg, ops.files().read(memcg)));
        }
        return new Snapshot(
                cgroups, HostFiles.meminfo(m), HostFiles.vmstat(m, ops), PressureFiles.proc(m), m.clock.now());
    }

    /** The return to user space after a page of a step (the kernels' exit_to_user_mode work). */
    private void returnToUser(Task t) {
        if (t != null) {
            ops.memcg().returnToUser(t);
        }
    }
}
