package dev.memcgdiff.linux518;

import static dev.memcgdiff.mm.oom.OomVictims.kb;
import static dev.memcgdiff.mm.vmscan.VmscanConstants.MAX_RECLAIM_RETRIES;

import dev.memcgdiff.kernel.FaultRetry;
import dev.memcgdiff.kernel.OomOps;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgOomWaitq;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.oom.NodeMemInfo;
import dev.memcgdiff.mm.oom.OomReport;
import dev.memcgdiff.mm.oom.OomVictims;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.Sizes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * mm/oom_kill.c of 5.18: out_of_memory, select_bad_process / oom_evaluate_task (ties go to the
 * later task), oom_badness returning long (LONG_MIN for the unkillable, no root bonus),
 * oom_kill_process with memory.oom.group, the report in 5.18's printk formats, and
 * pagefault_out_of_memory.
 *
 * <p>Two functions of mm/memcontrol.c live here too: mem_cgroup_out_of_memory, the memcg entry
 * to out_of_memory (the charge path and memory_max_write call it), and mem_cgroup_oom_synchronize,
 * pagefault_out_of_memory's first step. With them beside out_of_memory the OOM killer asks the
 * memory controller for nothing but its limits ({@link MemcgLimits}), and the charge path can
 * call the OOM killer without a cycle.
 */
final class OomKill implements OomOps {
    static final String MEMCG_MESSAGE = "Memory cgroup out of memory";
    static final String GLOBAL_MESSAGE = "Out of memory";
    /**
     * The kernel keeps retrying while the OOM killer reports progress; a kill that frees nothing
     * charged to the memcg would let it loop as long as tasks remain. The model gives up after
     * this many OOM rounds of one charge (or one memory_max_write) and says so in the trace.
     */
    static final int MAX_OOM_ROUNDS = 64;

    private final Machine m;
    private final MemcgLimits limits;

    OomKill(Machine m, MemcgLimits limits) {
        this.m = m;
        this.limits = limits;
    }

    /** task_is_dying (mm/memcontrol.c): an OOM victim (the model's tasks only die that way, or by exiting). */
    static boolean taskIsDying(Task current) {
        return current != null && current.oomVictim;
    }

    /**
     * mem_cgroup_out_of_memory (mm/memcontrol.c): a margin of 1 &lt;&lt; order appeared meanwhile
     * (true, no kill); a dying current task counts as progress; otherwise out_of_memory
     * constrained to the memcg.
     */
    boolean memCgroupOutOfMemory(MemCgroup memcg, int gfp, int order, LimitKind limit, Task current) {
        if (limits.margin(memcg) >= (1L << order)) {
            m.trace.count(
                    TracePoints.OOM_MARGIN,
                    memcg,
                    "mem_cgroup_out_of_memory " + memcg.path() + ": margin appeared, no kill");
            return true;
        }
        if (taskIsDying(current)) {
            return true;
        }
        return memcgOutOfMemory(memcg, gfp, order, limit);
    }

    /** out_of_memory for a memcg OOM (from mem_cgroup_out_of_memory). */
    boolean memcgOutOfMemory(MemCgroup memcg, int gfp, int order, LimitKind limit) {
        return outOfMemory(new OomControl(memcg, gfp, order, limit));
    }

    /**
     * out_of_memory for an allocation that found no page on the host (__alloc_pages_may_oom);
     * current is the machine's.
     */
    @Override
    public boolean outOfMemory(int gfp, Task current) {
        return globalOutOfMemory(gfp);
    }

    /** out_of_memory for an allocation that found no page on the host (__alloc_pages_may_oom). */
    boolean globalOutOfMemory(int gfp) {
        return outOfMemory(new OomControl(null, gfp, 0, LimitKind.HOST));
    }

