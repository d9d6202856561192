package dev.memcgdiff.linux418;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.Mm;
import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.oom.OomKill;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.task.Vma;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.outcome.Snapshot;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.CgroupSpec;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import dev.memcgdiff.scenario.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helpers: run a YAML scenario on 4.18 and read its outcome the way a user reads
 * /sys/fs/cgroup, or boot a bare 4.18 machine to drive one kernel function by hand.
 */
final class Model {
    static final long K = 1024;
    static final long M = 1024 * K;
    static final long PAGE = 4096;

    private Model() {
    }

    static Scenario parse(String yaml) {
        try {
            return ScenarioParser.parse("test.yaml", yaml);
        } catch (ScenarioException e) {
            throw new AssertionError("test scenario does not parse: " + e.getMessage(), e);
        }
    }

    static Outcome run(String yaml) {
        Outcome o = Runner.run(parse(yaml), new Linux418());
        return o;
    }

    static Snapshot snapshot(Outcome o, String label) {
        assertThat(o.status()).as("outcome status (%s)", o.reason()).isEqualTo("ok");
        Snapshot s = o.snapshot(label);
        assertThat(s).as("snapshot " + label).isNotNull();
        return s;
    }

    /** A cgroup file holding one number (bytes or a count), at a snapshot ("end" when null). */
    static long file(Outcome o, String label, String cgroup, String file) {
        Object v = snapshot(o, label).cgroups().get(cgroup).files().get(file);
        assertThat(v).as(cgroup + " " + file + " @" + label).isInstanceOf(Long.class);
        return (Long) v;
    }

    /** A cgroup file as printed: a number or a word such as max. */
    static Object raw(Outcome o, String label, String cgroup, String file) {
        return snapshot(o, label).cgroups().get(cgroup).files().get(file);
    }

    /** A keyed file (memory.stat, memory.events, memory.oom_control, ...). */
    @SuppressWarnings("unchecked")
    static Map<String, Long> keyed(Outcome o, String label, String cgroup, String file) {
        Object v = snapshot(o, label).cgroups().get(cgroup).files().get(file);
        assertThat(v).as(cgroup + " " + file + " @" + label).isInstanceOf(Map.class);
        return (Map<String, Long>) v;
    }

    static long key(Outcome o, String label, String cgroup, String file, String key) {
        Map<String, Long> k = keyed(o, label, cgroup, file);
        assertThat(k).as(cgroup + " " + file + " @" + label).containsKey(key);
        return k.get(key);
    }

    static long stat(Outcome o, String label, String cgroup, String key) {
        return key(o, label, cgroup, "memory.stat", key);
    }

    static long event(Outcome o, String label, String cgroup, String key) {
        return key(o, label, cgroup, "memory.events", key);
    }

    static long vmstat(Outcome o, String label, String key) {
        Map<String, Long> v = snapshot(o, label).vmstat();
        assertThat(v).as("/proc/vmstat @" + label).containsKey(key);
        return v.get(key);
    }

    static long meminfo(Outcome o, String label, String key) {
        Map<String, Long> v = snapshot(o, label).meminfo();
        assertThat(v).as("/proc/meminfo @" + label).containsKey(key);
        return v.get(key);
    }

    static String result(Outcome o, int step) {
        return o.steps().get(step).result();
    }

    static long pages(Outcome o, int step) {
        return o.steps().get(step).pages();
    }

    /** The only OOM kill of the run. */
    static OomKill onlyKill(Outcome o) {
        assertThat(o.oomKills()).as("OOM kills").hasSize(1);
        return o.oomKills().get(0);
    }

    /** The report line starting with {@code prefix}. */
    static String line(OomKill k, String prefix) {
        return k.report().stream().filter(l -> l.startsWith(prefix)).findFirst()
            .orElseThrow(() -> new AssertionError("no report line starting with '" + prefix + "' in " + k.report()));
    }

