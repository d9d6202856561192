package dev.memcgdiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.Snapshot;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scenario harness of every kernel's tests: parse an inline scenario (a text block, in the
 * format of docs/scenario-format.md), run it on a given {@link Kernel}, and read the outcome the
 * way a user reads /sys/fs/cgroup, /proc and the kernel log: snapshot files, step results, OOM
 * reports and trace events by point. What a version's tests need of their own kernel (booting its
 * components to drive one function by hand) stays in that version's {@code Model}; see
 * {@link BootedMachine}.
 *
 * <p>Every reader asserts what it reads: the outcome ran ("ok"), the snapshot exists, the file
 * holds the kind of value asked for, the key is there.
 */
public final class ScenarioHarness {
    public static final long K = 1024;
    public static final long M = 1024 * K;
    public static final long PAGE = 4096;

    private ScenarioHarness() {}

    // ------------------------------------------------------------------ parse and run

    /** The scenario of an inline text; a text that does not parse fails the test. */
    public static Scenario parse(String yaml) {
        try {
            return ScenarioParser.parse("test.yaml", yaml);
        } catch (ScenarioException e) {
            throw new AssertionError("test scenario does not parse: " + e.getMessage(), e);
        }
    }

    /** Run an inline scenario on {@code kernel}. */
    public static Outcome run(String yaml, Kernel kernel) {
        return Runner.run(parse(yaml), kernel);
    }

    // ------------------------------------------------------------------ snapshots

    /** A snapshot of a run that went through ("end" when label is null). */
    public static Snapshot snapshot(Outcome o, String label) {
        assertThat(o.status()).as("outcome status (%s)", o.reason()).isEqualTo("ok");
        Snapshot s = o.snapshot(label);
        assertThat(s).as("snapshot " + label).isNotNull();
        return s;
    }

    /** A cgroup file as printed: a number, a word such as max, or a keyed file. */
    public static Object raw(Outcome o, String label, String cgroup, String file) {
        return snapshot(o, label).cgroups().get(cgroup).files().get(file);
    }

    /** A cgroup file holding one number (bytes or a count), at a snapshot ("end" when label is null). */
    public static long file(Outcome o, String label, String cgroup, String file) {
        Object v = raw(o, label, cgroup, file);
        assertThat(v).as(cgroup + " " + file + " @" + label).isInstanceOf(Long.class);
        return (Long) v;
    }

    /** A keyed file (memory.stat, memory.events, memory.oom_control, ...). */
    @SuppressWarnings("unchecked")
    public static Map<String, Long> keyed(Outcome o, String label, String cgroup, String file) {
        Object v = raw(o, label, cgroup, file);
        assertThat(v).as(cgroup + " " + file + " @" + label).isInstanceOf(Map.class);
        return (Map<String, Long>) v;
    }

    /** One line of a keyed file, e.g. memory.stat:cache. */
    public static long key(Outcome o, String label, String cgroup, String file, String key) {
        Map<String, Long> keyed = keyed(o, label, cgroup, file);
        assertThat(keyed).as(cgroup + " " + file + " @" + label).containsKey(key);
        return keyed.get(key);
    }

    /** A memory.stat line. */
    public static long stat(Outcome o, String label, String cgroup, String key) {
        return key(o, label, cgroup, "memory.stat", key);
    }

    /** A memory.events line. */
    public static long event(Outcome o, String label, String cgroup, String key) {
        return key(o, label, cgroup, "memory.events", key);
    }

    /**
     * A pressure file as read: cgroup v2 memory.pressure of {@code cgroup}, or /proc/pressure/memory
     * when {@code cgroup} is null; its lines ("some", "full": the rest of each line) or the word a
     * failed read gives.
     */
    public static Object pressure(Outcome o, String label, String cgroup) {
        return cgroup == null
                ? snapshot(o, label).procFiles().get("/proc/pressure/memory")
                : raw(o, label, cgroup, "memory.pressure");
    }

    /** The total= of a pressure file's "some" or "full" line, in microseconds. */
    @SuppressWarnings("unchecked")
    public static long pressureTotal(Outcome o, String label, String cgroup, String line) {
        Object file = pressure(o, label, cgroup);
        assertThat(file).as("pressure of " + cgroup + " @" + label).isInstanceOf(Map.class);
        String text = ((Map<String, String>) file).get(line);
        assertThat(text)
                .as(line + " line")
                .matches("avg10=\\d+\\.\\d\\d avg60=\\d+\\.\\d\\d avg300=\\d+\\.\\d\\d total=\\d+");
        return Long.parseLong(text.substring(text.indexOf("total=") + 6));
    }

    /** A /proc/vmstat line. */
    public static long vmstat(Outcome o, String label, String key) {
        Map<String, Long> v = snapshot(o, label).vmstat();
        assertThat(v).as("/proc/vmstat @" + label).containsKey(key);
        return v.get(key);
    }

    /** A /proc/meminfo line (kB). */
    public static long meminfo(Outcome o, String label, String key) {
        Map<String, Long> v = snapshot(o, label).meminfo();
        assertThat(v).as("/proc/meminfo @" + label).containsKey(key);
        return v.get(key);
    }

    // ------------------------------------------------------------------ steps

    /** A step's result (ok, oom-killed, ...). */
    public static String result(Outcome o, int step) {
        return o.steps().get(step).result();
    }

    /** The pages a step did. */
    public static long pages(Outcome o, int step) {
        return o.steps().get(step).pages();
    }

    // ------------------------------------------------------------------ trace events

    /** The events of one trace point in one step (each a distinct text: e.g. one per memcg). */
    public static List<TraceEvent> events(Outcome o, int step, TracePoint point) {
        return o.events(point).stream().filter(e -> e.step() == step).toList();
    }

    /** How many times a trace point's decision was made in one step. */
    public static long times(Outcome o, int step, TracePoint point) {
        return events(o, step, point).stream().mapToLong(TraceEvent::times).sum();
    }

    // ------------------------------------------------------------------ OOM reports

    /** The only OOM kill of the run. */
    public static OomKillRecord onlyKill(Outcome o) {
        assertThat(o.oomKills()).as("OOM kills").hasSize(1);
        return o.oomKills().get(0);
    }

    /** The report line starting with {@code prefix}. */
    public static String line(OomKillRecord k, String prefix) {
        return k.report().stream()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no report line starting with '" + prefix + "' in " + k.report()));
    }

    /** The call trace of a report: the frame names after "Call Trace:", without the leading space. */
    public static List<String> frames(OomKillRecord k) {
        List<String> r = k.report();
        int at = r.indexOf("Call Trace:");
        assertThat(at).as("Call Trace: in " + r).isNotNegative();
        List<String> out = new ArrayList<>();
        for (int i = at + 1; i < r.size() && r.get(i).startsWith(" "); i++) {
            out.add(r.get(i).substring(1));
        }
        return out;
    }

    /** The number after {@code label} in a report line, up to the next non-digit ("usage 1234kB" → 1234). */
    public static long numberAfter(String line, String label) {
        int at = line.indexOf(label);
        assertThat(at).as("'" + label + "' in: " + line).isNotNegative();
        int from = at + label.length();
        int to = from;
        while (to < line.length() && Character.isDigit(line.charAt(to))) {
            to++;
        }
        return Long.parseLong(line.substring(from, to));
    }
}