    /**
     * mm/oom_kill.c:pagefault_out_of_memory (5.18): mem_cgroup_oom_synchronize for a fault that
     * recorded a v1 oom_kill_disable OOM (the shared waitqueue: the task sleeps until an uncharge,
     * a limit raise, oom_kill_disable=0 or a SIGKILL wakes it, and the fault is then retried; with
     * oom_kill_disable cleared since the charge and the oom_lock taken, it kills instead); a dying
     * task just returns; otherwise "Huh VM_FAULT_OOM leaked out to the #PF handler" and the fault
     * is retried. Never a global OOM.
     */
    @Override
    public FaultRetry pagefaultOutOfMemory(Task task) {
        MemCgroup memcg = task.memcgInOom;
        if (memcg != null) {
            task.memcgInOom = null;
            // the model records no gfp/order with memcg_in_oom: the fault's charge is GFP_KERNEL-like, order 0
            MemcgOomWaitq.Synchronize s = m.memcgOomWaitq.synchronize(
                    task, memcg, () -> memCgroupOutOfMemory(memcg, Gfp.GFP_KERNEL, 0, LimitKind.MEMORY, task));
            return s == MemcgOomWaitq.Synchronize.SLEEPS ? FaultRetry.SLEEP : FaultRetry.RETRY;
        }
        if (taskIsDying(task)) {
            return FaultRetry.RETRY;
        }
        m.trace.count(
                TracePoints.PAGEFAULT_OOM_LEAKED,
                task.memcg(),
                "pagefault_out_of_memory: Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF");
        return FaultRetry.RETRY;
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
        if (oc.selection == OomControl.Selection.NONE) {
            List<String> report = dumpHeader(oc, null);
            report.add("Out of memory and no killable processes...");
            if (oc.memcg == null) {
                m.panic = "System is deadlocked on memory";
            }
            m.trace.count(
                    TracePoints.OOM_NOTHING_KILLABLE,
                    oc.memcg,
                    "out_of_memory" + (oc.memcg == null ? "" : " " + oc.memcg.path())
                            + ": Out of memory and no killable processes...");
            return false;
        }
        if (oc.selection == OomControl.Selection.ABORT) {
            m.trace.count(
                    TracePoints.OOM_VICTIM_PENDING,
                    oc.memcg,
                    "out_of_memory: a previous victim has not exited yet, no new kill");
            return true;
        }
        oomKillProcess(oc, oc.memcg != null ? MEMCG_MESSAGE : GLOBAL_MESSAGE);
        return true;
    }