    /** The call trace of a report: the frame names after "Call Trace:", without the leading space. */
    static List<String> frames(OomKill k) {
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
    static long numberAfter(String line, String label) {
        int at = line.indexOf(label);
        assertThat(at).as("'" + label + "' in: " + line).isNotNegative();
        int from = at + label.length();
        int to = from;
        while (to < line.length() && Character.isDigit(line.charAt(to))) {
            to++;
        }
        return Long.parseLong(line.substring(from, to));
    }

    /** The events of one trace point in one step. */
    static List<TraceEvent> events(Outcome o, int step, TracePoint point) {
        return o.events(point).stream().filter(e -> e.step() == step).toList();
    }

    /** How many times a trace point's decision was made in one step. */
    static long times(Outcome o, int step, TracePoint point) {
        return events(o, step, point).stream().mapToLong(TraceEvent::times).sum();
    }

    /**
     * A booted 4.18 machine with the scenario's cgroups, knobs and tasks, before any step; its
     * kernel classes ({@code c}) are built as {@link Linux418#boot} builds them.
     */
    static final class Booted {
        final Machine m;
        final Linux418.Components c;
        final Mm mm;
        final Map<String, Task> tasks = new LinkedHashMap<>();

        Booted(Scenario s) {
            m = new Machine(s.host(), s.cgroup());
            c = Linux418.build(m);
            m.attach(c.ops());
            for (CgroupSpec cs : s.cgroups()) {
                MemCgroup memcg = m.createMemcg(cs.path(), m.memcg(cs.parentPath()));
                for (Knob k : cs.knobs()) {
                    c.files().write(memcg, k);
                }
            }
            for (TaskSpec ts : s.tasks()) {
                tasks.put(ts.name(), m.createTask(ts.name(), ts.pid(), ts.uid(), ts.oomScoreAdj(),
                    m.memcg(ts.cgroup())));
            }
            mm = new Mm(m);
        }

        MemCgroup memcg(String path) {
            return m.memcg(path);
        }

        Task task(String name) {
            return tasks.get(name);
        }

        /** Write-fault {@code n} new anonymous pages for the task, as an anon step does; their pfns. */
        int[] faultAnon(Task t, int n) {
            int[] pfns = new int[n];
            m.current = t;
            for (int i = 0; i < n; i++) {
                long vpage = t.anonVma.pages();
                if (mm.handleAnonFault(t, vpage) != Mm.OK) {
                    throw new AssertionError("anon fault failed at page " + i);
                }
                pfns[i] = Entry.pfn(t.anon.get(vpage));
            }
            m.current = null;
            return pfns;
        }

        /** read(2) {@code n} pages of a file into the page cache for the task; their pfns. */
        int[] readFile(Task t, String path, int n) {
            CachedFile f = m.files.open(path);
            int[] pfns = new int[n];
            m.current = t;
            for (int i = 0; i < n; i++) {
                if (mm.bufferedReadPage(t, f, i, n) != Mm.OK) {
                    throw new AssertionError("read failed at page " + i);
                }
                pfns[i] = Entry.pfn(f.pages.get(i));
            }
            m.current = null;
            return pfns;
        }

        /** mmap a file and read-fault {@code n} pages of it, as an mmap step does; the vma. */
        Vma mapFile(Task t, String path, int n) {
            CachedFile f = m.files.open(path);
            f.sizePages = Math.max(f.sizePages, n);
            Vma vma = new Vma(t, f.id(), 0, n, false, false);
            t.addFileVma(vma);
            f.addMapping(vma);
            m.current = t;
            for (int i = 0; i < n; i++) {
                if (mm.filemapFault(t, vma, i) != Mm.OK) {
                    throw new AssertionError("fault failed at page " + i);
                }
            }
            m.current = null;
            return vma;
        }

        int pfnOf(String path, long idx) {
            return Entry.pfn(m.files.lookup(path).pages.get(idx));
        }

        /** Move a page from its inactive list to the active one (LRU set-up). */
        void activate(int pfn) {
            int lru = m.pages.lru(pfn);
            m.pages.set(pfn, PageFlags.PG_ACTIVE);
            m.lruvecOf(pfn).move(pfn, lru | 1);
        }
    }

    static Booted boot(String yaml) {
        return new Booted(parse(yaml));
    }
}
