package dev.memcgdiff.run;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.outcome.TimeSamples;
import dev.memcgdiff.outcome.TimeSamples.Field;
import dev.memcgdiff.outcome.TimeSamples.Kind;
import dev.memcgdiff.outcome.TimeSamples.Sample;
import dev.memcgdiff.scenario.CgroupSpec;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.Step;
import dev.memcgdiff.scenario.TaskSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Samples the key cgroups of a run on the simulated clock, for the report's charts over time
 * ({@link TimeSamples}). It only reads the machine, so a sampled run has the same outcome as an
 * unsampled one; only runs that ask for it ({@link Runner#runSampled}) have one.
 *
 * <p>The rule, the same on every run: a sample at every step's start and end and at every OOM kill
 * (as the kill is recorded), and a periodic one from a clock event at every multiple of the
 * interval, which starts at {@value #FIRST_INTERVAL_NS} ns. When {@value #MAX_TICKS} periodic
 * samples are held, the interval doubles and the periodic samples that are not at a multiple of
 * the new interval are dropped (every other one); step and kill samples are always kept. So a run
 * holds at most {@value #MAX_TICKS} periodic samples whatever its length, at most twice as far
 * apart as a run half as long.
 *
 * <p>The key cgroups are the host ("/"), every cgroup a task is in (at the start or after a
 * {@code move}), and every cgroup whose memory is limited or protected by a knob (in the tree or a
 * {@code set} step): the containers a reader asks about, not the slices that only group them.
 *
 * <p>In a {@code together} step the tasks run ahead of one another by up to a page's time, so a
 * sample (taken when the first task passes its time) may miss the work another task does at an
 * earlier time just after it; samples are put in time order at the end.
 */
public final class TimeSampler {
    /** The first periodic interval: 1 ms. */
    public static final long FIRST_INTERVAL_NS = 1_000_000;
    /** Periodic samples held before the interval doubles. */
    public static final int MAX_TICKS = 2000;

    /** Knobs that limit or protect a cgroup's memory (v1 and v2 names). */
    private static final Set<String> LIMIT_KNOBS = Set.of(
            "memory.limit_in_bytes",
            "memory.memsw.limit_in_bytes",
            "memory.soft_limit_in_bytes",
            "memory.max",
            "memory.high",
            "memory.swap.max",
            "memory.swap.high",
            "memory.min",
            "memory.low");

    private final Machine m;
    private final List<MemCgroup> cgroups;
    private final long firstInterval;
    private final int maxTicks;
    private final List<Sample> samples = new ArrayList<>();
    private final List<TimeSamples.Kill> kills = new ArrayList<>();
    private long interval;
    private int ticks;

    private TimeSampler(Machine m, List<MemCgroup> cgroups, long firstInterval, int maxTicks) {
        this.m = m;
        this.cgroups = List.copyOf(cgroups);
        this.firstInterval = firstInterval;
        this.maxTicks = maxTicks;
        this.interval = firstInterval;
    }

    /** Start sampling a booted, set-up machine: the first periodic event is queued at one interval. */
    public static TimeSampler attach(Machine m, Scenario s) {
        return attach(m, keyCgroups(s), FIRST_INTERVAL_NS, MAX_TICKS);
    }

    /** As {@link #attach(Machine, Scenario)} with the cgroups, first interval and bound given (tests). */
    static TimeSampler attach(Machine m, Set<String> keyPaths, long firstInterval, int maxTicks) {
        if (firstInterval <= 0 || maxTicks < 2) {
            throw new IllegalArgumentException("interval " + firstInterval + ", bound " + maxTicks);
        }
        List<MemCgroup> key = new ArrayList<>();
        for (MemCgroup memcg : m.memcgs()) {
            if (memcg.isRoot() || keyPaths.contains(memcg.path())) {
                key.add(memcg);
            }
        }
        TimeSampler sampler = new TimeSampler(m, key, firstInterval, maxTicks);
        m.onKill = sampler::kill;
        sampler.schedule(firstInterval);
        return sampler;
    }

    /** The key cgroups of a scenario (the host is always one). */
    static Set<String> keyCgroups(Scenario s) {
        Set<String> key = new HashSet<>();
        key.add("/");
        for (TaskSpec t : s.tasks()) {
            key.add(t.cgroup());
        }
        for (CgroupSpec c : s.cgroups()) {
            if (limits(c.knobs())) {
                key.add(c.path());
            }
        }
        for (Step step : s.steps()) {
            if (step instanceof Step.Move mv) {
                key.add(mv.cgroup());
            } else if (step instanceof Step.Set st && limits(st.knobs())) {
                key.add(st.cgroup());
            }
        }
        return key;
    }

    private static boolean limits(List<Knob> knobs) {
        return knobs.stream().anyMatch(k -> LIMIT_KNOBS.contains(k.name()));
    }

    /** A step is about to run. */
    public void stepStart(int step) {
        take(Kind.START, m.clock.now(), step);
    }

    /** A step has ended. */
    public void stepEnd(int step) {
        take(Kind.END, m.clock.now(), step);
    }

    /** Machine.recordKill's observer: the kill at the clock's time, and a sample then. */
    private void kill(OomKillRecord k) {
        long now = m.clock.now();
        kills.add(new TimeSamples.Kill(now, k.step(), k.victim(), k.pid(), k.taskMemcg(), k.oomMemcg()));
        take(Kind.KILL, now, k.step());
    }

    private void schedule(long at) {
        m.clock.at(at, now -> tick(at));
    }

    /** The periodic event, at a multiple of the interval (its own time, whatever the task clocks say). */
    private void tick(long at) {
        take(Kind.TICK, at, m.step);
        ticks++;
        if (ticks >= maxTicks) {
            thin();
        }
        schedule((at / interval + 1) * interval);
    }

    /** Double the interval and keep the periodic samples at its multiples. */
    private void thin() {
        interval *= 2;
        samples.removeIf(s -> s.kind() == Kind.TICK && s.time() % interval != 0);
        ticks = (int) samples.stream().filter(s -> s.kind() == Kind.TICK).count();
    }

    private void take(Kind kind, long time, int step) {
        long[] v = new long[cgroups.size() * TimeSamples.FIELDS];
        for (int c = 0; c < cgroups.size(); c++) {
            MemCgroup memcg = cgroups.get(c);
            int o = c * TimeSamples.FIELDS;
            if (memcg.isRoot()) {
                host(v, o);
            } else {
                memcg(memcg, v, o);
            }
        }
        samples.add(new Sample(time, kind, step, v));
    }

    /** The whole machine: RAM in use of MemTotal, swap slots in use, the LRU lists, dirty and writeback. */
    private void host(long[] v, int o) {
        long total = m.pages.count();
        v[o + Field.USAGE.ordinal()] = total - m.freePages();
        v[o + Field.LIMIT.ordinal()] = total;
        v[o + Field.SWAP.ordinal()] = m.swap.slots() - m.swap.free();
        v[o + Field.DIRTY.ordinal()] = m.writeback().nrDirty();
        v[o + Field.WRITEBACK.ordinal()] = m.writeback().nrWriteback();
        for (MemCgroup memcg : m.memcgs()) {
            lru(memcg, v, o);
        }
    }

    /** A memcg's hierarchy, as its usage counts it (a v1 memcg without use_hierarchy: itself only). */
    private void memcg(MemCgroup memcg, long[] v, int o) {
        v[o + Field.USAGE.ordinal()] = memcg.memory.usage();
        v[o + Field.LIMIT.ordinal()] = memcg.memory.max();
        for (MemCgroup c : memcg.hierarchy()) {
            v[o + Field.SWAP.ordinal()] += c.stat(MemcgStat.SWAP);
            v[o + Field.DIRTY.ordinal()] += c.stat(MemcgStat.DIRTY);
            v[o + Field.WRITEBACK.ordinal()] += c.stat(MemcgStat.WRITEBACK);
            lru(c, v, o);
        }
    }

    private static void lru(MemCgroup memcg, long[] v, int o) {
        v[o + Field.INACTIVE_ANON.ordinal()] += memcg.lruSize(Lru.INACTIVE_ANON);
        v[o + Field.ACTIVE_ANON.ordinal()] += memcg.lruSize(Lru.ACTIVE_ANON);
        v[o + Field.INACTIVE_FILE.ordinal()] += memcg.lruSize(Lru.INACTIVE_FILE);
        v[o + Field.ACTIVE_FILE.ordinal()] += memcg.lruSize(Lru.ACTIVE_FILE);
    }

    /** What was sampled, in time order (a stable sort: samples at one time stay in the order taken). */
    public TimeSamples samples() {
        List<Sample> sorted = new ArrayList<>(samples);
        sorted.sort(Comparator.comparingLong(Sample::time));
        List<TimeSamples.Kill> k = new ArrayList<>(kills);
        k.sort(Comparator.comparingLong(TimeSamples.Kill::time));
        return new TimeSamples(cgroups.stream().map(MemCgroup::path).toList(), sorted, k, interval);
    }

    /** The interval now (tests). */
    long interval() {
        return interval;
    }
}
