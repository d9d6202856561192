package dev.memcgdiff.testing;

import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.Mm;
import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.task.Vma;
import dev.memcgdiff.scenario.CgroupSpec;
import dev.memcgdiff.scenario.Knob;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.scenario.TaskSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A booted machine with a scenario's cgroups, knobs and tasks, before any step, to drive one
 * kernel function by hand. A version's test {@code Model} extends it with what is its kernel's
 * own: how its components ({@code c}) are built, and the helpers that call them.
 *
 * @param <C> the kernel's components, as the version's {@code build(Machine)} makes them
 */
public class BootedMachine<C> {
    public final Machine m;
    public final C c;
    /** The kernel's operation tables, made from {@code c} and attached to the machine. */
    public final KernelOps ops;

    public final Mm mm;
    public final Map<String, Task> tasks = new LinkedHashMap<>();

    /**
     * Boot {@code s}: build the components on a new machine, attach their tables, create the
     * cgroups writing their knobs, then the tasks.
     */
    protected BootedMachine(Scenario s, Function<Machine, C> build, Function<C, KernelOps> opsOf) {
        m = new Machine(s.host(), s.cgroup());
        c = build.apply(m);
        ops = opsOf.apply(c);
        m.attach(ops);
        for (CgroupSpec cs : s.cgroups()) {
            MemCgroup memcg = m.createMemcg(cs.path(), m.memcg(cs.parentPath()));
            for (Knob k : cs.knobs()) {
                ops.files().write(memcg, k);
            }
        }
        for (TaskSpec ts : s.tasks()) {
            tasks.put(ts.name(), m.createTask(ts.name(), ts.pid(), ts.uid(), ts.oomScoreAdj(), m.memcg(ts.cgroup())));
        }
        mm = new Mm(m);
    }

    public MemCgroup memcg(String path) {
        return m.memcg(path);
    }

    public Task task(String name) {
        return tasks.get(name);
    }

    /** Write-fault {@code n} new anonymous pages for the task, as an anon step does; their pfns. */
    public int[] faultAnon(Task t, int n) {
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
    public int[] readFile(Task t, String path, int n) {
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
    public Vma mapFile(Task t, String path, int n) {
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

    /** The pfn of a file's page in the page cache. */
    public int pfnOf(String path, long idx) {
        return Entry.pfn(m.files.lookup(path).pages.get(idx));
    }

    /** Move a page from its inactive list to the active one (LRU set-up). */
    public void activate(int pfn) {
        int lru = m.pages.lru(pfn);
        m.pages.set(pfn, PageFlags.PG_ACTIVE);
        m.lruvecOf(pfn).move(pfn, lru | 1);
    }

    /** Clear the accessed bits of every pte mapping the page (as if reclaim had looked at it). */
    public void clearYoung(int pfn) {
        m.rmap().pageReferenced(pfn, null);
    }
}
