package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.oom.NodeMemInfo;
import dev.memcgdiff.mm.oom.OomVictims;
import dev.memcgdiff.mm.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * mm/oom_kill.c of 5.18: out_of_memory, select_bad_process / oom_evaluate_task (ties go to the
 * later task), oom_badness returning long (LONG_MIN for the unkillable, no root bonus),
 * oom_kill_process with memory.oom.group, and the report in 5.18's printk formats.
 */
final class OomKill {
    static final String MEMCG_MESSAGE = "Memory cgroup out of memory";
    static final String GLOBAL_MESSAGE = "Out of memory";
    /** OOM_SCORE_ADJ_MIN. */
    static final int OOM_SCORE_ADJ_MIN = -1000;
    static final long PAGE_SIZE = 4096;

    private final Machine m;
    private final Memcontrol memcontrol;

    OomKill(Machine m, Memcontrol memcontrol) {
        this.m = m;
        this.memcontrol = memcontrol;
    }

    /** struct oom_control; {@code chosen == null && abort} stands for the kernel's chosen == -1. */
    static final class OomControl {
        final MemCgroup memcg;
        final int gfp;
        final int order;
        final String limit;
        long totalpages;
        String constraint;
        Task chosen;
        long chosenPoints;
        boolean abort;

        OomControl(MemCgroup memcg, int gfp, int order, String limit) {
            this.memcg = memcg;
            this.gfp = gfp;
            this.order = order;
            this.limit = limit;
        }
    }

    /** out_of_memory for a memcg OOM (from mem_cgroup_out_of_memory). */
    boolean memcgOutOfMemory(MemCgroup memcg, int gfp, int order, String limit) {
        return outOfMemory(new OomControl(memcg, gfp, order, limit));
    }

    /** out_of_memory for an allocation that found no page on the host (__alloc_pages_may_oom). */
    boolean globalOutOfMemory(int gfp) {
        return outOfMemory(new OomControl(null, gfp, 0, "host"));
    }

    /**
     * out_of_memory (5.18): a dying current task is simply let through; a global !__GFP_FS
     * allocation pretends progress; then select and kill. Nothing killable panics the host,
     * but a memcg OOM just fails.
     */
    boolean outOfMemory(OomControl oc) {
        Task current = m.current;
        if (current != null && current.oomVictim && !current.oomSkip) {
            return true; // task_will_free_mem(current): mark_oom_victim, queue_oom_reaper
        }
        if (oc.memcg == null && oc.gfp != 0 && !Gfp.has(oc.gfp, Gfp.FS)) {
            return true;
        }
        constrainedAlloc(oc);
        selectBadProcess(oc);
        if (oc.chosen == null && !oc.abort) {
            List<String> report = dumpHeader(oc, null);
            report.add("Out of memory and no killable processes...");
            if (oc.memcg == null) {
                m.panic = "System is deadlocked on memory";
            }
            m.trace.count("out_of_memory" + (oc.memcg == null ? "" : " " + oc.memcg.path())
                + ": Out of memory and no killable processes...");
            return false;
        }
        if (oc.abort) {
            m.trace.count("out_of_memory: a previous victim has not exited yet, no new kill");
            return true;
        }
        oomKillProcess(oc, oc.memcg != null ? MEMCG_MESSAGE : GLOBAL_MESSAGE);
        return true;
    }

    /** constrained_alloc: CONSTRAINT_MEMCG with mem_cgroup_get_max (or 1), else RAM + swap. */
    private void constrainedAlloc(OomControl oc) {
        if (oc.memcg != null) {
            long max = memcontrol.getMax(oc.memcg);
            oc.totalpages = max == 0 ? 1 : max;
            oc.constraint = "CONSTRAINT_MEMCG";
            return;
        }
        oc.totalpages = m.pages.count() + m.swap.slots();
        oc.constraint = "CONSTRAINT_NONE";
    }

    /**
     * select_bad_process / oom_evaluate_task: init is never looked at; an earlier victim not yet
     * reaped aborts the scan; otherwise the highest badness wins and, since only a lower score is
     * passed over, a tie goes to the task met later.
     */
    void selectBadProcess(OomControl oc) {
        oc.chosenPoints = Long.MIN_VALUE;
        for (Task t : OomVictims.candidates(m, oc.memcg)) {
            if (oomUnkillableTask(t)) {
                continue;
            }
            if (t.oomVictim) {
                if (t.oomSkip) {
                    continue;
                }
                oc.chosen = null;
                oc.abort = true;
                return;
            }
            long points = oomBadness(t, oc.totalpages);
            if (points == Long.MIN_VALUE || points < oc.chosenPoints) {
                continue;
            }
            oc.chosen = t;
            oc.chosenPoints = points;
        }
    }

