package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.MemCgroup;
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

    /** A booted machine with the scenario's cgroups, knobs and tasks, before any step. */
    static final class Booted {
        final Machine m;
        final Ops ops;
        final Map<String, dev.memcgdiff.mm.task.Task> tasks = new LinkedHashMap<>();

        Booted(Scenario s) {
            m = new Machine(s.host(), s.cgroup());
            ops = (Ops) new Linux518().boot(m);
            m.attach(ops);
            for (CgroupSpec cs : s.cgroups()) {
                MemCgroup memcg = m.createMemcg(cs.path(), m.memcg(cs.parentPath()));
                for (Knob k : cs.knobs()) {
                    ops.writeKnob(memcg, k);
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

        dev.memcgdiff.mm.task.Task task(String name) {
            return tasks.get(name);
        }

        /** Write-fault {@code n} new anonymous pages for the task, as an anon step would; their pfns. */
        int[] faultAnon(dev.memcgdiff.mm.task.Task t, int n) {
            dev.memcgdiff.mm.Mm mm = new dev.memcgdiff.mm.Mm(m);
            int[] pfns = new int[n];
            m.current = t;
            for (int i = 0; i < n; i++) {
                long vpage = t.anonVma.pages();
                if (mm.handleAnonFault(t, vpage) != dev.memcgdiff.mm.Mm.OK) {
                    throw new AssertionError("anon fault failed at page " + i);
                }
                pfns[i] = dev.memcgdiff.mm.page.Entry.pfn(t.anon.get(vpage));
            }
            m.current = null;
            return pfns;
        }

        /** Read {@code n} pages of a file into the page cache for the task; their pfns. */
        int[] readFile(dev.memcgdiff.mm.task.Task t, String path, int n) {
            dev.memcgdiff.mm.Mm mm = new dev.memcgdiff.mm.Mm(m);
            dev.memcgdiff.mm.filemap.CachedFile f = m.files.open(path);
            int[] pfns = new int[n];
            m.current = t;
            for (int i = 0; i < n; i++) {
                if (mm.bufferedReadPage(t, f, i, n) != dev.memcgdiff.mm.Mm.OK) {
                    throw new AssertionError("read failed at page " + i);
                }
                pfns[i] = dev.memcgdiff.mm.page.Entry.pfn(f.pages.get(i));
            }
            m.current = null;
            return pfns;
        }

        /** Move a page from its inactive list to the active one (setup of an LRU state). */
        void activate(int pfn) {
            int lru = m.pages.lru(pfn);
            m.pages.set(pfn, dev.memcgdiff.mm.page.PageFlags.PG_ACTIVE);
            m.lruvecOf(pfn).move(pfn, lru | 1);
        }

        /** 5.18's shrink_page_list on this machine: the shared page loop under 5.18's rules. */
        ShrinkPageList shrinkPageList() {
            return new ShrinkPageList(m, ops.workingset, new dev.memcgdiff.mm.vmscan.LruReclaim(m, ops,
                ShrinkPageList.RULES));
        }

        /**
         * Move one page to the tail of its inactive list, isolate it and run {@code spl} on it in
         * limit reclaim of {@code target}; the pages reclaimed.
         */
        long reclaimOnePage(ShrinkPageList spl, int pfn, MemCgroup target) {
            var lruvec = m.lruvecOf(pfn);
            MemCgroup owner = m.memcgOf(pfn);
            int lru = m.pages.isFileCache(pfn) ? dev.memcgdiff.mm.lru.Lru.INACTIVE_FILE
                : dev.memcgdiff.mm.lru.Lru.INACTIVE_ANON;
            lruvec.delete(pfn);
            m.pages.clear(pfn, dev.memcgdiff.mm.page.PageFlags.PG_ACTIVE);
            lruvec.addTail(pfn, lru);
            dev.memcgdiff.mm.vmscan.PageBatch list = new dev.memcgdiff.mm.vmscan.PageBatch();
            new dev.memcgdiff.mm.vmscan.LruReclaim(m, ops, ShrinkPageList.RULES).isolate(lruvec, lru, 1, list);
            dev.memcgdiff.mm.vmscan.ScanControl sc = new dev.memcgdiff.mm.vmscan.ScanControl(
                dev.memcgdiff.mm.Gfp.GFP_HIGHUSER_MOVABLE, target, false);
            sc.mayWritepage = true;
            sc.maySwap = true;
            return spl.shrinkPageList(lruvec, owner, list, sc);
        }

        long reclaimOnePage(int pfn, MemCgroup target) {
            return reclaimOnePage(shrinkPageList(), pfn, target);
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
