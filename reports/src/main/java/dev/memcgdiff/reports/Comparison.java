package dev.memcgdiff.reports;

import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.Snapshot;
import dev.memcgdiff.outcome.StepRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One scenario's outcomes on several kernels, side by side: every observable as a row with one
 * value per kernel ("-" where a kernel has no such observable), and whether the kernels differ.
 * The CLI's text table, the HTML table and the differences page all render this.
 */
public final class Comparison {
    /** A row: its section (status, steps, oom, a snapshot label), the observable, values by kernel. */
    public record Row(String section, String observable, List<String> values, boolean differs) {
        public Row {
            values = List.copyOf(values);
        }

        /** For each kernel's value, the index of its group of equal values, numbered by first appearance. */
        public List<Integer> groups() {
            List<String> distinct = new ArrayList<>();
            List<Integer> out = new ArrayList<>();
            for (String v : values) {
                int i = distinct.indexOf(v);
                if (i < 0) {
                    distinct.add(v);
                    i = distinct.size() - 1;
                }
                out.add(i);
            }
            return List.copyOf(out);
        }

        /** Which kernels agree, e.g. "3.10 | 4.18 = 5.18": kernels with equal values joined by "=". */
        public String agreement(List<String> kernels) {
            List<Integer> groups = groups();
            int n = groups.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
            List<String> parts = new ArrayList<>();
            for (int g = 0; g < n; g++) {
                List<String> members = new ArrayList<>();
                for (int k = 0; k < groups.size(); k++) {
                    if (groups.get(k) == g) {
                        members.add(kernels.get(k));
                    }
                }
                parts.add(String.join(" = ", members));
            }
            return String.join(" | ", parts);
        }
    }

    public static final String ABSENT = "-";

    private final String scenario;
    private final List<String> kernels;
    private final List<Row> rows;

    private Comparison(String scenario, List<String> kernels, List<Row> rows) {
        this.scenario = scenario;
        this.kernels = List.copyOf(kernels);
        this.rows = List.copyOf(rows);
    }

    public String scenario() {
        return scenario;
    }

    public List<String> kernels() {
        return kernels;
    }

    public List<Row> rows() {
        return rows;
    }

    public List<Row> differing() {
        return rows.stream().filter(Row::differs).toList();
    }

    /** Compare outcomes of one scenario; kernels appear in the order given. */
    public static Comparison of(List<Outcome> outcomes) {
        List<String> kernels = new ArrayList<>();
        List<Map<String, String>> facts = new ArrayList<>();
        Map<String, String> sectionOf = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            kernels.add(o.kernel());
            facts.add(facts(o, sectionOf));
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, String> key : sectionOf.entrySet()) {
            List<String> values = new ArrayList<>();
            for (Map<String, String> f : facts) {
                values.add(f.getOrDefault(key.getKey(), ABSENT));
            }
            boolean differs = values.stream().distinct().count() > 1;
            rows.add(new Row(key.getValue(), key.getKey(), values, differs));
        }
        String name = outcomes.isEmpty() ? "" : outcomes.get(0).scenario();
        return new Comparison(name, kernels, rows);
    }

    /** The observables of one outcome, keyed by name, recording each key's section in order. */
    static Map<String, String> facts(Outcome o, Map<String, String> sectionOf) {
        Map<String, String> f = new LinkedHashMap<>();
        put(f, sectionOf, "status", "status", o.status() + (o.reason() == null ? "" : " (" + o.reason() + ")"));
        for (StepRecord s : o.steps()) {
            String key = "step " + s.index() + " " + s.op() + (s.task() == null ? "" : " " + s.task());
            put(f, sectionOf, "steps", key, s.result() + (s.pages() > 0 ? " (" + s.pages() + " pages)" : ""));
            if (s.elapsedNs() > 0) {
                put(f, sectionOf, "steps", key + " elapsed", elapsed(s.elapsedNs()));
            }
        }
        if (o.supported()) {
            put(f, sectionOf, "oom", "oom kills", Integer.toString(o.oomKills().size()));
        }
        for (int i = 0; i < o.oomKills().size(); i++) {
            OomKillRecord k = o.oomKills().get(i);
            put(f, sectionOf, "oom", "kill " + i + " victim", k.victim() + " (" + k.pid() + ")");
            put(f, sectionOf, "oom", "kill " + i + " step", Integer.toString(k.step()));
            put(f, sectionOf, "oom", "kill " + i + " constraint", k.constraint());
            put(f, sectionOf, "oom", "kill " + i + " oom_memcg", k.oomMemcg() == null ? "(global)" : k.oomMemcg());
            put(f, sectionOf, "oom", "kill " + i + " limit", k.limit());
            put(f, sectionOf, "oom", "kill " + i + " dmesg kill line", killLine(k));
        }
        for (Map.Entry<String, Snapshot> e : o.snapshots().entrySet()) {
            String section = "snapshot " + e.getKey();
            for (Map.Entry<String, CgroupFiles> cg : e.getValue().cgroups().entrySet()) {
                for (Map.Entry<String, Object> file : cg.getValue().files().entrySet()) {
                    if (file.getValue() instanceof Map<?, ?> keyed) {
                        for (Map.Entry<?, ?> kv : keyed.entrySet()) {
                            put(
                                    f,
                                    sectionOf,
                                    section,
                                    e.getKey() + " " + cg.getKey() + " " + file.getKey() + ":" + kv.getKey(),
                                    String.valueOf(kv.getValue()));
                        }
                    } else {
                        put(
                                f,
                                sectionOf,
                                section,
                                e.getKey() + " " + cg.getKey() + " " + file.getKey(),
                                String.valueOf(file.getValue()));
                    }
                }
            }
            e.getValue()
                    .meminfo()
                    .forEach((k, v) ->
                            put(f, sectionOf, section, e.getKey() + " /proc/meminfo:" + k, String.valueOf(v)));
            e.getValue()
                    .vmstat()
                    .forEach(
                            (k, v) -> put(f, sectionOf, section, e.getKey() + " /proc/vmstat:" + k, String.valueOf(v)));
            e.getValue().procFiles().forEach((file, v) -> {
                if (v instanceof Map<?, ?> lines) {
                    lines.forEach((k, line) ->
                            put(f, sectionOf, section, e.getKey() + " " + file + ":" + k, String.valueOf(line)));
                } else {
                    put(f, sectionOf, section, e.getKey() + " " + file, String.valueOf(v));
                }
            });
        }
        return Collections.unmodifiableMap(f);
    }

    /** The report line that names the killed process, as users grep dmesg for it. */
    static String killLine(OomKillRecord k) {
        String found = ABSENT;
        for (String line : k.report()) {
            if (line.contains("Killed process")) {
                found = line;
            }
        }
        return found;
    }

    private static void put(
            Map<String, String> f, Map<String, String> sectionOf, String section, String key, String value) {
        f.put(key, value);
        sectionOf.putIfAbsent(key, section);
    }

    /** A step's time on the simulated clock, in a unit a person reads: {@code 345.600 ms}. */
    static String elapsed(long ns) {
        if (ns >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.3f s", ns / 1e9);
        }
        if (ns >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.3f ms", ns / 1e6);
        }
        if (ns >= 1_000L) {
            return String.format(Locale.ROOT, "%.3f us", ns / 1e3);
        }
        return ns + " ns";
    }
}
