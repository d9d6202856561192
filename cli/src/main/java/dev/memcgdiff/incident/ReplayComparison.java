package dev.memcgdiff.incident;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real OOM report and the model's report of the same scenario, field by field: the kind of OOM,
 * the constraint, the two memcgs, which limit was hit, each counter's usage, limit and failcnt,
 * each memory.stat key (or Mem-Info key for a global OOM), the victim and its rss. Both reports
 * are read by {@link ReportParser}, so the model's report is held to the same formats as the
 * kernel's.
 *
 * <p>The rules, the same for every field of a kind (docs: golden/README.md, "replay"):
 *
 * <ul>
 *   <li>words (kind, constraint, memcgs, limit hit, victim, pid) must be equal; a comm is compared
 *       as the scenario can name a task ({@link IncidentScenario#sanitizedComm});
 *   <li>limits must be equal to the byte;
 *   <li>a failcnt matches when both are 0 or both are above 0: the count is the history of the
 *       container before the report, which the report does not show and a scenario cannot replay;
 *   <li>a size matches when the model is within 5% of the report, or within 1% of the scale (the
 *       OOM memcg's limit, the host's memory for a global OOM): a report is a snapshot of a live
 *       system, the scenario reproduces its state, not its history.
 * </ul>
 *
 * A field that differs for a reason the model states (kernel memory, slab, mlock, a sacrificed
 * child, mapped tmpfs) is a known gap, with the reason.
 */
public final class ReplayComparison {
    public enum Verdict {
        MATCH("match"),
        DIFFERS("differs"),
        KNOWN_GAP("known gap"),
        NOT_IN_REPORT("not in the report"),
        NOT_IN_MODEL("not in the model's report");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One field: the report's value, the model's, the verdict and, for a known gap, why. */
    public record Field(String name, String report, String model, Verdict verdict, String note) {}

    /** The fields and their counts. */
    public record Result(List<Field> fields) {
        public long count(Verdict v) {
            return fields.stream().filter(f -> f.verdict() == v).count();
        }

        /** Fields present in both reports. */
        public long compared() {
            return count(Verdict.MATCH) + count(Verdict.DIFFERS) + count(Verdict.KNOWN_GAP);
        }

        /** "14 of 17 fields match; 1 differs as a known gap; 2 not in the report". */
        public String summary() {
            StringBuilder b = new StringBuilder();
            b.append(count(Verdict.MATCH)).append(" of ").append(compared()).append(" fields match");
            long differ = count(Verdict.DIFFERS);
            if (differ > 0) {
                b.append("; ").append(differ).append(differ == 1 ? " differs" : " differ");
            }
            long gaps = count(Verdict.KNOWN_GAP);
            if (gaps > 0) {
                b.append("; ").append(gaps).append(gaps == 1 ? " differs as a known gap" : " differ as known gaps");
            }
            if (count(Verdict.NOT_IN_REPORT) > 0) {
                b.append("; ").append(count(Verdict.NOT_IN_REPORT)).append(" not in the report");
            }
            if (count(Verdict.NOT_IN_MODEL) > 0) {
                b.append("; ").append(count(Verdict.NOT_IN_MODEL)).append(" not in the model's report");
            }
            return b.toString();
        }
    }

    private static final long PAGE = 4096;

    /** memory.stat keys of kernel memory, which the model does not charge. */
    private static final Set<String> KERNEL_KEYS = Set.of(
            "kernel",
            "kernel_stack",
            "pagetables",
            "sec_pagetables",
            "percpu",
            "sock",
            "vmalloc",
            "slab",
            "slab_reclaimable",
            "slab_unreclaimable");

    private static final Set<String> MEMINFO_KERNEL_KEYS =
            Set.of("slab_reclaimable", "slab_unreclaimable", "pagetables", "kernel_misc_reclaimable", "sec_pagetables");

    private final IncidentReport real;
    private final IncidentReport model;
    private final long scale;
    private final List<Field> fields = new ArrayList<>();

    private ReplayComparison(IncidentReport real, IncidentReport model) {
        this.real = real;
        this.model = model;
        this.scale = scaleOf(real);
    }

    /** The scale of a report's sizes: the OOM memcg's limit, or the host's memory for a global OOM. */
    public static long scaleOf(IncidentReport r) {
        if (Boolean.FALSE.equals(r.memcgOom())) {
            if (r.pagesRam() != null) {
                return r.pagesRam() * PAGE;
            }
            long pages = 0;
            for (String k :
                    List.of("active_anon", "inactive_anon", "active_file", "inactive_file", "unevictable", "free")) {
                pages += r.memInfoPages().getOrDefault(k, 0L);
            }
            return Math.max(PAGE, pages * PAGE);
        }
        for (String c : List.of("memory", "memory+swap")) {
            IncidentReport.Counter counter = r.counter(c);
            if (counter != null && counter.limitBytes() != null) {
                return counter.limitBytes();
            }
        }
        IncidentReport.Counter mem = r.counter("memory");
        return mem == null ? 1L << 30 : Math.max(mem.usageBytes(), 1L << 30);
    }

    /** The comparison; {@code model} null when the model's run printed no report. */
    public static Result compare(IncidentReport real, IncidentReport model) {
        return new ReplayComparison(real, model).fields();
    }

    private Result fields() {
        Boolean memcg = real.memcgOom();
        word("kind", kind(real), model == null ? "(no OOM report)" : kind(model));
        word(
                "constraint",
                real.summary() == null ? null : real.summary().constraint(),
                model == null || model.summary() == null
                        ? null
                        : model.summary().constraint());
        if (!Boolean.FALSE.equals(memcg)) {
            word("oom_memcg", real.oomMemcg(), model == null ? null : model.oomMemcg());
            word("task_memcg", real.taskMemcg(), model == null ? null : model.taskMemcg());
            word("limit hit", limitHit(real), model == null ? null : limitHit(model));
            for (String c : List.of("memory", "memory+swap", "kmem", "swap")) {
                IncidentReport.Counter rc = real.counter(c);
                IncidentReport.Counter mc = model == null ? null : model.counter(c);
                if (rc == null && mc == null) {
                    continue;
                }
                size(c + " usage", rc == null ? null : rc.usageBytes(), mc == null ? null : mc.usageBytes());
                limit(c + " limit", rc, mc);
                failcnt(c + " failcnt", rc, mc);
            }
            Map<String, Long> rs = real.memcgStats();
            Map<String, Long> ms = model == null ? Map.of() : model.memcgStats();
            for (Map.Entry<String, Long> e : rs.entrySet()) {
                size("memory.stat " + e.getKey(), e.getValue(), ms.get(e.getKey()));
            }
        } else {
            Map<String, Long> rm = real.memInfoPages();
            Map<String, Long> mm = model == null ? Map.of() : model.memInfoPages();
            for (Map.Entry<String, Long> e : rm.entrySet()) {
                Long mv = mm.get(e.getKey());
                size("Mem-Info " + e.getKey(), e.getValue() * PAGE, mv == null ? null : mv * PAGE);
            }
            size("Free swap", real.freeSwapBytes(), model == null ? null : model.freeSwapBytes());
            size("Total swap", real.totalSwapBytes(), model == null ? null : model.totalSwapBytes());
            word(
                    "nodes",
                    real.nodes().isEmpty()
                            ? null
                            : Integer.toString(real.nodes().size()),
                    model == null || model.nodes().isEmpty()
                            ? null
                            : Integer.toString(model.nodes().size()));
        }
        String rv = real.victimComm() == null ? null : IncidentScenario.sanitizedComm(real.victimComm());
        word("victim", rv, model == null ? null : model.victimComm());
        word(
                "victim pid",
                real.victimPid() == null ? null : real.victimPid().toString(),
                model == null || model.victimPid() == null
                        ? null
                        : model.victimPid().toString());
        IncidentReport.Killed rk =
                real.killed().isEmpty() ? null : real.killed().get(0);
        IncidentReport.Killed mk = model == null || model.killed().isEmpty()
                ? null
                : model.killed().get(0);
        size("victim anon-rss", rk == null ? null : rk.anonRssBytes(), mk == null ? null : mk.anonRssBytes());
        size("victim file-rss", rk == null ? null : rk.fileRssBytes(), mk == null ? null : mk.fileRssBytes());
        size("victim shmem-rss", rk == null ? null : rk.shmemRssBytes(), mk == null ? null : mk.shmemRssBytes());
        return new Result(List.copyOf(fields));
    }

    private static String kind(IncidentReport r) {
        Boolean memcg = r.memcgOom();
        return memcg == null ? null : memcg ? "memcg OOM" : "global OOM";
    }

    static String limitHit(IncidentReport r) {
        return IncidentScenario.limitHit(r, KernelGuess.of(r).module());
    }

    private void word(String name, String r, String m) {
        if (r == null) {
            add(name, null, m, Verdict.NOT_IN_REPORT);
        } else if (m == null) {
            add(name, r, null, model == null ? Verdict.DIFFERS : Verdict.NOT_IN_MODEL);
        } else {
            add(name, r, m, r.equals(m) ? Verdict.MATCH : Verdict.DIFFERS);
        }
    }

    private void size(String name, Long r, Long m) {
        if (r == null) {
            add(name, null, m == null ? null : Long.toString(m), Verdict.NOT_IN_REPORT);
        } else if (m == null) {
            add(name, Long.toString(r), null, model == null ? Verdict.DIFFERS : Verdict.NOT_IN_MODEL);
        } else {
            long diff = Math.abs(m - r);
            boolean match = diff <= Math.max(Math.abs(r) / 20, scale / 100);
            add(name, Long.toString(r), Long.toString(m), match ? Verdict.MATCH : Verdict.DIFFERS);
        }
    }

    private void limit(String name, IncidentReport.Counter r, IncidentReport.Counter m) {
        String rv = r == null ? null : r.limitBytes() == null ? "no limit" : Long.toString(r.limitBytes());
        String mv = m == null ? null : m.limitBytes() == null ? "no limit" : Long.toString(m.limitBytes());
        word(name, rv, mv);
    }

    private void failcnt(String name, IncidentReport.Counter r, IncidentReport.Counter m) {
        if (r == null || m == null) {
            word(name, r == null ? null : Long.toString(r.failcnt()), m == null ? null : Long.toString(m.failcnt()));
            return;
        }
        boolean match = (r.failcnt() == 0) == (m.failcnt() == 0);
        add(name, Long.toString(r.failcnt()), Long.toString(m.failcnt()), match ? Verdict.MATCH : Verdict.DIFFERS);
    }

    private void add(String name, String r, String m, Verdict v) {
        String note = null;
        if (v == Verdict.DIFFERS) {
            note = knownGap(name);
            if (note != null) {
                v = Verdict.KNOWN_GAP;
            }
        }
        fields.add(new Field(name, r, m, v, note));
    }

    /** Why a field that differs cannot match yet, or null when nothing explains it. */
    private String knownGap(String name) {
        if (model == null) {
            return null;
        }
        if (name.startsWith("kmem ")) {
            return "kernel memory is not charged in the model (docs/FIDELITY.md, Not modelled)";
        }
        String key = name.substring(name.indexOf(' ') + 1);
        if (name.startsWith("memory.stat ") && KERNEL_KEYS.contains(key)) {
            return "kernel memory is not charged in the model (docs/FIDELITY.md, Not modelled)";
        }
        if (name.startsWith("Mem-Info ") && MEMINFO_KERNEL_KEYS.contains(key)) {
            return "slab and kernel memory are not modelled (docs/FIDELITY.md, Not modelled)";
        }
        if (key.equals("unevictable")) {
            return "mlock and unevictable pages are not modelled (docs/FIDELITY.md, Not modelled)";
        }
        if (name.equals("victim shmem-rss")) {
            return "a scenario writes tmpfs, it cannot map it";
        }
        if (name.equals("victim pid") || name.equals("victim")) {
            if (!real.chosen().isEmpty()
                    && !real.killed().isEmpty()
                    && real.chosen().get(0).pid() != real.killed().get(0).pid()) {
                return "the report's victim is a child sacrificed for its parent; the model has no fork "
                        + "(docs/FIDELITY.md, Not modelled)";
            }
        }
        if (name.startsWith("memory usage") || name.startsWith("memory+swap usage")) {
            IncidentReport.Counter kmem = real.counter("kmem");
            if (kmem != null && kmem.usageBytes() >= scale / 100) {
                return "the report's usage counts " + kmem.usageBytes() + " bytes of kernel memory, which the model "
                        + "does not charge";
            }
        }
        return null;
    }

    /** The fields by name, for tests. */
    static Map<String, Field> byName(Result r) {
        Map<String, Field> out = new LinkedHashMap<>();
        r.fields().forEach(f -> out.put(f.name(), f));
        return out;
    }
}