    /** mm_pgtables_bytes: the task's page-table pages in bytes. */
    static long mmPgtablesBytes(Task t) {
        return t.pageTablePages() * PAGE_SIZE;
    }

    /** oom_unkillable_task: the global init (kernel threads do not exist in the model). */
    static boolean oomUnkillableTask(Task t) {
        return t.pid() == 1;
    }

    /**
     * oom_badness (5.18): LONG_MIN for init, an exited task, oom_score_adj -1000 or an mm
     * already reaped; else rss + swap entries + page table pages, plus oom_score_adj times
     * totalpages / 1000 (integer division first). It may be negative.
     */
    static long oomBadness(Task t, long totalpages) {
        if (oomUnkillableTask(t) || !t.alive()) {
            return Long.MIN_VALUE;
        }
        long adj = t.oomScoreAdj();
        if (adj == OOM_SCORE_ADJ_MIN || t.oomSkip) {
            return Long.MIN_VALUE;
        }
        long points = t.rss() + t.swapEnts + mmPgtablesBytes(t) / PAGE_SIZE;
        adj *= totalpages / 1000;
        return points + adj;
    }

    /**
     * oom_kill_process (5.18): the report, the kill, and with an oom group the kill of every
     * task in it but oom_score_adj -1000 and init. The group scan does not skip the victim, so
     * it is killed (and counted) a second time, as in the kernel.
     */
    private void oomKillProcess(OomControl oc, String message) {
        Task victim = oc.chosen;
        List<String> report = dumpHeader(oc, victim);
        MemCgroup oomGroup = OomVictims.oomGroup(m, victim, oc.memcg);
        String victimMemcg = victim.memcg().path();
        List<Task> killed = new ArrayList<>();
        oomKillTask(victim, message, report, killed);
        if (oomGroup != null) {
            memcontrol.memcgMemoryEvent(oomGroup, MemoryEvent.OOM_GROUP_KILL);
            report.add("Tasks in " + oomGroup.path() + " are going to be killed due to memory.oom.group set");
            for (Task t : OomVictims.candidates(m, oomGroup)) {
                if (t.oomScoreAdj() != OOM_SCORE_ADJ_MIN && !oomUnkillableTask(t)) {
                    oomKillTask(t, message, report, killed);
                }
            }
        }
        for (Task t : killed) {
            OomVictims.kill(m, t);
        }
        m.recordKill(new dev.memcgdiff.mm.oom.OomKill(m.step, victim.comm(), victim.pid(),
            oc.memcg == null ? null : oc.memcg.path(), victimMemcg, oc.constraint, oc.limit, oc.chosenPoints,
            oc.totalpages, report));
        m.trace.count("oom_kill_process: killed " + victim.comm() + " (" + victim.pid() + ") in " + victimMemcg
            + (oc.memcg == null ? " by the global OOM killer" : " for the limit of " + oc.memcg.path())
            + " points=" + oc.chosenPoints + (oomGroup == null ? "" : " with memory.oom.group of " + oomGroup.path()));
    }

    /**
     * __oom_kill_process: MEMCG_OOM_KILL on the victim's memcg (mm->owner's), SIGKILL and the
     * kill line. The victim's memory goes after every kill line is out (OomVictims.kill).
     */
    private void oomKillTask(Task t, String message, List<String> report, List<Task> killed) {
        memcontrol.memcgMemoryEvent(t.memcg(), MemoryEvent.OOM_KILL);
        report.add(killLine(message, t));
        killed.add(t);
    }

    /** The pr_err line of __oom_kill_process in 5.18. */
    static String killLine(String message, Task t) {
        return message + ": Killed process " + t.pid() + " (" + t.comm() + ") total-vm:" + kb(t.totalVm())
            + "kB, anon-rss:" + kb(t.rssAnon) + "kB, file-rss:" + kb(t.rssFile) + "kB, shmem-rss:" + kb(t.rssShmem)
            + "kB, UID:" + t.uid() + " pgtables:" + (mmPgtablesBytes(t) >> 10) + "kB oom_score_adj:"
            + t.oomScoreAdj();
    }

