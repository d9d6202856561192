package dev.memcgdiff.outcome;

import dev.memcgdiff.mm.oom.OomKillRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON contract other tools read: {"scenario": NAME, "kernels": {VERSION: {...}}}, each
 * kernel object with status, reason, steps, oom_kills, snapshots and trace.
 */
public final class JsonOutcome {
    private JsonOutcome() {}

    /** One scenario's outcomes on several kernels, in the order given. */
    public static Map<String, Object> scenario(String name, List<Outcome> outcomes, boolean withTrace) {
        Map<String, Object> kernels = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            kernels.put(o.kernel(), kernel(o, withTrace));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("scenario", name);
        root.put("kernels", kernels);
        return root;
    }

    public static Map<String, Object> kernel(Outcome o, boolean withTrace) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("status", o.status());
        k.put("reason", o.reason());
        k.put("release", o.release());
        List<Object> steps = new ArrayList<>();
        for (StepRecord s : o.steps()) {
            steps.add(step(s));
        }
        k.put("steps", steps);
        List<Object> kills = new ArrayList<>();
        for (OomKillRecord kill : o.oomKills()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", kill.step());
            m.put("victim", kill.victim());
            m.put("pid", kill.pid());
            m.put("oom_memcg", kill.oomMemcg());
            m.put("task_memcg", kill.taskMemcg());
            m.put("constraint", kill.constraint());
            m.put("limit", kill.limit());
            m.put("points", kill.points());
            m.put("totalpages", kill.totalPages());
            m.put("dmesg", kill.report());
            kills.add(m);
        }
        k.put("oom_kills", kills);
        Map<String, Object> snaps = new LinkedHashMap<>();
        for (Map.Entry<String, Snapshot> e : o.snapshots().entrySet()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("time", e.getValue().timeNs());
            Map<String, Object> cgroups = new LinkedHashMap<>();
            e.getValue().cgroups().forEach((path, files) -> cgroups.put(path, files.files()));
            s.put("cgroups", cgroups);
            s.put("meminfo", e.getValue().meminfo());
            s.put("vmstat", e.getValue().vmstat());
            if (!e.getValue().procFiles().isEmpty()) {
                s.put("proc", e.getValue().procFiles());
            }
            snaps.put(e.getKey(), s);
        }
        k.put("snapshots", snaps);
        k.put("trace", withTrace ? o.trace() : List.of());
        return k;
    }

    /** A step: index, op, task, result, pages, start and end (ns of the simulated clock), inner steps. */
    private static Map<String, Object> step(StepRecord s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", s.index());
        m.put("op", s.op());
        m.put("task", s.task());
        m.put("result", s.result());
        m.put("pages", s.pages());
        m.put("start", s.startNs());
        m.put("end", s.endNs());
        if (!s.inner().isEmpty()) {
            List<Object> inner = new ArrayList<>();
            for (StepRecord i : s.inner()) {
                inner.add(step(i));
            }
            m.put("inner", inner);
        }
        return m;
    }
}
