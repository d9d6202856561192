package dev.memcgdiff.expect;

import dev.memcgdiff.expect.ExpectationResult.Verdict;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.Snapshot;
import dev.memcgdiff.scenario.Expectation;
import dev.memcgdiff.scenario.Expectation.Observable;
import dev.memcgdiff.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a scenario's hand-written expectations against one kernel's outcome. {@code all}
 * expectations apply to every kernel that runs the scenario; a kernel's own key applies to it.
 * /proc/meminfo values (printed in kB) are compared in bytes, so sizes such as 1G mean bytes
 * everywhere. Times ({@code step N elapsed}, {@code time@LABEL}) are nanoseconds of the simulated
 * clock.
 */
public final class ExpectationChecker {
    private static final String MEMORY_PRESSURE = "memory.pressure";
    private static final String PROC_PRESSURE = "/proc/pressure/memory";

    private ExpectationChecker() {}

    /** The expectations that concern this kernel, checked in file order. */
    public static List<ExpectationResult> check(Scenario scenario, Outcome outcome) {
        List<ExpectationResult> out = new ArrayList<>();
        for (Expectation e : scenario.expectations()) {
            if (e.kernel().equals("all") || e.kernel().equals(outcome.kernel())) {
                out.add(check(e, outcome));
            }
        }
        return out;
    }

    /** The open known gaps among this kernel's results: what the model is known not to reproduce yet. */
    public static List<ExpectationResult> knownGaps(Scenario scenario, Outcome outcome) {
        return check(scenario, outcome).stream()
                .filter(ExpectationResult::knownGap)
                .toList();
    }

    /**
     * One expectation on one outcome. A known-gap marker turns a failure into an open known gap
     * and a pass into a closed one (a failure until the marker goes); not applicable stays so.
     */
    static ExpectationResult check(Expectation e, Outcome o) {
        ExpectationResult r = checkPlain(e, o);
        if (!e.isKnownGap() || r.verdict() == Verdict.NOT_APPLICABLE) {
            return r;
        }
        Verdict v = r.verdict() == Verdict.PASSED ? Verdict.GAP_CLOSED : Verdict.KNOWN_GAP;
        return new ExpectationResult(e, r.kernel(), v, r.observed(), r.where());
    }

    private static ExpectationResult checkPlain(Expectation e, Outcome o) {
        if (e.lhs() instanceof Observable.Unsupported) {
            return result(
                    e, o, !o.supported(), o.status() + (o.reason() == null ? "" : " (" + o.reason() + ")"), "status");
        }
        if (!o.supported()) {
            Verdict v = e.kernel().equals("all") ? Verdict.NOT_APPLICABLE : Verdict.FAILED;
            return new ExpectationResult(e, o.kernel(), v, "unsupported (" + o.reason() + ")", "status");
        }
        Observed seen = observe(e.lhs(), o);
        if (seen.value == null) {
            return new ExpectationResult(e, o.kernel(), Verdict.FAILED, seen.absent, seen.where);
        }
        if (e.value().isObservable()) {
            Observed other = observe(e.value().observable(), o);
            String observed = seen.value + " vs " + (other.value == null ? other.absent : other.value);
            String where = seen.where + " vs " + other.where;
            boolean ok = other.value != null && compare(e, seen.value, other.value);
            return result(e, o, ok, observed, where);
        }
        return result(e, o, compare(e, seen.value), String.valueOf(seen.value), seen.where);
    }

    private static ExpectationResult result(Expectation e, Outcome o, boolean ok, String observed, String where) {
        return new ExpectationResult(e, o.kernel(), ok ? Verdict.PASSED : Verdict.FAILED, observed, where);
    }

    /** A value seen (null when there is none), where it was read, and what to show when there is none. */
    private record Observed(Object value, String where, String absent) {
        Observed(Object value, String where) {
            this(value, where, "nothing");
        }
    }

