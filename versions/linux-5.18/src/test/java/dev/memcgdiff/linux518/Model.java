package dev.memcgdiff.linux518;

import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.Mm;
import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.vmscan.PageBatch;
import dev.memcgdiff.mm.vmscan.ReclaimStats;
import dev.memcgdiff.mm.vmscan.ScanControl;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.run.Runner;
import dev.memcgdiff.scenario.CgroupSpec;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.ScenarioException;
import dev.memcgdiff.scenario.ScenarioParser;
import dev.memcgdiff.scenario.TaskSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helpers: run a YAML scenario on 5.18, or boot a bare 5.18 machine to drive by hand. */
final class Model {
    private Model() {
    }

    static Scenario parse(String yaml) {
        try {
            return ScenarioParser.parse("test.yaml", yaml);
        } catch (ScenarioException e) {
            throw new AssertionError("scenario does not parse: " + e.getMessage(), e);
        }
    }

    static Outcome run(String yaml) {
        return Runner.run(parse(yaml), new Linux518());
    }

    /**
     * A booted machine with the scenario's cgroups, knobs and tasks, before any step. {@code c}
     * holds the kernel's components as {@link Linux518#build} made them; {@code ops} their tables.
     */
    static final class Booted {
        final Machine m;
        final Linux518.Components c;
        final KernelOps ops;
        final Map<String, Task> tasks = new LinkedHashMap<>();

        Booted(Scenario s) {
            m = new Machine(s.host(), s.cgroup());
            c = Linux518.build(m);
            ops = c.ops();
            m.attach(ops);
            for (CgroupSpec cs : s.cgroups()) {
                MemCgroup memcg = m.createMemcg(cs.path(), m.memcg(cs.parentPath()));
                for (Knob k : cs.knobs()) {
                    ops.files().write(memcg, k);
                }
            }
            for (TaskSpec ts : s.tasks()) {
                tasks.put(ts.name(), m.createTask(ts.name(), ts.pid(), ts.uid(), ts.oomScoreAdj(),
                    m.memcg(ts.cgroup())));
            }
        }

        MemCgroup memcg(String path) {
            return m.memcg(path);
        }

        Task task(String name) {
            return tasks.get(name);
        }

        /** Write-fault {@code n} new anonymous pages for the task, as an anon step would; their pfns. */
        int[] faultAnon(Task t, int n) {
            Mm mm = new Mm(m);
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

        /** Read {@code n} pages of a file into the page cache for the task; their pfns. */
        int[] readFile(Task t, String path, int n) {
            Mm mm = new Mm(m);
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

        /** Move a page from its inactive list to the active one (setup of an LRU state). */
        void activate(int pfn) {
            int lru = m.pages.lru(pfn);
            m.pages.set(pfn, PageFlags.PG_ACTIVE);
            m.lruvecOf(pfn).move(pfn, lru | 1);
        }

        /**
         * Move one page to the tail of its inactive list, isolate it and run 5.18's
         * shrink_page_list on it in limit reclaim of {@code target}; that call's reclaim_stat.
         */
        ReclaimStats shrinkOnePage(int pfn, MemCgroup target) {
            Lruvec lruvec = m.lruvecOf(pfn);
            MemCgroup owner = m.memcgOf(pfn);
            int lru = m.pages.isFileCache(pfn) ? Lru.INACTIVE_FILE : Lru.INACTIVE_ANON;
            lruvec.delete(pfn);
            m.pages.clear(pfn, PageFlags.PG_ACTIVE);
            lruvec.addTail(pfn, lru);
            PageBatch list = new PageBatch();
            c.lruReclaim().isolate(lruvec, lru, 1, list);
            ScanControl sc = new ScanControl(Gfp.GFP_HIGHUSER_MOVABLE, target, false);
            sc.mayWritepage = true;
            sc.maySwap = true;
            return c.shrinkPageList().shrinkPageList(lruvec, owner, list, sc);
        }

        /** {@link #shrinkOnePage}: the pages reclaimed. */
        long reclaimOnePage(int pfn, MemCgroup target) {
            return shrinkOnePage(pfn, target).reclaimed;
        }

        /** Clear the accessed bits of every pte mapping the page (as if reclaim had looked at it). */
        void clearYoung(int pfn) {
            m.rmap().pageReferenced(pfn, null);
        }
    }

    static Booted boot(String yaml) {
        return new Booted(parse(yaml));
    }

    /** A keyed cgroup file (memory.stat, memory.events, ...) at a snapshot ("end" when null). */
    @SuppressWarnings("unchecked")
    static Map<String, Long> keyed(Outcome o, String label, String cgroup, String file) {
        Object v = o.snapshot(label).cgroups().get(cgroup).files().get(file);
        if (!(v instanceof Map)) {
            throw new AssertionError(cgroup + "/" + file + " is not a keyed file: " + v);
        }
        return (Map<String, Long>) v;
    }

    static Object file(Outcome o, String label, String cgroup, String file) {
        return o.snapshot(label).cgroups().get(cgroup).files().get(file);
    }
}
