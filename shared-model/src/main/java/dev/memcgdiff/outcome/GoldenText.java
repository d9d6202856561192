package dev.memcgdiff.outcome;

import dev.memcgdiff.mm.oom.OomKillRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The canonical text form of an outcome, as golden files hold it: one fact per line, in a fixed
 * order, in the kernel's own vocabulary (cgroup file names, memory.stat keys, bytes as printed).
 */
public final class GoldenText {
    private GoldenText() {}

    public static String render(Outcome o) {
        return String.join("\n", lines(o)) + "\n";
    }

    public static List<String> lines(Outcome o) {
        List<String> out = new ArrayList<>();
        out.add("scenario: " + o.scenario());
        out.add("kernel: " + o.kernel() + " (" + o.release() + ")");
        out.add("status: " + o.status() + (o.reason() == null ? "" : " (" + o.reason() + ")"));
        for (StepRecord s : o.steps()) {
            out.add(step("step " + s.index(), s));
            for (int i = 0; i < s.inner().size(); i++) {
                out.add(step("step " + s.index() + "." + i, s.inner().get(i)));
            }
        }
        for (int i = 0; i < o.oomKills().size(); i++) {
            OomKillRecord k = o.oomKills().get(i);
            out.add("oom_kill " + i + ": step=" + k.step() + " victim=" + k.victim() + " pid=" + k.pid()
                    + " constraint=" + k.constraint() + " oom_memcg=" + (k.oomMemcg() == null ? "-" : k.oomMemcg())
                    + " task_memcg=" + k.taskMemcg() + " limit=" + k.limit() + " points=" + k.points()
                    + " totalpages=" + k.totalPages());
            for (String line : k.report()) {
                out.add("oom_kill " + i + " dmesg: " + line);
            }
        }
        for (Map.Entry<String, Snapshot> e : o.snapshots().entrySet()) {
            snapshot(out, e.getKey(), e.getValue());
        }
        for (String t : o.trace()) {
            out.add("trace " + t);
        }
        return out;
    }

    /** {@code step N op task: result pages=P start=S end=E}, times in ns of the simulated clock. */
    private static String step(String name, StepRecord s) {
        return name + " " + s.op() + (s.task() == null ? "" : " " + s.task()) + ": " + s.result()
                + (s.pages() > 0 ? " pages=" + s.pages() : "") + " start=" + s.startNs() + " end=" + s.endNs();
    }

    private static void snapshot(List<String> out, String label, Snapshot s) {
        String prefix = "snapshot " + label + " ";
        out.add(prefix + "time = " + s.timeNs());
        for (Map.Entry<String, CgroupFiles> cg : s.cgroups().entrySet()) {
            for (Map.Entry<String, Object> f : cg.getValue().files().entrySet()) {
                if (f.getValue() instanceof Map<?, ?> keyed) {
                    for (Map.Entry<?, ?> kv : keyed.entrySet()) {
                        out.add(prefix + cg.getKey() + " " + f.getKey() + ":" + kv.getKey() + " = " + kv.getValue());
                    }
                } else {
                    out.add(prefix + cg.getKey() + " " + f.getKey() + " = " + f.getValue());
                }
            }
        }
        s.meminfo().forEach((k, v) -> out.add(prefix + "/proc/meminfo:" + k + " = " + v));
        s.vmstat().forEach((k, v) -> out.add(prefix + "/proc/vmstat:" + k + " = " + v));
        s.procFiles().forEach((file, v) -> {
            if (v instanceof Map<?, ?> lines) {
                lines.forEach((k, line) -> out.add(prefix + file + ":" + k + " = " + line));
            } else {
                out.add(prefix + file + " = " + v);
            }
        });
    }
}