    private static Observed observe(Observable lhs, Outcome o) {
        if (lhs instanceof Observable.Kills) {
            return new Observed((long) o.oomKills().size(), "oom kills");
        }
        if (lhs instanceof Observable.Kill k) {
            if (k.n() >= o.oomKills().size()) {
                return new Observed(
                        null,
                        "oom kill " + k.n() + " (there were " + o.oomKills().size() + ")");
            }
            OomKillRecord kill = o.oomKills().get(k.n());
            Object v = switch (k.field()) {
                case "victim" -> kill.victim();
                case "pid" -> (long) kill.pid();
                case "oom_memcg" -> kill.oomMemcg() == null ? "global" : kill.oomMemcg();
                case "task_memcg" -> kill.taskMemcg();
                case "constraint" -> kill.constraint();
                case "limit" -> kill.limit();
                case "step" -> (long) kill.step();
                default -> null;
            };
            return new Observed(v, "oom kill " + k.n() + " " + k.field());
        }
        if (lhs instanceof Observable.StepResult s) {
            if (s.n() >= o.steps().size()) {
                return new Observed(null, "step " + s.n());
            }
            return new Observed(o.steps().get(s.n()).result(), "step " + s.n());
        }
        if (lhs instanceof Observable.CgroupFile f) {
            String label = f.label() == null ? Outcome.END : f.label();
            String where =
                    "snapshot " + label + ", " + f.cgroup() + " " + f.file() + (f.key() == null ? "" : ":" + f.key());
            Snapshot snap = o.snapshot(label);
            CgroupFiles files = snap == null ? null : snap.cgroups().get(f.cgroup());
            Object v = files == null ? null : files.files().get(f.file());
            if (f.file().equals(MEMORY_PRESSURE)) {
                return pressure(v, f.key(), where, "no memory.pressure: the kernel has no PSI");
            }
            if (f.key() != null) {
                v = v instanceof Map<?, ?> keyed ? keyed.get(f.key()) : null;
            }
            return new Observed(v, where);
        }
        if (lhs instanceof Observable.HostFile h) {
            String label = h.label() == null ? Outcome.END : h.label();
            Snapshot snap = o.snapshot(label);
            String where = "snapshot " + label + ", " + h.file() + ":" + h.key();
            if (snap == null) {
                return new Observed(null, where);
            }
            if (h.file().equals(PROC_PRESSURE)) {
                return pressure(snap.procFiles().get(h.file()), h.key(), where, "not recorded");
            }
            if (h.file().equals("/proc/meminfo")) {
                Long kb = snap.meminfo().get(h.key());
                return new Observed(kb == null ? null : kb * 1024, where + " in bytes");
            }
            return new Observed(snap.vmstat().get(h.key()), where);
        }
        if (lhs instanceof Observable.Elapsed el) {
            String where = "step " + el.n() + " elapsed, ns";
            return el.n() < o.steps().size()
                    ? new Observed(o.steps().get(el.n()).elapsedNs(), where)
                    : new Observed(null, where);
        }
        if (lhs instanceof Observable.Time t) {
            String label = t.label() == null ? Outcome.END : t.label();
            Snapshot snap = o.snapshot(label);
            return new Observed(snap == null ? null : snap.timeNs(), "clock at snapshot " + label + ", ns");
        }
        throw new IllegalArgumentException("unknown observable " + lhs);
    }

    /**
     * A field of a pressure file: avgN in hundredths of a percent (the file's 63.18 is 6318), total
     * in microseconds; the word a failed read gives (EOPNOTSUPP with PSI off, ENOENT for no file).
     */
    private static Observed pressure(Object file, String key, String where, String absent) {
        if (file == null) {
            return new Observed(null, where, absent);
        }
        if (file instanceof String word) {
            return new Observed(
                    word,
                    where + (word.equals("ENOENT") ? " (not on this kernel, or PSI off)" : " (PSI is off: psi=0)"));
        }
        String[] lineAndField = key.split("_", 2);
        Object line = file instanceof Map<?, ?> lines ? lines.get(lineAndField[0]) : null;
        String prefix = lineAndField[1] + "=";
        for (String field : String.valueOf(line).split(" ")) {
            if (field.startsWith(prefix)) {
                String value = field.substring(prefix.length());
                if (lineAndField[1].equals("total")) {
                    return new Observed(Long.parseLong(value), where + ", us");
                }
                int dot = value.indexOf('.');
                long hundredths =
                        Long.parseLong(value.substring(0, dot)) * 100 + Long.parseLong(value.substring(dot + 1));
                return new Observed(hundredths, where + ", hundredths of a percent");
            }
        }
        return new Observed(null, where);
    }

    private static boolean compare(Expectation e, Object seen) {
        Expectation.Value want = e.value();
        return compare(e, seen, want.isNumber() ? want.number() : want.raw());
    }

    /** {@code seen OP want}: numerically when both are numbers, else as text (== and != only). */
    private static boolean compare(Expectation e, Object seen, Object want) {
        if (seen instanceof Long seenNumber && want instanceof Long wantNumber) {
            long n = seenNumber;
            long w = wantNumber;
            return switch (e.op()) {
                case EQ -> n == w;
                case NE -> n != w;
                case LT -> n < w;
                case LE -> n <= w;
                case GT -> n > w;
                case GE -> n >= w;
                case APPROX -> Math.abs((double) n - w) <= Math.abs(w) * e.tolerancePct() / 100.0;
            };
        }
        String s = String.valueOf(seen);
        return switch (e.op()) {
            case EQ -> s.equals(String.valueOf(want));
            case NE -> !s.equals(String.valueOf(want));
            default -> false;
        };
    }
}
