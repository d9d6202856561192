package dev.memcgdiff.incident;

import static dev.memcgdiff.incident.YamlText.human;
import static dev.memcgdiff.incident.YamlText.quote;
import static dev.memcgdiff.incident.YamlText.size;

import dev.memcgdiff.kernel.Kernel;
import dev.memcgdiff.mm.vmscan.IntSqrt;
import dev.memcgdiff.run.Kernels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the scenario that reproduces one OOM report: the host, the cgroup tree with the
 * report's limits, the tasks with the report's pids, names and oom_score_adj, steps that fill the
 * memory with the report's mix (sizes from memory.stat or Mem-Info, never from the task table's
 * rss, which counts file and shmem pages too), the step that triggers the OOM as the call trace
 * shows it, and an {@code expect:} block of the report's own facts for the kernel it came from.
 * What it had to infer is listed in the description (and returned); what the model cannot
 * reproduce yet is written as known gaps (and returned), never dropped.
 *
 * <p>How the mix is reproduced, and why:
 *
 * <ul>
 *   <li>Swap: the report's swapped bytes are written to a tmpfs file first, and the limit is set
 *       to 0 for a moment and back: the limit write reclaims them all to swap
 *       (mm/memcontrol.c:mem_cgroup_resize_max (4.18.0-147), mem_cgroup_resize_limit
 *       (3.10.0-1160), memory_max_write (5.18)) without a failed charge, so failcnt stays as the
 *       report has it. The report does not say how the swap got there.
 *   <li>Kernel memory (kmem, slab) is not modelled: the bytes the report counts there are given
 *       to the largest part of the mix, so that usage is the report's, and a known gap records it.
 *   <li>The active/inactive split: tmpfs pages join the inactive anon list, and are touched twice
 *       (mark_page_accessed activates a referenced page) until the split is the report's; where a
 *       new anonymous page goes is the kernel's (active on 3.10 and 4.18,
 *       mm/swap.c:lru_cache_add_active_or_unevictable (4.18.0-147); inactive on 5.18,
 *       mm/swap.c:lru_cache_add_inactive_or_unevictable (5.18)).
 *   <li>The fill reaches the limit the report shows hit exactly (a charge fails only when it would
 *       pass the limit, mm/page_counter.c:page_counter_try_charge), so the trigger's first charge
 *       fails, as the report's allocation did. A trigger that is a file fault, read or write gets no
 *       page cache beside it: the model's reclaim would free it, then the trigger's own pages, and
 *       the allocation would never fail.
 * </ul>
 */
public final class IncidentScenario {
    private static final long K = 1024;
    private static final long M = K * K;
    private static final long G = M * K;
    private static final long PAGE = 4 * K;
    static final String SNAPSHOT = "before-oom";
    /** The largest host the format takes, memory and swap alike. */
    private static final long MAX_HOST = K * G;

    /** The imported scenario: its name, the YAML text, the kernel, what was inferred and what cannot be reproduced. */
    public record Imported(
            String name, String yaml, String kernel, String kind, List<String> inferred, List<String> gaps) {}

    /** What the call trace says the allocation was. */
    enum Trigger {
        ANON("anon-fault", "an anonymous page fault", "anonymous page fault"),
        FILE_FAULT("filemap-fault", "a file mapping fault", "file mapping fault"),
        SHMEM_WRITE("shmem-write", "a tmpfs write", "tmpfs write"),
        FILE_READ("read", "a buffered read", "buffered read"),
        FILE_WRITE("write", "a buffered write", "buffered write");

        final String slug;
        final String what;
        final String noun;

        Trigger(String slug, String what, String noun) {
            this.slug = slug;
            this.what = what;
            this.noun = noun;
        }
    }

    /** A task of the scenario: its name (a comm the format accepts), pid, uid, adj, anon bytes. */
    private static final class Task {
        final String name;
        final int pid;
        final long uid;
        int adj;
        long anon;
        final String cgroup;
        boolean fromTable;

        Task(String name, int pid, long uid, int adj, long anon, String cgroup) {
            this.name = name;
            this.pid = pid;
            this.uid = Math.max(0, Math.min(Integer.MAX_VALUE, uid));
            this.adj = Math.max(-1000, Math.min(1000, adj));
            this.anon = anon;
            this.cgroup = cgroup;
        }
    }

    private final IncidentReport r;
    private final KernelGuess kernel;
    private final String logRef;
    private final List<String> inferred = new ArrayList<>();
    private final List<String> gaps = new ArrayList<>();
    private final List<String> knownGapChecks = new ArrayList<>();
    private final Set<String> usedNames = new LinkedHashSet<>();
    private final Set<Integer> usedPids = new LinkedHashSet<>();

    private IncidentScenario(IncidentReport r, String logRef) {
        this.r = r;
        this.kernel = KernelGuess.of(r);
        this.logRef = logRef;
    }

    /**
     * The scenario of one report. {@code name} may be null: the name then follows the corpus's
     * convention, incident-KERNEL-KIND-TRIGGER-LIMIT. {@code logRef} is how the description and
     * refs name the log (a repository path when it is in one).
     */
    public static Imported of(IncidentReport r, String name, String logRef) {
        return new IncidentScenario(r, logRef).build(name);
    }