    private static long kb(long pages) {
        return pages * 4;
    }

    // ---------------------------------------------------------------- the report

    /** dump_header (5.18): the invoked line, the stack, meminfo, the task table, the summary. */
    private List<String> dumpHeader(OomControl oc, Task victim) {
        List<String> r = new ArrayList<>();
        Task cur = m.current;
        String comm = cur == null ? "sh" : cur.comm();
        int adj = cur == null ? 0 : cur.oomScoreAdj();
        r.add(comm + " invoked oom-killer: gfp_mask=" + GfpFlags.format(oc.gfp == 0 ? Gfp.GFP_KERNEL : oc.gfp)
            + ", order=" + oc.order + ", oom_score_adj=" + adj);
        r.add("CPU: 0 PID: " + (cur == null ? 1 : cur.pid()) + " Comm: " + comm + " Not tainted 5.18.12 #1");
        r.add("Call Trace:");
        r.add(" <TASK>");
        for (String f : oc.memcg != null ? CallTrace.memcgOom(m.site) : CallTrace.globalOom(m.site)) {
            r.add(" " + f);
        }
        r.add(" </TASK>");
        if (oc.memcg != null) {
            memCgroupPrintOomMeminfo(r, oc.memcg);
        } else {
            showMem(r);
        }
        dumpTasks(r, oc.memcg);
        if (victim != null) {
            r.add(dumpOomSummary(oc, victim));
        }
        return r;
    }

    /** dump_oom_summary: constraint, nodemask, cpuset and mems_allowed, the memcgs, the victim. */
    private String dumpOomSummary(OomControl oc, Task victim) {
        Task cur = m.current;
        String cpuset = cur == null ? "/" : cgroupName(cur.memcg());
        String mems = m.nodes.length == 1 ? "0" : "0-" + (m.nodes.length - 1);
        return "oom-kill:constraint=" + oc.constraint + ",nodemask=(null),cpuset=" + cpuset + ",mems_allowed=" + mems
            + (oc.memcg != null ? ",oom_memcg=" + oc.memcg.path() : ",global_oom") + ",task_memcg="
            + victim.memcg().path() + ",task=" + victim.comm() + ",pid=" + victim.pid() + ",uid=" + victim.uid();
    }