    /** constrained_alloc: CONSTRAINT_MEMCG with mem_cgroup_get_max (or 1), else RAM + swap. */
    private void constrainedAlloc(OomControl oc) {
        if (oc.memcg != null) {
            long max = limits.getMax(oc.memcg);
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
                oc.selection = OomControl.Selection.ABORT;
                return;
            }
            long points = oomBadness(t, oc.totalpages);
            if (points == Long.MIN_VALUE || points < oc.chosenPoints) {
                continue;
            }
            oc.chosen = t;
            oc.chosenPoints = points;
            oc.selection = OomControl.Selection.CHOSEN;
        }
    }

    /** mm_pgtables_bytes: the task's page-table pages in bytes. */
    static long mmPgtablesBytes(Task t) {
        return t.pageTablePages() * Sizes.PAGE_SIZE;
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
        if (adj == OomVictims.OOM_SCORE_ADJ_MIN || t.oomSkip) {
            return Long.MIN_VALUE;
        }
        long points = t.rss() + t.swapEnts + mmPgtablesBytes(t) / Sizes.PAGE_SIZE;
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
            m.memcgMemoryEvent(oomGroup, MemoryEvent.OOM_GROUP_KILL);
            report.add("Tasks in " + oomGroup.path() + " are going to be killed due to memory.oom.group set");
            for (Task t : OomVictims.candidates(m, oomGroup)) {
                if (t.oomScoreAdj() != OomVictims.OOM_SCORE_ADJ_MIN && !oomUnkillableTask(t)) {
                    oomKillTask(t, message, report, killed);
                }
            }
        }
        for (Task t : killed) {
            OomVictims.kill(m, t);
        }
        m.recordKill(oc.record(m.step, victimMemcg, report));
        m.trace.count(
                TracePoints.OOM_KILL_PROCESS,
                oc.memcg,
                "oom_kill_process: killed " + victim.comm() + " ("
                        + victim.pid() + ") in " + victimMemcg
                        + (oc.memcg == null ? " by the global OOM killer" : " for the limit of " + oc.memcg.path())
                        + " points=" + oc.chosenPoints
                        + (oomGroup == null ? "" : " with memory.oom.group of " + oomGroup.path()));
    }

    /**
     * __oom_kill_process: MEMCG_OOM_KILL on the victim's memcg (mm->owner's), SIGKILL and the
     * kill line. The victim's memory goes after every kill line is out (OomVictims.kill).
     */
    private void oomKillTask(Task t, String message, List<String> report, List<Task> killed) {
        m.memcgMemoryEvent(t.memcg(), MemoryEvent.OOM_KILL);
        report.add(killLine(message, t));
        killed.add(t);
    }

    /** The pr_err line of __oom_kill_process in 5.18: 4.18's, then UID, pgtables and oom_score_adj. */
    static String killLine(String message, Task t) {
        return OomReport.killedProcess(message, t) + ", UID:" + t.uid() + " pgtables:" + (mmPgtablesBytes(t) >> 10)
                + "kB oom_score_adj:" + t.oomScoreAdj();
    }

    // ---------------------------------------------------------------- the report

    /** dump_header (5.18): the invoked line, the stack, meminfo, the task table, the summary. */
    private List<String> dumpHeader(OomControl oc, Task victim) {
        List<String> r = new ArrayList<>();
        r.add(OomReport.invoked(m, GfpFlags.FORMAT.format(oc.gfp == 0 ? Gfp.GFP_KERNEL : oc.gfp), false, oc.order));
        r.add(OomReport.cpuLine(m, "5.18.12 #1"));
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
        // dump_tasks (5.18): every task that could be killed (init and exited tasks left out), in
        // mem_cgroup_scan_tasks order for a memcg OOM, process order otherwise
        OomReport.dumpTasks(
                r,
                List.of(
                        "Tasks state (memory values in pages):",
                        "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"),
                "[%7d] %5d %5d %8d %8d %8d %8d         %5d %s",
                Sizes.PAGE_SIZE,
                OomVictims.candidates(m, oc.memcg).stream()
                        .filter(t -> !oomUnkillableTask(t))
                        .toList());
        if (victim != null) {
            r.add(dumpOomSummary(oc, victim));
        }
        return r;
    }

    /** dump_oom_summary: constraint, nodemask, cpuset and mems_allowed, the memcgs, the victim. */
    private String dumpOomSummary(OomControl oc, Task victim) {
        return "oom-kill:constraint=" + oc.constraint + ",nodemask=(null),cpuset=" + OomReport.cpuset(m)
                + ",mems_allowed=" + OomReport.memsAllowed(m)
                + (oc.memcg != null ? ",oom_memcg=" + oc.memcg.path() : ",global_oom") + ",task_memcg="
                + victim.memcg().path() + ",task=" + victim.comm() + ",pid=" + victim.pid() + ",uid=" + victim.uid();
    }

    /**
     * mem_cgroup_print_oom_meminfo (5.18): the counters (memory and swap in v2; memory,
     * memory+swap and kmem in v1), then the memory.stat text of the OOMing memcg.
     */
    private void memCgroupPrintOomMeminfo(List<String> r, MemCgroup memcg) {
        if (m.cgroupInterface == CgroupInterface.V2) {
            r.add(OomVictims.counterLine("memory", memcg.memory));
            r.add(OomVictims.counterLine("swap", memcg.swap));
        } else {
            OomReport.v1Counters(r, memcg);
        }
        r.add("Memory cgroup stats for " + memcg.path() + ":");
        for (Map.Entry<String, Long> e : MemoryStat.memoryStatFormat(memcg).entrySet()) {
            r.add(e.getKey() + " " + e.getValue());
        }
    }

    /**
     * show_mem for a global OOM: the Mem-Info summary, the per-node and per-zone lines, the page
     * cache and swap totals (buddy free lists and swap cache statistics left out).
     */
    private void showMem(List<String> r) {
        OomReport.memInfo(r, NodeMemInfo.total(m), false, true);
        for (Node n : m.nodes) {
            NodeMemInfo i = NodeMemInfo.of(m, n.id());
            r.add("Node " + n.id() + " active_anon:" + kb(i.lru[Lru.ACTIVE_ANON]) + "kB inactive_anon:"
                    + kb(i.lru[Lru.INACTIVE_ANON]) + "kB active_file:" + kb(i.lru[Lru.ACTIVE_FILE])
                    + "kB inactive_file:"
                    + kb(i.lru[Lru.INACTIVE_FILE]) + "kB unevictable:" + kb(i.lru[Lru.UNEVICTABLE])
                    + "kB isolated(anon):0kB isolated(file):0kB mapped:" + kb(i.mapped) + "kB dirty:" + kb(i.dirty)
                    + "kB writeback:0kB shmem:" + kb(i.shmem)
                    + "kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 0kB writeback_tmp:0kB kernel_stack:0kB"
                    + " pagetables:" + kb(i.pagetables) + "kB all_unreclaimable? "
                    + (n.kswapdFailures >= MAX_RECLAIM_RETRIES ? "yes" : "no"));
        }
        for (Node n : m.nodes) {
            NodeMemInfo i = NodeMemInfo.of(m, n.id());
            r.add("Node " + n.id() + " Normal free:" + kb(n.nrFree()) + "kB boost:0kB min:" + kb(n.wmarkMin())
                    + "kB low:" + kb(n.wmarkLow()) + "kB high:" + kb(n.wmarkHigh()) + "kB reserved_highatomic:0KB"
                    + " active_anon:" + kb(i.lru[Lru.ACTIVE_ANON]) + "kB inactive_anon:" + kb(i.lru[Lru.INACTIVE_ANON])
                    + "kB active_file:" + kb(i.lru[Lru.ACTIVE_FILE]) + "kB inactive_file:"
                    + kb(i.lru[Lru.INACTIVE_FILE])
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
}