    /** The name the corpus's convention gives the report: incident-418-memcg-shmem-write-memsw. */
    public static String defaultName(IncidentReport r) {
        IncidentScenario s = new IncidentScenario(r, "");
        boolean memcg = !Boolean.FALSE.equals(r.memcgOom());
        String limit = memcg ? s.limitHit() : "";
        return ("incident-" + s.kernel.module().replace(".", "") + "-" + (memcg ? "memcg" : "global-oom") + "-"
                        + s.trigger().slug + (memcg ? "-" + limit : ""))
                .toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ what the report says

    private Trigger trigger() {
        List<String> t = r.callTrace();
        if (t.contains("shmem_write_begin")
                || (t.contains("shmem_getpage_gfp") && t.contains("generic_perform_write"))) {
            return Trigger.SHMEM_WRITE;
        }
        if (t.contains("shmem_fault") || t.contains("shmem_getpage_gfp")) {
            return Trigger.SHMEM_WRITE;
        }
        for (String f : t) {
            if (f.startsWith("generic_file_buffered_read")
                    || f.equals("filemap_read")
                    || f.startsWith("page_cache_sync_readahead")
                    || f.equals("__do_page_cache_readahead")
                    || f.equals("ondemand_readahead")
                    || f.equals("page_cache_ra_unbounded")
                    || f.equals("filemap_get_pages")) {
                return Trigger.FILE_READ;
            }
        }
        for (String f : t) {
            if (f.equals("generic_perform_write")
                    || f.equals("grab_cache_page_write_begin")
                    || f.endsWith("_write_begin")
                    || f.equals("iomap_write_begin")) {
                return Trigger.FILE_WRITE;
            }
        }
        for (String f : t) {
            if (f.equals("filemap_fault") || f.equals("__do_fault") || f.endsWith("_filemap_fault")) {
                return Trigger.FILE_FAULT;
            }
        }
        return Trigger.ANON;
    }

    private boolean triggerKnown() {
        List<String> t = r.callTrace();
        return t.stream()
                .anyMatch(f -> f.contains("shmem")
                        || f.contains("filemap")
                        || f.contains("read")
                        || f.contains("write")
                        || f.contains("_fault")
                        || f.equals("do_anonymous_page")
                        || f.contains("huge_pmd_anonymous"));
    }

    private long scale() {
        IncidentReport.Counter mem = r.counter("memory");
        IncidentReport.Counter memsw = r.counter("memory+swap");
        if (mem != null && mem.limitBytes() != null) {
            return mem.limitBytes();
        }
        if (memsw != null && memsw.limitBytes() != null) {
            return memsw.limitBytes();
        }
        return mem != null ? Math.max(mem.usageBytes(), G) : G;
    }

    private boolean v2() {
        if (r.counter("swap") != null && r.counter("memory+swap") == null) {
            return true;
        }
        Map<String, Long> st = r.memcgStats();
        return r.counter("memory+swap") == null
                && r.counter("kmem") == null
                && st.containsKey("anon")
                && st.containsKey("file")
                && !st.containsKey("cache");
    }

    /** Which limit the report shows hit; "memory" when it cannot tell. */
    private String limitHit() {
        String hit = limitHit(r, kernel.module());
        return hit == null ? "memory" : hit;
    }

    /**
     * Which limit a memcg report shows hit: the counter at its limit; both at their limits (memsw
     * = memory limit), the one whose failcnt rose, and when both rose, the one the kernel charges
     * first (memory on 3.10, mm/memcontrol.c:mem_cgroup_do_charge (3.10.0-1160); memsw on 4.18
     * and 5.18, try_charge (4.18.0-147), try_charge_memcg (5.18)); null when the report cannot tell.
     */
    public static String limitHit(IncidentReport r, String module) {
        IncidentReport.Counter mem = r.counter("memory");
        IncidentReport.Counter memsw = r.counter("memory+swap");
        boolean memswFull = memsw != null && memsw.limitBytes() != null && memsw.usageBytes() + M >= memsw.limitBytes();
        boolean memFull = mem != null && mem.limitBytes() != null && mem.usageBytes() + M >= mem.limitBytes();
        if (memswFull && memFull) {
            if (memsw.failcnt() == 0 && mem.failcnt() > 0) {
                return "memory";
            }
            if (mem.failcnt() == 0) {
                return "memsw";
            }
            return module.equals("3.10") ? "memory" : "memsw";
        }
        if (memswFull) {
            return "memsw";
        }
        if (memFull) {
            return "memory";
        }
        if (memsw != null && memsw.failcnt() > 0 && (mem == null || mem.failcnt() == 0)) {
            return "memsw";
        }
        return mem != null && mem.failcnt() > 0 ? "memory" : null;
    }

    private long stat(String key) {
        Long v = r.memcgStats().get(key);
        return v == null ? 0 : v;
    }

    private boolean hasStat(String key) {
        return r.memcgStats().containsKey(key);
    }

    /** A comm as a scenario task name: 1 to 15 characters of A-Z a-z 0-9 _ . : -, unique. */
    private String taskName(String comm, int pid) {
        String base = comm == null ? "" : comm.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (base.isEmpty()) {
            base = "pid" + pid;
        }
        if (base.length() > 15) {
            base = base.substring(0, 15);
        }
        String name = base;
        for (int i = 2; usedNames.contains(name); i++) {
            String suffix = "-" + i;
            name = (base.length() + suffix.length() > 15 ? base.substring(0, 15 - suffix.length()) : base) + suffix;
        }
        usedNames.add(name);
        return name;
    }

    /** The comm a scenario gives the task of a report's comm (what the model's report prints). */
    public static String sanitizedComm(String comm) {
        String base = comm == null ? "" : comm.replaceAll("[^A-Za-z0-9_.-]", "_");
        return base.length() > 15 ? base.substring(0, 15) : base;
    }

    private int freePid(int wanted) {
        int pid = wanted >= 2 && wanted <= 4194304 ? wanted : 1000;
        while (usedPids.contains(pid)) {
            pid++;
        }
        usedPids.add(pid);
        return pid;
    }

    private static int nodesOf(String memsAllowed) {
        if (memsAllowed == null || memsAllowed.isBlank() || memsAllowed.equals("(null)")) {
            return 0;
        }
        int n = 0;
        for (String part : memsAllowed.split(",")) {
            String[] range = part.split("-");
            try {
                n += range.length == 2
                        ? (int) Math.min(64, Math.max(0, ReportParser.num(range[1]) - ReportParser.num(range[0]) + 1))
                        : 1;
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return n;
    }

    private int nodes() {
        int n = nodesOf(r.memsAllowed());
        if (n > 0) {
            inferred.add("NUMA nodes: " + n + ", from mems_allowed=" + r.memsAllowed());
        } else if (!r.nodes().isEmpty()) {
            n = r.nodes().size();
            inferred.add("NUMA nodes: " + n + ", from the report's Node lines");
        } else {
            n = 1;
            inferred.add("NUMA nodes: 1 (the report shows neither mems_allowed nor Node lines)");
        }
        return Math.max(1, Math.min(8, n));
    }

    /** Where a new anonymous page goes on the report's kernel: the active list on 3.10 and 4.18. */
    private boolean newAnonActive() {
        return !kernel.module().equals("5.18");
    }

    // ------------------------------------------------------------------ the scenario

    private Imported build(String wantedName) {
        String name = wantedName != null ? wantedName : defaultName(r);
        inferred.addAll(kernel.reasons().stream()
                .map(x -> "kernel " + kernel.module() + ": " + x)
                .toList());
        Boolean memcg = r.memcgOom();
        if (memcg == null) {
            inferred.add("kind: a memcg OOM (the report shows neither memcg counters nor Mem-Info)");
        }
        Trigger trigger = trigger();
        if (!triggerKnown()) {
            inferred.add("trigger: " + trigger.what + " (the call trace does not say; the most common allocation)");
        } else {
            inferred.add("trigger: " + trigger.what + ", from the call trace");
        }
        String yaml = Boolean.FALSE.equals(memcg) ? global(name, trigger) : memcg(name, trigger);
        return new Imported(
                name,
                yaml,
                kernel.module(),
                Boolean.FALSE.equals(memcg) ? "global" : "memcg",
                List.copyOf(inferred),
                List.copyOf(gaps));
    }

    /** The victim and the tasks beside it, with the anon each holds; the first task is the victim. */
    private List<Task> tasks(String cgroup, long anonTotal, long totalPagesBytes, boolean global) {
        List<Task> out = new ArrayList<>();
        Integer victimPid = r.victimPid();
        String victimComm = r.victimComm();
        IncidentReport.Killed kill = r.killed().isEmpty() ? null : r.killed().get(0);
        IncidentReport.TaskRow row = null;
        for (IncidentReport.TaskRow t : r.tasks()) {
            if (victimPid != null && t.pid() == victimPid) {
                row = t;
            }
        }
        // a 3.10 child sacrifice: the task chosen is not the one killed
        if (!r.chosen().isEmpty() && kill != null && r.chosen().get(0).pid() != kill.pid()) {
            gaps.add("child sacrifice: " + r.chosen().get(0).comm() + " ("
                    + r.chosen().get(0).pid() + ") was chosen and "
                    + "its child " + kill.comm() + " (" + kill.pid() + ") was killed; the model has no fork and kills "
                    + "the chosen task (docs/FIDELITY.md, Not modelled)");
            knownGapChecks.add("pid 0 == " + kill.pid()
                    + "\t\"the report's victim is a child sacrificed for its parent; the model has no fork "
                    + "(docs/FIDELITY.md, Not modelled)\"");
            victimPid = r.chosen().get(0).pid();
            victimComm = r.chosen().get(0).comm();
        }
        for (IncidentReport.TaskRow t : r.tasks()) {
            if (victimPid != null && t.pid() == victimPid) {
                row = t;
            }
        }
        if (victimPid == null) {
            inferred.add("victim: none in the report (no kill line): a task named victim holds the memory");
            victimComm = "victim";
        }
        long uid = kill != null && kill.uid() != null
                ? kill.uid()
                : r.summary() != null ? r.summary().uid() : row != null ? row.uid() : 0;
        Integer adj = kill != null && kill.adj() != null ? kill.adj() : row != null ? Integer.valueOf(row.adj()) : null;
        boolean invokerIsVictimThread = r.invokerComm() != null
                && (r.invokerComm().equals(victimComm)
                        || (r.invokerPid() != null && r.invokerPid().equals(victimPid)));
        if (adj == null && invokerIsVictimThread && r.invokerAdj() != null) {
            adj = r.invokerAdj();
            inferred.add("the victim's oom_score_adj " + adj + ": from the invoking task " + r.invokerComm()
                    + (r.invokerPid() != null && !r.invokerPid().equals(victimPid)
                            ? " (pid " + r.invokerPid() + ", taken for a thread of the victim: same comm)"
                            : ""));
        }
        if (kill == null) {
            inferred.add("the victim's memory: not in the report (no kill line)");
        }
        if (adj == null) {
            adj = global ? 1000 : 0;
            inferred.add("the victim's oom_score_adj " + adj + ": not in the report"
                    + (global
                            ? "; a task holding little memory is chosen over the ones holding the rest only with a "
                                    + "far higher oom_score_adj"
                            : ""));
        }
        int pid = freePid(victimPid == null ? 1000 : victimPid);
        Task victim = new Task(taskName(victimComm, pid), pid, uid, adj, 0, cgroup);
        out.add(victim);
        // the other processes of the task table, biggest first, up to 8 (init is never a victim)
        List<IncidentReport.TaskRow> others = new ArrayList<>();
        for (IncidentReport.TaskRow t : r.tasks()) {
            if (t.pid() != pid && t.pid() != 1 && t.rssPages() > 0) {
                others.add(t);
            }
        }
        others.sort((a, b) -> Long.compare(b.rssPages(), a.rssPages()));
        if (others.size() > 8) {
            others = others.subList(0, 8);
        }
        String othersCgroup = global ? "/" : cgroup;
        if (row != null) {
            // with the victim's row, every task's share of the anon is in proportion to its rss
            long rssSum = row.rssPages()
                    + others.stream()
                            .mapToLong(IncidentReport.TaskRow::rssPages)
                            .sum();
            victim.anon = anonTotal * row.rssPages() / Math.max(1, rssSum) / PAGE * PAGE;
            inferred.add("the tasks' anon: " + (global ? "the anon to fill (" : "the memory.stat anon (")
                    + human(anonTotal) + ") shared in proportion "
                    + "to the rss of the task table (the table's rss counts file and shmem pages too)");
        } else {
            victim.anon = Math.min(kill != null ? kill.anonRssBytes() : 0, anonTotal) / PAGE * PAGE;
        }
        long rest = Math.max(0, anonTotal - victim.anon);
        long rssSum =
                others.stream().mapToLong(IncidentReport.TaskRow::rssPages).sum();
        long given = 0;
        for (int i = 0; i < others.size(); i++) {
            IncidentReport.TaskRow t = others.get(i);
            long share = i == others.size() - 1 ? rest - given : rest * t.rssPages() / Math.max(1, rssSum);
            share = share / PAGE * PAGE;
            given += share;
            int p = freePid(t.pid());
            Task task = new Task(taskName(t.name(), p), p, t.uid(), t.adj(), share, othersCgroup);
            task.fromTable = true;
            out.add(task);
        }
        if (!others.isEmpty()) {
            if (row == null) {
                inferred.add("the other tasks: the " + others.size() + " largest of the task table, with the anon "
                        + "the victim does not hold (" + human(rest) + ") shared in proportion to their rss");
            }
            if (global) {
                inferred.add("the other tasks' cgroups: / (a global OOM's task table does not name them)");
            }
        } else if (rest >= Math.max(M, scaleFor(global) / 100)) {
            int p = freePid(pid + 1);
            String n = taskName(global ? "filler" : "others", p);
            out.add(new Task(n, p, 0, global ? 0 : victim.adj, rest, othersCgroup));
            inferred.add("a task " + n + " (pid " + p + ") holds the anon the victim does not (" + human(rest)
                    + "): the report names no other process");
        } else {
            victim.anon += rest / PAGE * PAGE;
        }
        // the victim must be the one oom_badness picks: lower another task's adj where its anon would win
        long totalPages = Math.max(1, totalPagesBytes / PAGE);
        long victimPoints = victim.anon / PAGE + (long) victim.adj * totalPages / 1000;
        for (Task t : out.subList(1, out.size())) {
            long points = t.anon / PAGE + (long) t.adj * totalPages / 1000;
            if (points >= victimPoints && t.anon > 0 && t.adj > -1000) {
                int adjBefore = t.adj;
                long need = (t.anon / PAGE - victimPoints) * 1000 / totalPages + 1;
                t.adj = (int) Math.max(-999, -need);
                inferred.add("oom_score_adj of " + t.name + ": " + t.adj
                        + (t.fromTable ? " (the task table says " + adjBefore + ")" : "")
                        + ", so that the report's victim has the highest badness with the sizes the scenario gives");
            }
        }
        return out;
    }

    private long scaleFor(boolean global) {
        return global ? hostRamBytes() : scale();
    }

    // ------------------------------------------------------------------ memcg OOM

    private String memcg(String name, Trigger trigger) {
        boolean v2 = v2();
        IncidentReport.Counter mem = r.counter("memory");
        IncidentReport.Counter memsw = r.counter("memory+swap");
        IncidentReport.Counter swapC = r.counter("swap");
        IncidentReport.Counter kmem = r.counter("kmem");
        String oomCg = cgroupPath(r.oomMemcg());
        if (oomCg == null) {
            oomCg = "/oom";
            inferred.add("the OOM memcg: /oom (the report names none)");
        }
        String taskCg = cgroupPath(r.taskMemcg()) != null ? cgroupPath(r.taskMemcg()) : oomCg;
        if (cgroupPath(r.taskMemcg()) == null) {
            inferred.add("the victim's memcg: " + oomCg + ", the OOM memcg (the report does not name it)");
        }
        if (oomCg.equals("/")) {
            oomCg = "/oom";
            taskCg = "/oom";
            inferred.add("the root memcg cannot have a limit in a scenario: the tasks go to /oom");
        }
        Long limit = mem == null ? null : mem.limitBytes();
        Long memswLimit = memsw == null ? null : memsw.limitBytes();
        Long swapMax = swapC == null ? null : swapC.limitBytes();
        String hit = limitHit();
        long scale = scale();

        // the mix
        // the keys: memory_stat_format's (5.0 on, v1 and v2 alike) or v1's one-line stats
        boolean statKeys = r.statsFormat() == IncidentReport.StatsFormat.MEMORY_STAT;
        long rss = statKeys ? stat("anon") : stat("rss");
        long shmem;
        if (hasStat("shmem")) {
            shmem = stat("shmem");
        } else {
            shmem = Math.max(0, stat("inactive_anon") + stat("active_anon") - rss);
            if (shmem > 0) {
                inferred.add("tmpfs: " + human(shmem) + ", the anon LRU pages that rss does not count (3.10 prints no "
                        + "shmem key; tmpfs pages live on the anon LRU)");
            }
        }
        long cacheAll = statKeys ? stat("file") : stat("cache");
        long pageCache = Math.max(0, cacheAll - shmem);
        long swap;
        if (v2) {
            swap = swapC != null ? swapC.usageBytes() : 0;
        } else if (hasStat("swap")) {
            swap = stat("swap");
        } else if (memsw != null && mem != null) {
            swap = Math.max(0, memsw.usageBytes() - mem.usageBytes());
            inferred.add("swap: " + human(swap) + ", memory+swap usage minus memory usage (no swap key in the stats)");
        } else {
            swap = 0;
        }
        long dirty = statKeys ? stat("file_dirty") + stat("file_writeback") : stat("dirty") + stat("writeback");
        long kernelMem = kmem != null
                ? kmem.usageBytes()
                : hasStat("kernel")
                        ? stat("kernel")
                        : stat("slab") + stat("kernel_stack") + stat("sock") + stat("percpu") + stat("vmalloc");
        long usage = mem != null ? mem.usageBytes() : rss + cacheAll + kernelMem;
        if (mem == null) {
            inferred.add("memory usage: " + human(usage) + ", the sum of the stats (no memory: counter line)");
        }

        // what the model cannot reproduce
        if (kernelMem >= scale / 100) {
            gaps.add("kernel memory: the report charges " + human(kernelMem) + " of kmem/slab to the memcg, which the "
                    + "model does not model (docs/FIDELITY.md, Not modelled); its bytes go to the largest part of "
                    + "the mix so that usage is the report's");
            knownGapChecks.add((v2
                            ? oomCg + " memory.stat:" + (hasStat("kernel") ? "kernel" : "slab") + "@" + SNAPSHOT
                            : oomCg + " memory.kmem.usage_in_bytes@" + SNAPSHOT)
                    + " >= " + size(kernelMem * 9 / 10 / PAGE * PAGE)
                    + "\t\"kernel memory (slab, kernel stacks) is not charged in the model: docs/FIDELITY.md, Not "
                    + "modelled\"");
        }
        long unevictable = stat("unevictable");
        if (unevictable >= scale / 100) {
            gaps.add("unevictable: " + human(unevictable)
                    + " of mlocked or unevictable pages, which the model does not " + "have (mlock is not modelled)");
            knownGapChecks.add(oomCg + " memory.stat:unevictable@" + SNAPSHOT + " >= "
                    + size(unevictable * 9 / 10 / PAGE * PAGE)
                    + "\t\"mlock and unevictable pages are not modelled: docs/FIDELITY.md, Not modelled\"");
        }
        long thp = statKeys ? stat("anon_thp") : stat("rss_huge");
        if (thp >= scale / 100) {
            gaps.add("transparent huge pages: " + human(thp) + " of the anon is THP; the scenario faults 4K pages "
                    + "(host thp: never)");
        }
        IncidentReport.Killed kill = r.killed().isEmpty() ? null : r.killed().get(0);
        if (kill != null && kill.shmemRssBytes() >= scale / 100) {
            gaps.add("the victim maps " + human(kill.shmemRssBytes()) + " of tmpfs (shmem-rss), which a scenario "
                    + "cannot map (its tmpfs is written, not mapped)");
        }

        // tasks
        long totalPagesBytes = memswLimit != null ? memswLimit : limit != null ? limit : usage;
        List<Task> tasks = tasks(taskCg, rss, totalPagesBytes, false);
        Task victim = tasks.get(0);
        Task runner = victim;
        if (r.invokerComm() != null
                && !r.invokerComm().equals(r.victimComm())
                && r.invokerPid() != null
                && !r.invokerPid().equals(r.victimPid())) {
            int p = freePid(r.invokerPid());
            runner = new Task(
                    taskName(r.invokerComm(), p), p, 0, r.invokerAdj() == null ? 0 : r.invokerAdj(), 0, taskCg);
            tasks.add(runner);
            inferred.add("the allocating task " + runner.name + " (pid " + p + ") is not the victim: it runs the "
                    + "trigger");
        }
        long fileRss = kill != null ? kill.fileRssBytes() : 0;

        // what to fill: exactly up to the limit the report shows hit, the kernel memory given to the
        // largest part of the mix (a charge fails only when it would pass the limit, so a fill of
        // exactly the limit succeeds and the trigger's first charge fails)
        boolean fileTrigger =
                trigger == Trigger.FILE_FAULT || trigger == Trigger.FILE_READ || trigger == Trigger.FILE_WRITE;
        long swapFill = swap / PAGE * PAGE;
        if (limit == null && memswLimit == null) {
            limit = roundUp(usage, M);
            hit = "memory";
            inferred.add("limit: " + size(limit) + ", the usage (the report shows no limit)");
        }
        long target;
        if (hit.equals("memsw") && memswLimit != null) {
            target = memswLimit - swapFill;
            if (limit != null && limit < target) {
                target = limit;
            }
        } else {
            target = limit != null ? limit : memswLimit - swapFill;
        }
        target = target / PAGE * PAGE;
        // page cache below 1% of the limit is left out: the trigger's reclaim would free it before the
        // charge fails, where the kernel's could not (hot or mapped pages, which the report does not
        // tell apart); above it stays, and beside a file trigger the OOM itself becomes a known gap
        boolean keepCache = pageCache >= scale / 100;
        boolean oomIsAGap = fileTrigger && keepCache;
        long cacheFill = keepCache ? pageCache / PAGE * PAGE : 0;
        if (!keepCache && pageCache >= PAGE) {
            inferred.add("page cache: the report's " + human(pageCache) + " (under 1% of the limit) is left out: "
                    + "the trigger's reclaim would free it"
                    + (fileTrigger
                            ? ", then the " + trigger.noun + "'s own pages, and the charge would not fail"
                            : " before the charge fails")
                    + "; the kernel could not, which the report does not explain");
        }
        if (oomIsAGap) {
            gaps.add("the OOM itself: the report's " + human(pageCache) + " of page cache was not reclaimable at the "
                    + "OOM (the report does not say why: dirty, under writeback, mapped and hot?); the model's "
                    + "reclaim frees it, and then the " + trigger.noun + "'s own pages, so the charge may never "
                    + "fail; the kill's expectations are known gaps");
        }
        long anonTotal = tasks.stream().mapToLong(t -> t.anon / PAGE * PAGE).sum();
        tasks.forEach(t -> t.anon = t.anon / PAGE * PAGE);
        long tmpfsData = shmem / PAGE * PAGE;
        long mapped = Math.min(fileRss, cacheFill) / PAGE * PAGE;
        long cacheRead = cacheFill - mapped;
        long planned = anonTotal + tmpfsData + cacheFill;
        long excess = target - planned;
        if (excess != 0) {
            // the biggest of tmpfs, page cache and the largest task's anon takes the difference
            Task biggest =
                    tasks.stream().max((a, b) -> Long.compare(a.anon, b.anon)).orElse(victim);
            String to;
            if (tmpfsData >= cacheRead && tmpfsData >= biggest.anon) {
                tmpfsData = Math.max(0, tmpfsData + excess);
                to = "tmpfs";
            } else if (cacheRead >= biggest.anon) {
                cacheRead = Math.max(0, cacheRead + excess);
                to = "page cache";
            } else {
                biggest.anon = Math.max(0, biggest.anon + excess);
                to = biggest.name + "'s anon";
            }
            anonTotal = tasks.stream().mapToLong(t -> t.anon).sum();
            inferred.add("usage: the fill reaches the " + hit + " limit exactly (memory " + human(target) + ", "
                    + human(Math.abs(excess)) + (excess > 0 ? " more" : " less") + " than the stats add up to, "
                    + "given to " + to
                    + (kernelMem >= scale / 100
                            ? "; " + human(kernelMem)
                                    + " of the report's usage is kernel memory the model does not have"
                            : "")
                    + "); the trigger's first charge fails");
        }

        // host
        int nodes = nodes();
        long base = limit != null ? limit : memswLimit;
        long hostMem = Math.min(MAX_HOST, Math.max(G, roundUp(Math.min(base, MAX_HOST) / 4 * 5, G)));
        inferred.add("host memory: " + size(hostMem) + ", enough for the container (a memcg OOM's report does not "
                + "show the host's size)");
        long hostSwap;
        if (swapFill == 0) {
            hostSwap = 0;
            inferred.add("host swap: none (the memcg uses none at the OOM)");
        } else if (v2 && swapMax != null) {
            hostSwap = roundUp(Math.max(swapFill, swapMax) + G, G);
            inferred.add("host swap: " + size(hostSwap) + ", room for the memcg's swap.max");
        } else if (!v2 && hit.equals("memsw")) {
            hostSwap = roundUp(Math.max(swapFill, memswLimit - (limit == null ? 0 : limit)) + G, G);
            inferred.add("host swap: " + size(hostSwap) + ", room for the memcg's swap");
        } else {
            hostSwap = swapFill;
            inferred.add("host swap: " + size(hostSwap) + ", exactly the report's swap, so that it is full when the "
                    + hit + " limit is hit (with free swap the model would swap rather than OOM)");
        }

        // activation: the report's inactive anon share
        long modelAnon = anonTotal + tmpfsData;
        long ia = stat("inactive_anon");
        long aa = stat("active_anon");
        long activate = 0;
        if (ia + aa > 0 && tmpfsData > 0) {
            long iaTarget = (long) ((double) ia * modelAnon / (ia + aa));
            long inactiveBefore = (newAnonActive() ? 0 : anonTotal) + tmpfsData;
            activate = Math.max(0, Math.min(tmpfsData, inactiveBefore - iaTarget)) / PAGE * PAGE;
        }

        // the YAML
        String knob = v2 ? "memory.max" : "memory.limit_in_bytes";
        List<String> steps = new ArrayList<>();
        List<String> fillChecks = new ArrayList<>();
        if (swapFill > 0) {
            steps.add("  - shmem: {task: " + victim.name + ", file: /dev/shm/swapped, size: " + size(swapFill) + "}");
            steps.add("  - set: {cgroup: " + oomCg + ", " + knob + ": 0}");
            steps.add("  - set: {cgroup: " + oomCg + ", " + knob + ": " + (limit == null ? "max" : size(limit)) + "}");
        }
        for (Task t : tasks) {
            if (t.anon >= PAGE) {
                steps.add("  - anon: {task: " + t.name + ", size: " + size(t.anon) + "}");
            }
        }
        if (tmpfsData >= PAGE) {
            steps.add("  - shmem: {task: " + victim.name + ", file: /dev/shm/data, size: " + size(tmpfsData) + "}");
        }
        long dirtyWrite = Math.min(dirty, cacheRead) / PAGE * PAGE;
        if (dirtyWrite < Math.max(M, scale / 100)) {
            dirtyWrite = 0;
        } else {
            steps.add("  - write: {task: " + victim.name + ", file: /data/dirty, size: " + size(dirtyWrite) + "}");
            inferred.add(
                    "dirty and writeback pages: " + human(dirtyWrite) + " written; how many are still dirty at the "
                            + "OOM depends on the flusher, which the report does not show");
        }
        if (cacheRead - dirtyWrite >= PAGE) {
            steps.add("  - read: {task: " + victim.name + ", file: /data/cache, size: " + size(cacheRead - dirtyWrite)
                    + "}");
        }
        if (mapped >= PAGE) {
            steps.add("  - mmap: {task: " + victim.name + ", file: /data/mapped, size: " + size(mapped) + "}");
        }
        if (activate >= M) {
            steps.add("  - touch: {task: " + victim.name + ", what: shmem:/dev/shm/data, size: " + size(activate)
                    + ", passes: 2}");
            inferred.add("active anon: " + human(activate)
                    + " of the tmpfs data touched twice so that inactive anon is " + "the report's share");
        }
        int fillSteps = steps.size();
        steps.add("  - snapshot: " + SNAPSHOT);
        long triggerSize = roundUp(Math.min(cacheFill, YamlText.MAX_SIZE / 2) + 64 * M, M);
        String triggerStep = switch (trigger) {
            case ANON -> "  - anon: {task: " + runner.name + ", size: " + size(triggerSize) + "}";
            case SHMEM_WRITE ->
                "  - shmem: {task: " + runner.name + ", file: /dev/shm/data, size: " + size(triggerSize) + "}";
            case FILE_FAULT ->
                "  - mmap: {task: " + runner.name + ", file: /data/faulted, size: " + size(triggerSize) + "}";
            case FILE_READ ->
                "  - read: {task: " + runner.name + ", file: /data/read, size: " + size(triggerSize) + "}";
            case FILE_WRITE ->
                "  - write: {task: " + runner.name + ", file: /data/written, size: " + size(triggerSize) + "}";
        };
        steps.add(triggerStep);
        int triggerIndex = steps.size() - 1;

        // expectations: the report's facts on its kernel, the fill on every kernel
        String k = kernel.module();
        List<String> facts = new ArrayList<>();
        int kills = Math.max(1, r.killed().size());
        if (r.victimPid() != null) {
            List<String> killFacts = new ArrayList<>();
            killFacts.add("kills == " + kills);
            killFacts.add("victim 0 == " + victim.name);
            killFacts.add("pid 0 == " + victim.pid);
            killFacts.add("kill_step 0 == " + triggerIndex);
            killFacts.add(
                    "constraint 0 == " + (r.summary() != null ? r.summary().constraint() : "CONSTRAINT_MEMCG"));
            killFacts.add("oom_memcg 0 == " + oomCg);
            killFacts.add("task_memcg 0 == " + taskCg);
            killFacts.add("limit 0 == " + hit);
            if (runner == victim) {
                killFacts.add("step " + triggerIndex + " == killed");
            }
            if (oomIsAGap) {
                killFacts.forEach(e -> knownGapChecks.add(
                        e + "\t\"the model reclaims the page cache the kernel could not, and the " + trigger.noun
                                + " may not fail (the report does not say why its page cache was not reclaimable)\""));
            } else {
                facts.addAll(killFacts);
            }
        }
        // a failcnt of 0 is a fact the fill keeps; one above 0 only where the limit hit is that counter's
        // (the count itself, and the other counter's failures, are the container's history)
        if (mem != null && (mem.failcnt() == 0 || hit.equals("memory"))) {
            facts.add(
                    oomCg + (v2 ? " memory.events:max" : " memory.failcnt") + (mem.failcnt() == 0 ? " == 0" : " > 0"));
        } else if (mem != null) {
            inferred.add("memory failcnt " + mem.failcnt() + ": failures before the report (the " + hit
                    + " limit is the one hit); the scenario does not replay them");
        }
        if (!v2 && memsw != null && memswLimit != null && (memsw.failcnt() == 0 || hit.equals("memsw"))) {
            facts.add(oomCg + " memory.memsw.failcnt" + (memsw.failcnt() == 0 ? " == 0" : " > 0"));
        } else if (!v2 && memsw != null && memswLimit != null) {
            inferred.add("memory+swap failcnt " + memsw.failcnt() + ": failures before the report (the " + hit
                    + " limit is the one hit); the scenario does not replay them");
        }
        addMix(facts, oomCg, v2, "rss", v2 ? "anon" : "rss", rss, scale);
        if (hasStat("shmem")) {
            addMix(facts, oomCg, v2, "shmem", "shmem", shmem, scale);
        }
        addMix(facts, oomCg, v2, "cache", v2 ? "file" : "cache", cacheAll, scale);
        if (swap >= scale / 100) {
            facts.add(oomCg + (v2 ? " memory.swap.current@" : " memory.stat:total_swap@") + SNAPSHOT + " ~ "
                    + size(swap) + " 5%");
        }
        for (int i = 0; i < fillSteps; i++) {
            fillChecks.add("step " + i + " == ok");
        }

        StringBuilder y = new StringBuilder();
        header(y, name, kind("memcg", trigger, hit, victim), logRef, trigger, k, true);
        y.append("host:\n");
        y.append("  memory: ").append(size(hostMem)).append('\n');
        y.append("  swap: ")
                .append(hostSwap == 0 ? "0" : size(Math.min(MAX_HOST, hostSwap)))
                .append('\n');
        y.append("  nodes: ").append(nodes).append('\n');
        y.append("cgroup: ").append(v2 ? "v2" : "v1").append('\n');
        y.append("cgroups:\n");
        Map<String, List<String>> cgroups = new LinkedHashMap<>();
        for (String cg : List.of(oomCg, taskCg)) {
            for (String p : ancestors(cg)) {
                cgroups.putIfAbsent(p, new ArrayList<>());
            }
        }
        if (!v2) {
            String top = ancestors(oomCg).get(0);
            cgroups.get(top).add("memory.use_hierarchy: 1");
        }
        List<String> limits = cgroups.get(oomCg);
        if (v2) {
            limits.add("memory.max: " + (limit == null ? "max" : size(limit)));
            if (swapMax != null) {
                limits.add("memory.swap.max: " + size(swapMax));
            }
        } else {
            if (limit != null) {
                limits.add("memory.limit_in_bytes: " + size(limit));
            }
            if (memswLimit != null) {
                limits.add("memory.memsw.limit_in_bytes: " + size(memswLimit));
            }
        }
        cgroups.forEach((path, knobs) -> {
            y.append("  ").append(path).append(':');
            if (knobs.isEmpty()) {
                y.append(" {}\n");
            } else {
                y.append('\n');
                knobs.forEach(kn -> y.append("    ").append(kn).append('\n'));
            }
        });
        tasks(y, tasks);
        y.append("steps:\n");
        steps.forEach(s -> y.append(s).append('\n'));
        expect(y, k, fillChecks, facts, v2);
        return y.toString();
    }

    private static void addMix(List<String> facts, String cg, boolean v2, String what, String key, long v, long scale) {
        if (v >= scale / 100) {
            // v1's total_ keys count the subtree, where the tasks may sit below the limited memcg
            facts.add(cg + " memory.stat:" + (v2 ? "" : "total_") + key + "@" + SNAPSHOT + " ~ " + size(v) + " 5%");
        }
    }

    private static String kind(String kind, Trigger trigger, String hit, Task victim) {
        return kind.equals("memcg")
                ? trigger.what + " hits the " + hit + " limit of a memory cgroup and " + victim.name + " is OOM-killed"
                : "the host runs out of memory on " + trigger.what + " and " + victim.name + " is OOM-killed";
    }

    /**
     * A memcg path as a scenario writes it: "/" and names of A-Z a-z 0-9 _ . - (another
     * character becomes _), no empty, "." or ".." name; null for no path.
     */
    static String cgroupPath(String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            // ':' and '@' are valid in a name but not plain in a YAML flow map: they become _ too
            String name = part.replaceAll("[^A-Za-z0-9_.-]", "_");
            b.append('/').append(name.equals(".") || name.equals("..") ? "_" : name);
        }
        return b.length() == 0 ? "/" : b.toString();
    }

    private static List<String> ancestors(String path) {
        List<String> out = new ArrayList<>();
        String[] parts = path.split("/");
        StringBuilder p = new StringBuilder();
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            p.append('/').append(part);
            out.add(p.toString());
        }
        return out;
    }

    private static long roundUp(long v, long unit) {
        return (v + unit - 1) / unit * unit;
    }

    // ------------------------------------------------------------------ global OOM

    private long hostRamBytes() {
        if (r.pagesRam() != null && r.pagesRam() > 0) {
            return r.pagesRam() * PAGE;
        }
        long present = 0;
        for (Map<String, Long> n : r.nodes().values()) {
            present += n.getOrDefault("zone:present", 0L);
        }
        if (present > 0) {
            return present;
        }
        Map<String, Long> mi = r.memInfoPages();
        long pages = 0;
        for (String key : List.of(
                "active_anon",
                "inactive_anon",
                "isolated_anon",
                "active_file",
                "inactive_file",
                "isolated_file",
                "unevictable",
                "free")) {
            pages += mi.getOrDefault(key, 0L);
        }
        return pages * PAGE;
    }

    private String global(String name, Trigger trigger) {
        Map<String, Long> mi = r.memInfoPages();
        int nodes = nodes();
        long ram = hostRamBytes();
        String ramFrom = r.pagesRam() != null
                ? "the report's pages RAM"
                : ram > 0 && r.nodes().values().stream().anyMatch(n -> n.containsKey("zone:present"))
                        ? "the zones' present pages"
                        : "the Mem-Info LRU lists, unevictable and free pages (slab, page tables and kernel memory are not "
                                + "modelled and left out)";
        long pageSet = nodes * PAGE;
        ram = Math.max(16 * M, Math.min(1L << 40, roundUp(ram, pageSet)));
        inferred.add("host memory: " + size(ram) + " (" + human(ram) + "), from " + ramFrom);
        long minFreeKbytes = minFreeKbytes(ram);
        long minPages = 0;
        long perNode = ram / PAGE / nodes;
        for (int i = 0; i < nodes; i++) {
            minPages += (minFreeKbytes / 4) * perNode / (ram / PAGE);
        }
        inferred.add("vm.min_free_kbytes " + minFreeKbytes + ": the " + kernel.module() + " kernel's own formula for "
                + "this host, written out so that every kernel keeps the same reserve; the fill stops at the min "
                + "watermark");
        long swapUsed = 0;
        long hostSwap = 0;
        if (r.totalSwapBytes() != null) {
            long free = r.freeSwapBytes() == null ? 0 : Math.max(0, r.freeSwapBytes());
            swapUsed = Math.max(0, r.totalSwapBytes() - free);
            hostSwap = swapUsed;
            if (free >= ram / 100) {
                inferred.add("host swap: " + size(hostSwap) + ", the swap in use; the report shows " + human(free)
                        + " free, which the model's reclaim would use before an OOM");
            } else if (hostSwap == 0) {
                inferred.add("host swap: none, as in the report");
            } else {
                inferred.add("host swap: " + size(hostSwap) + ", full as in the report");
            }
        } else {
            inferred.add("host swap: none (the report has no swap lines"
                    + (mi.getOrDefault("inactive_anon", 0L) * PAGE >= ram / 100
                            ? "; its inactive anon was not swapped, which suggests none"
                            : "")
                    + ")");
        }
        long shmem = mi.getOrDefault("shmem", 0L) * PAGE;
        long file = (mi.getOrDefault("active_file", 0L) + mi.getOrDefault("inactive_file", 0L)) * PAGE;
        long slab = (mi.getOrDefault("slab_reclaimable", 0L) + mi.getOrDefault("slab_unreclaimable", 0L)) * PAGE;
        long unevictable = mi.getOrDefault("unevictable", 0L) * PAGE;
        if (slab >= ram / 100) {
            gaps.add("slab: " + human(slab) + " of slab, which the model does not have (docs/FIDELITY.md, Not "
                    + "modelled); the fill gives its pages to anonymous memory");
            knownGapChecks.add("/proc/meminfo:Slab@" + SNAPSHOT + " >= " + size(slab * 9 / 10 / PAGE * PAGE)
                    + "\t\"slab is not modelled: docs/FIDELITY.md, Not modelled\"");
        }
        if (unevictable >= ram / 100) {
            gaps.add("unevictable: " + human(unevictable) + " of mlocked or unevictable pages (not modelled)");
            knownGapChecks.add("/proc/meminfo:Unevictable@" + SNAPSHOT + " >= "
                    + size(unevictable * 9 / 10 / PAGE * PAGE)
                    + "\t\"mlock and unevictable pages are not modelled: docs/FIDELITY.md, Not modelled\"");
        }
        long fillTotal = ram - minPages * PAGE + swapUsed;
        long anonTotal = Math.max(0, fillTotal - shmem);
        String victimCg = r.summary() != null && cgroupPath(r.summary().taskMemcg()) != null
                ? cgroupPath(r.summary().taskMemcg())
                : "/";
        if (victimCg.equals("/") && r.summary() == null) {
            inferred.add("cgroups: none; the report of a global OOM on this kernel names no memcg");
        }
        List<Task> tasks = tasks(victimCg, anonTotal, ram + hostSwap, true);
        Task victim = tasks.get(0);
        Task filler = tasks.size() > 1 ? tasks.get(1) : victim;
        Task runner = victim;
        for (Task t : tasks) {
            if (r.invokerPid() != null && t.pid == r.invokerPid() && t != victim) {
                runner = t;
                inferred.add("the allocating task " + t.name + " (pid " + t.pid + ", in the task table) runs the "
                        + "trigger");
            }
        }

        // activation
        long ia = mi.getOrDefault("inactive_anon", 0L) * PAGE;
        long aa = mi.getOrDefault("active_anon", 0L) * PAGE;
        long activate = 0;
        if (ia + aa > 0 && shmem > 0) {
            long modelAnon = anonTotal + shmem;
            long iaTarget = (long) ((double) ia * modelAnon / (ia + aa));
            long inactiveBefore = (newAnonActive() ? 0 : anonTotal) + shmem;
            activate = Math.max(0, Math.min(shmem, inactiveBefore - iaTarget)) / PAGE * PAGE;
        }

        List<String> steps = new ArrayList<>();
        if (shmem >= PAGE) {
            steps.add("  - shmem: {task: " + filler.name + ", file: /dev/shm/data, size: " + size(shmem) + "}");
        }
        if (file >= PAGE) {
            steps.add("  - read: {task: " + filler.name + ", file: /data/cache, size: " + size(file) + "}");
            inferred.add("page cache: " + human(file) + " read before the fill, which then reclaims it: the model "
                    + "keeps no page cache the way a busy host does at its OOM");
        }
        if (activate >= M) {
            steps.add("  - touch: {task: " + filler.name + ", what: shmem:/dev/shm/data, size: " + size(activate)
                    + ", passes: 2}");
            inferred.add("active anon: " + human(activate) + " of the tmpfs touched twice so that inactive anon is the "
                    + "report's share");
        }
        for (Task t : tasks) {
            if (t.anon >= PAGE) {
                steps.add("  - anon: {task: " + t.name + ", size: " + size(t.anon) + "}");
            }
        }
        int fillSteps = steps.size();
        steps.add("  - snapshot: " + SNAPSHOT);
        long triggerSize = roundUp(Math.min(file, YamlText.MAX_SIZE / 2) + 16 * M, M);
        steps.add(
                switch (trigger) {
                    case ANON -> "  - anon: {task: " + runner.name + ", size: " + size(triggerSize) + "}";
                    case SHMEM_WRITE ->
                        "  - shmem: {task: " + runner.name + ", file: /dev/shm/trigger, size: " + size(triggerSize)
                                + "}";
                    case FILE_FAULT ->
                        "  - mmap: {task: " + runner.name + ", file: /data/faulted, size: " + size(triggerSize) + "}";
                    case FILE_READ ->
                        "  - read: {task: " + runner.name + ", file: /data/read, size: " + size(triggerSize) + "}";
                    case FILE_WRITE ->
                        "  - write: {task: " + runner.name + ", file: /data/written, size: " + size(triggerSize) + "}";
                });
        int triggerIndex = steps.size() - 1;
        if (r.invokerComm() == null) {
            inferred.add("the allocating task: not in the report; the victim runs the trigger");
        } else if (runner == victim) {
            inferred.add("the allocating task " + r.invokerComm() + ": taken for the victim (or one of its threads), "
                    + "which runs the trigger");
        }

        String k = kernel.module();
        List<String> facts = new ArrayList<>();
        if (r.victimPid() != null) {
            facts.add("kills == " + Math.max(1, r.killed().size()));
            facts.add("victim 0 == " + victim.name);
            facts.add("pid 0 == " + victim.pid);
            facts.add("kill_step 0 == " + triggerIndex);
            facts.add("constraint 0 == " + (r.summary() != null ? r.summary().constraint() : "CONSTRAINT_NONE"));
            facts.add("oom_memcg 0 == global");
            facts.add("limit 0 == host");
            if (runner == victim) {
                facts.add("step " + triggerIndex + " == killed");
            }
        }
        if (shmem >= ram / 100) {
            facts.add("/proc/meminfo:Shmem@" + SNAPSHOT + " ~ " + size(shmem) + " 5%");
        }
        // the LRU split only without swap: with it, the fill's reclaim reshapes the lists its own way
        if (ia >= ram / 100 && hostSwap == 0) {
            facts.add("/proc/meminfo:Inactive(anon)@" + SNAPSHOT + " ~ " + size(ia) + " 5%");
        }
        if (aa >= ram / 100 && hostSwap == 0) {
            facts.add("/proc/meminfo:Active(anon)@" + SNAPSHOT + " ~ " + size(aa) + " 5%");
        }
        if (hostSwap > 0 && ia + aa > 0) {
            inferred.add("the active/inactive split: not expected, as the fill swaps and its reclaim reshapes the "
                    + "lists");
        }
        List<String> fillChecks = new ArrayList<>();
        for (int i = 0; i < fillSteps; i++) {
            fillChecks.add("step " + i + " == ok");
        }

        StringBuilder y = new StringBuilder();
        header(y, name, kind("global", trigger, "host", victim), logRef, trigger, k, false);
        y.append("host:\n");
        y.append("  memory: ").append(size(ram)).append('\n');
        y.append("  swap: ")
                .append(hostSwap == 0 ? "0" : size(Math.min(MAX_HOST, roundUp(hostSwap, PAGE))))
                .append('\n');
        y.append("  nodes: ").append(nodes).append('\n');
        y.append("  min_free_kbytes: ").append(minFreeKbytes).append('\n');
        y.append("cgroup: v1\n");
        List<String> cgs = victimCg.equals("/") ? List.of() : ancestors(victimCg);
        if (cgs.isEmpty()) {
            y.append("cgroups: {}\n");
        } else {
            y.append("cgroups:\n");
            for (int i = 0; i < cgs.size(); i++) {
                y.append("  ").append(cgs.get(i)).append(i == 0 ? ":\n    memory.use_hierarchy: 1\n" : ": {}\n");
            }
        }
        tasks(y, tasks);
        y.append("steps:\n");
        steps.forEach(s -> y.append(s).append('\n'));
        expect(y, k, fillChecks, facts, false);
        return y.toString();
    }

    /** init_per_zone_wmark_min: int_sqrt(lowmem_kbytes * 16), clamped to 128 and the kernel's maximum. */
    private long minFreeKbytes(long ramBytes) {
        long max = Kernels.byVersion(kernel.module())
                .map(Kernel::traits)
                .map(t -> t.minFreeKbytesMax())
                .orElse(65536L);
        return Math.max(128, Math.min(max, IntSqrt.intSqrt(ramBytes / K * 16)));
    }

    // ------------------------------------------------------------------ the parts every scenario has

    private void header(
            StringBuilder y, String name, String what, String log, Trigger trigger, String k, boolean memcg) {
        y.append("name: ").append(name).append('\n');
        y.append("title: ").append(quote("Imported: " + what)).append('\n');
        y.append("description: |\n");
        List<String> d = new ArrayList<>();
        d.add("Imported by memcg-diff import from " + log + " (lines " + r.firstLine() + "-" + r.lastLine()
                + (r.host().isEmpty() ? "" : ", host " + r.host()) + "): " + what + ".");
        d.add("");
        d.add("What the report shows: " + summary(memcg));
        d.add("");
        d.add("Inferred (the report does not say it):");
        inferred.forEach(i -> d.add("- " + i));
        if (!gaps.isEmpty()) {
            d.add("");
            d.add("Known gaps (the model cannot reproduce these yet; each is a known-gap expectation where an "
                    + "observable exists):");
            gaps.forEach(g -> d.add("- " + g));
        }
        if (!r.problems().isEmpty()) {
            d.add("");
            d.add("Read with problems:");
            r.problems().forEach(p -> d.add("- " + p));
        }
        d.add("");
        d.add("The expectations under \"" + k + "\" are the report's own facts; those under \"all\" that the fill "
                + "succeeds. Add what the other kernels must do, each from its source (golden/README.md).");
        for (String line : d) {
            for (String wrapped : wrap(line, 96)) {
                y.append(wrapped.isEmpty() ? "" : "  " + wrapped).append('\n');
            }
        }
        y.append("refs:\n");
        y.append("  - ").append(quote(log)).append('\n');
        String rel = KernelGuess.citedRelease(k);
        for (String ref : memcg
                ? List.of(
                        k.equals("5.18")
                                ? "mm/memcontrol.c:mem_cgroup_print_oom_meminfo"
                                : "mm/memcontrol.c:mem_cgroup_print_oom_info",
                        "mm/oom_kill.c:dump_header",
                        "mm/memcontrol.c:"
                                + (k.equals("5.18")
                                        ? "try_charge_memcg"
                                        : k.equals("4.18") ? "try_charge" : "mem_cgroup_do_charge"))
                : List.of(
                        "mm/page_alloc.c:show_free_areas",
                        "mm/oom_kill.c:dump_header",
                        "mm/oom_kill.c:out_of_memory")) {
            y.append("  - ").append(quote(ref + " (" + rel + ")")).append('\n');
        }
    }

    private String summary(boolean memcg) {
        List<String> parts = new ArrayList<>();
        if (r.invokerComm() != null) {
            parts.add(r.invokerComm() + (r.invokerPid() == null ? "" : " (pid " + r.invokerPid() + ")")
                    + " invoked the OOM killer" + (r.gfpFlags() == null ? "" : " with " + r.gfpFlags()));
        }
        if (memcg) {
            IncidentReport.Counter mem = r.counter("memory");
            IncidentReport.Counter memsw = r.counter("memory+swap");
            IncidentReport.Counter swap = r.counter("swap");
            if (mem != null) {
                parts.add("memory " + human(mem.usageBytes()) + " of " + limitText(mem) + ", failcnt " + mem.failcnt());
            }
            if (memsw != null) {
                parts.add("memory+swap " + human(memsw.usageBytes()) + " of " + limitText(memsw) + ", failcnt "
                        + memsw.failcnt());
            }
            if (swap != null) {
                parts.add("swap " + human(swap.usageBytes()) + " of " + limitText(swap));
            }
            Map<String, Long> st = r.memcgStats();
            List<String> mix = new ArrayList<>();
            for (String key :
                    List.of("cache", "rss", "shmem", "swap", "anon", "file", "inactive_anon", "active_anon")) {
                if (st.containsKey(key)) {
                    mix.add(key + " " + human(st.get(key)));
                }
            }
            if (!mix.isEmpty()) {
                parts.add("stats " + String.join(", ", mix));
            }
        } else {
            Map<String, Long> mi = r.memInfoPages();
            List<String> mix = new ArrayList<>();
            for (String key :
                    List.of("active_anon", "inactive_anon", "active_file", "inactive_file", "shmem", "free")) {
                if (mi.containsKey(key)) {
                    mix.add(key + " " + human(mi.get(key) * PAGE));
                }
            }
            if (!mix.isEmpty()) {
                parts.add("Mem-Info " + String.join(", ", mix));
            }
        }
        String victim = r.victimComm();
        if (victim != null) {
            parts.add("killed " + victim + " (pid " + r.victimPid() + ")");
        }
        return parts.isEmpty() ? "(little: the report is cut)" : String.join("; ", parts) + ".";
    }

    private static String limitText(IncidentReport.Counter c) {
        return c.limitBytes() == null ? "no limit" : human(c.limitBytes());
    }

    private static void tasks(StringBuilder y, List<Task> tasks) {
        y.append("tasks:\n");
        for (Task t : tasks) {
            y.append("  ")
                    .append(t.name)
                    .append(": {cgroup: ")
                    .append(t.cgroup)
                    .append(", pid: ")
                    .append(t.pid);
            if (t.uid != 0) {
                y.append(", uid: ").append(t.uid);
            }
            if (t.adj != 0) {
                y.append(", oom_score_adj: ").append(t.adj);
            }
            y.append("}\n");
        }
    }

    private void expect(StringBuilder y, String k, List<String> all, List<String> facts, boolean v2) {
        boolean own = !facts.isEmpty() || !knownGapChecks.isEmpty();
        boolean refused = v2 && !k.equals("3.10");
        if (all.isEmpty() && !own && !refused) {
            return;
        }
        y.append("expect:\n");
        if (!all.isEmpty()) {
            y.append("  all:\n");
            all.forEach(e -> y.append("    - ").append(quote(e)).append('\n'));
        }
        if (own) {
            y.append("  ").append(quote(k)).append(":\n");
            facts.forEach(e -> y.append("    - ").append(quote(e)).append('\n'));
            for (String g : knownGapChecks) {
                String[] parts = g.split("\t", 2);
                y.append("    - {check: ")
                        .append(quote(parts[0]))
                        .append(", known-gap: ")
                        .append(parts[1])
                        .append("}\n");
            }
        }
        if (refused) {
            // cgroup v2 on 3.10: the kernel has no v2 memory controller, the model refuses the scenario
            y.append("  \"3.10\":\n    - \"unsupported\"\n");
        }
    }

    /** Words wrapped at {@code width} columns for the description block. */
    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        if (text.isEmpty()) {
            out.add("");
            return out;
        }
        String clean = text.replaceAll("[\\p{Cntrl}&&[^\\n]]", "?");
        StringBuilder line = new StringBuilder();
        String indent = clean.startsWith("- ") ? "  " : "";
        for (String word : clean.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                out.add(line.toString());
                line = new StringBuilder(indent);
            }
            if (line.length() > 0 && !line.toString().equals(indent)) {
                line.append(' ');
            }
            line.append(word);
        }
        out.add(line.toString());
        return out;
    }
}
