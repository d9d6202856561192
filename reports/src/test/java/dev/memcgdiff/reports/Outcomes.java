package dev.memcgdiff.reports;

import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.SeriesPoint;
import dev.memcgdiff.outcome.Snapshot;
import dev.memcgdiff.outcome.StepRecord;
import dev.memcgdiff.outcome.TimeSamples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-built outcomes for the renderers' tests: no kernel runs here. */
final class Outcomes {
    private Outcomes() {}

    /** One anon step into /c; the LRU list the page landed on and the kill (if any) vary. */
    static Outcome anon(String kernel, long activeAnon, long inactiveAnon, List<OomKillRecord> kills) {
        Map<String, Long> stat = new LinkedHashMap<>();
        stat.put("rss", 104857600L);
        stat.put("inactive_anon", inactiveAnon);
        stat.put("active_anon", activeAnon);
        CgroupFiles c =
                new CgroupFiles().put("memory.limit_in_bytes", 536870912L).putKeyed("memory.stat", stat);
        Map<String, CgroupFiles> cgroups = new LinkedHashMap<>();
        cgroups.put("/c", c);
        Snapshot end = new Snapshot(cgroups, Map.of("MemTotal", 1048576L), Map.of());
        Map<String, List<SeriesPoint>> series = new LinkedHashMap<>();
        series.put("/c", List.of(new SeriesPoint(0, 25600, 131072, 0, new long[] {0, 25600, 0, 0, 0})));
        return new Outcome(
                "new-anon",
                kernel,
                kernel + ".0-test",
                "ok",
                null,
                List.of(new StepRecord(0, "anon", "t", kills.isEmpty() ? "ok" : "killed", 25600)),
                kills,
                Map.of(Outcome.END, end),
                List.of(),
                series,
                List.of());
    }

    /** The same run on a kernel that also prints memory.stat:shmem (as 4.18 does and 3.10 does not). */
    static Outcome withShmemKey(String kernel, long activeAnon, long inactiveAnon) {
        Outcome o = anon(kernel, activeAnon, inactiveAnon, List.of());
        CgroupFiles c = o.snapshot(Outcome.END).cgroups().get("/c");
        Map<String, Long> stat = new LinkedHashMap<>();
        ((Map<?, ?>) c.files().get("memory.stat")).forEach((k, v) -> stat.put((String) k, (Long) v));
        stat.put("shmem", 0L);
        CgroupFiles copy =
                new CgroupFiles().put("memory.limit_in_bytes", 536870912L).putKeyed("memory.stat", stat);
        Map<String, CgroupFiles> cgroups = new LinkedHashMap<>();
        cgroups.put("/c", copy);
        return new Outcome(
                o.scenario(),
                kernel,
                o.release(),
                "ok",
                null,
                o.steps(),
                o.oomKills(),
                Map.of(Outcome.END, new Snapshot(cgroups, Map.of("MemTotal", 1048576L), Map.of())),
                List.of(),
                o.series(),
                List.of());
    }

    /**
     * A run over time: java in /pod (limit 100 pages) faults for 50 ms (step 0), then step 1 until
     * {@code end}; usage climbs one page a ms up to the limit, sampled every ms, and with
     * {@code killAt} > 0 java is OOM-killed then and step 1 ends killed. /other is sampled too.
     */
    static Outcome timed(String kernel, long end, long killAt) {
        long ms = 1_000_000L;
        List<String> cgroups = List.of("/", "/pod", "/other");
        List<TimeSamples.Sample> samples = new ArrayList<>();
        samples.add(sample(0, TimeSamples.Kind.START, 0));
        for (long t = ms; t < end; t += ms) {
            if (t == 50 * ms) {
                samples.add(sample(t, TimeSamples.Kind.END, 0));
                samples.add(sample(t, TimeSamples.Kind.START, 1));
            }
            samples.add(sample(t, TimeSamples.Kind.TICK, t < 50 * ms ? 0 : 1));
            if (t == killAt) {
                samples.add(sample(t, TimeSamples.Kind.KILL, 1));
            }
        }
        samples.add(sample(end, TimeSamples.Kind.END, 1));
        List<TimeSamples.Kill> kills =
                killAt > 0 ? List.of(new TimeSamples.Kill(killAt, 1, "java", 7093, "/pod", "/pod")) : List.of();
        List<OomKillRecord> records = killAt > 0 ? List.of(kill("java", "Killed process 7093 (java)")) : List.of();
        return new Outcome(
                "timed",
                kernel,
                kernel + ".0-test",
                "ok",
                null,
                List.of(
                        new StepRecord(0, "anon", "java", "ok", 50, 0, 50 * ms, List.of()),
                        new StepRecord(1, "anon", "java", killAt > 0 ? "killed" : "ok", 50, 50 * ms, end, List.of())),
                records,
                Map.of(),
                List.of(),
                Map.of(),
                List.of(),
                new TimeSamples(cgroups, samples, kills, ms));
    }

    /** Usage (pages) = ms since the start, at most 100; the host's limit 1000, /pod's 100, /other none. */
    private static TimeSamples.Sample sample(long t, TimeSamples.Kind kind, int step) {
        long usage = Math.min(100, t / 1_000_000L);
        long[] v = new long[3 * TimeSamples.FIELDS];
        long[][] byCgroup = {
            {usage, 1000, 0, 0, 0, 0, usage, 0, 0},
            {usage, 100, 0, 0, 0, 0, usage, 0, 0},
            {0, PageCounter.MAX, 0, 0, 0, 0, 0, 0, 0}
        };
        for (int c = 0; c < 3; c++) {
            System.arraycopy(byCgroup[c], 0, v, c * TimeSamples.FIELDS, TimeSamples.FIELDS);
        }
        return new TimeSamples.Sample(t, kind, step, v);
    }

    static Outcome unsupported(String kernel) {
        return Outcome.unsupported("new-anon", kernel, kernel + ".0-test", "cgroup v2: not in " + kernel);
    }

    static OomKillRecord kill(String victim, String killLine) {
        return new OomKillRecord(
                0,
                victim,
                1000,
                "/c",
                "/c",
                "CONSTRAINT_MEMCG",
                "memory",
                10,
                100,
                List.of(
                        victim + " invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), order=0, oom_score_adj=0",
                        killLine));
    }
}