    /** pr_cont_cgroup_name: the last path component, "/" for the root. */
    private static String cgroupName(MemCgroup memcg) {
        String path = memcg.path();
        return memcg.isRoot() ? "/" : path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * mem_cgroup_print_oom_meminfo (5.18): the counters (memory and swap in v2; memory,
     * memory+swap and kmem in v1), then the memory.stat text of the OOMing memcg.
     */
    private void memCgroupPrintOomMeminfo(List<String> r, MemCgroup memcg) {
        r.add(OomVictims.counterLine("memory", memcg.memory));
        if (memcontrol.v2()) {
            r.add(OomVictims.counterLine("swap", memcg.swap));
        } else {
            r.add(OomVictims.counterLine("memory+swap", memcg.memsw));
            r.add(OomVictims.counterLine("kmem", memcg.kmem));
        }
        r.add("Memory cgroup stats for " + memcg.path() + ":");
        for (Map.Entry<String, Long> e : MemcgFiles.memoryStat(memcg).entrySet()) {
            r.add(e.getKey() + " " + e.getValue());
        }
    }


    /**
     * show_mem for a global OOM: the Mem-Info summary, the per-node and per-zone lines, the page
     * cache and swap totals (buddy free lists and swap cache statistics left out).
     */
    private void showMem(List<String> r) {
        NodeMemInfo t = NodeMemInfo.total(m);
        long pageTables = 0;
        for (Node n : m.nodes) {
            pageTables += pageTables(n.id());
        }
        r.add("Mem-Info:");
        r.add("active_anon:" + t.lru[Lru.ACTIVE_ANON] + " inactive_anon:" + t.lru[Lru.INACTIVE_ANON]
            + " isolated_anon:0");
        r.add(" active_file:" + t.lru[Lru.ACTIVE_FILE] + " inactive_file:" + t.lru[Lru.INACTIVE_FILE]
            + " isolated_file:0");
        r.add(" unevictable:" + t.lru[Lru.UNEVICTABLE] + " dirty:" + t.dirty + " writeback:0");
        r.add(" slab_reclaimable:0 slab_unreclaimable:0");
        r.add(" mapped:" + t.mapped + " shmem:" + t.shmem + " pagetables:" + pageTables + " bounce:0");
        r.add(" kernel_misc_reclaimable:0");
        r.add(" free:" + t.free + " free_pcp:0 free_cma:0");
        for (Node n : m.nodes) {
            NodeMemInfo i = NodeMemInfo.of(m, n.id());
            r.add("Node " + n.id() + " active_anon:" + kb(i.lru[Lru.ACTIVE_ANON]) + "kB inactive_anon:"
                + kb(i.lru[Lru.INACTIVE_ANON]) + "kB active_file:" + kb(i.lru[Lru.ACTIVE_FILE]) + "kB inactive_file:"
                + kb(i.lru[Lru.INACTIVE_FILE]) + "kB unevictable:" + kb(i.lru[Lru.UNEVICTABLE])
                + "kB isolated(anon):0kB isolated(file):0kB mapped:" + kb(i.mapped) + "kB dirty:" + kb(i.dirty)
                + "kB writeback:0kB shmem:" + kb(i.shmem)
                + "kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 0kB writeback_tmp:0kB kernel_stack:0kB"
                + " pagetables:" + kb(pageTables(n.id())) + "kB all_unreclaimable? "
                + (n.kswapdFailures >= Vmscan.MAX_RECLAIM_RETRIES ? "yes" : "no"));
        }
        for (Node n : m.nodes) {
            NodeMemInfo i = NodeMemInfo.of(m, n.id());
            r.add("Node " + n.id() + " Normal free:" + kb(n.nrFree()) + "kB boost:0kB min:" + kb(n.wmarkMin())
                + "kB low:" + kb(n.wmarkLow()) + "kB high:" + kb(n.wmarkHigh()) + "kB reserved_highatomic:0KB"
                + " active_anon:" + kb(i.lru[Lru.ACTIVE_ANON]) + "kB inactive_anon:" + kb(i.lru[Lru.INACTIVE_ANON])
                + "kB active_file:" + kb(i.lru[Lru.ACTIVE_FILE]) + "kB inactive_file:" + kb(i.lru[Lru.INACTIVE_FILE])
                + "kB unevictable:" + kb(i.lru[Lru.UNEVICTABLE]) + "kB writepending:" + kb(i.dirty) + "kB present:"
                + kb(n.managedPages()) + "kB managed:" + kb(n.managedPages())
                + "kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB");
            r.add("lowmem_reserve[]: 0 0 0 0 0");
        }
        long cache = 0;
        long swapCache = 0;
        for (MemCgroup c : m.memcgs()) {
            cache += c.stat(MemcgStat.CACHE);
            swapCache += c.stat(MemcgStat.SWAPCACHE);
        }
        r.add(cache + swapCache + " total pagecache pages");
        r.add(swapCache + " pages in swap cache");
        r.add("Free swap  = " + kb(m.swap.free()) + "kB");
        r.add("Total swap = " + kb(m.swap.slots()) + "kB");
        r.add(m.pages.count() + " pages RAM");
        r.add("0 pages HighMem/MovableOnly");
        r.add("0 pages reserved");
    }

    /** NR_PAGETABLE of a node: the page tables of the live tasks allocating there first. */
    private long pageTables(int node) {
        long pt = 0;
        for (Task task : m.tasks()) {
            if (task.alive() && m.homeNode(task) == node) {
                pt += task.pageTablePages();
            }
        }
        return pt;
    }

    /**
     * dump_tasks (5.18): every task that could be killed (init and exited tasks left out), in
     * mem_cgroup_scan_tasks order for a memcg OOM, process order otherwise.
     */
    private void dumpTasks(List<String> r, MemCgroup memcg) {
        r.add("Tasks state (memory values in pages):");
        r.add("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name");
        for (Task t : OomVictims.candidates(m, memcg)) {
            if (oomUnkillableTask(t)) {
                continue;
            }
            r.add(String.format(java.util.Locale.ROOT, "[%7d] %5d %5d %8d %8d %8d %8d         %5d %s", t.pid(),
                t.uid(), t.pid(), t.totalVm(), t.rss(), mmPgtablesBytes(t), t.swapEnts, t.oomScoreAdj(),
                t.comm()));
        }
    }
}
