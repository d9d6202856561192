package dev.memcgdiff.linux418;

import static dev.memcgdiff.mm.vmscan.VmscanConstants.MAX_RECLAIM_RETRIES;

import dev.memcgdiff.kernel.FaultRetry;
import dev.memcgdiff.kernel.OomOps;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.oom.NodeMemInfo;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.mm.oom.OomReport;
import dev.memcgdiff.mm.oom.OomVictims;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.Sizes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * mm/oom_kill.c of RHEL 8.1 (4.18.0-147): out_of_memory, select_bad_process, oom_badness without a
 * root bonus, oom_kill_process without child sacrifice and with memory.oom.group, the report in
 * 4.18's dmesg format, and pagefault_out_of_memory.
 */
final class OomKill implements OomOps {
    private static final String MEMCG_MESSAGE = "Memory cgroup out of memory";
    private static final String GLOBAL_MESSAGE = "Out of memory";

    private final Machine m;
    private final MemcgOom memcgOom;
    /** memcg1_stat_names, which the memcg OOM report prints as memory.stat does ({@link MemcgFiles#V1_STATS}). */
    private final List<String> statNames;

    OomKill(Machine m, MemcgOom memcgOom, List<String> statNames) {
        this.m = m;
        this.memcgOom = memcgOom;
        this.statNames = statNames;
    }

    /** struct oom_control: the scope of one OOM (a memcg, or the host when null) and its totalpages. */
    private record OomControl(MemCgroup memcg, int gfp, int order, LimitKind limit, long totalpages) {}

    /** What select_bad_process found: a victim with its points, nobody, or a previous victim still exiting. */
    private record Selection(Task victim, long points, boolean abort) {
        static final Selection NOBODY = new Selection(null, 0, false);
        static final Selection ABORT = new Selection(null, 0, true);
    }

    /** mem_cgroup_out_of_memory: out_of_memory constrained to the memcg's subtree. */
    boolean memCgroupOutOfMemory(MemCgroup memcg, int gfp, int order, LimitKind limit) {
        return outOfMemory(memcg, gfp, order, limit);
    }

    /** out_of_memory for an allocation that found no page on the host. */
    @Override
    public boolean outOfMemory(int gfp, Task current) {
        return outOfMemory(null, gfp, 0, LimitKind.HOST);
    }

    /**
     * mm/oom_kill.c:pagefault_out_of_memory (4.18.0-147): a recorded memcg OOM (oom_kill_disable)
     * sleeps in mem_cgroup_oom_synchronize until woken, then the fault is retried; otherwise the
     * memcg OOM already ran inside the charge and the fault is retried.
     */
    @Override
    public FaultRetry pagefaultOutOfMemory(Task task) {
        return memcgOom.synchronize(task, this::memCgroupOutOfMemory);
    }

    private boolean outOfMemory(MemCgroup memcg, int gfp, int order, LimitKind limit) {
        if (gfp != 0 && !Gfp.has(gfp, Gfp.FS)) {
            return true; // !__GFP_FS: the OOM killer pretends it made progress, without a kill
        }
        long totalpages = memcg != null ? Math.max(1, memCgroupGetMax(memcg)) : m.pages.count() + m.swap.slots();
        OomControl oc = new OomControl(memcg, gfp, order, limit, totalpages);
        Selection selected = selectBadProcess(oc);
        if (selected.abort()) {
            m.trace.count(
                    TracePoints.OOM_VICTIM_EXITING,
                    memcg,
                    "out_of_memory: a previous victim is still exiting, no new kill");
            return true;
        }
        if (selected.victim() == null) {
            List<String> report = dumpHeader(oc, null);
            report.add("Out of memory and no killable processes...");
            if (memcg == null) {
                m.panic = "System is deadlocked on memory";
                return false;
            }
            m.trace.count(
                    TracePoints.MEMCG_OOM_NO_VICTIM,
                    memcg,
                    "mem_cgroup_out_of_memory(" + memcg.path() + "): no killable processes");
            return false;
        }
        oomKillProcess(oc, selected, memcg != null ? MEMCG_MESSAGE : GLOBAL_MESSAGE);
        return true;
    }

    /** mem_cgroup_get_max: memory.max, plus swap the memcg may use when swappiness is not 0. */
    long memCgroupGetMax(MemCgroup memcg) {
        long max = memcg.memory.max();
        if (Swappiness.memCgroupSwappiness(m, memcg) != 0) {
            long swapMax = Math.min(memcg.swap.max(), m.swap.slots());
            long memswMax = m.cgroupInterface == CgroupInterface.V1 ? memcg.memsw.max() : PageCounter.MAX;
            max = Math.min(max + swapMax, memswMax);
        }
        return max;
    }

    /** select_bad_process / oom_evaluate_task: highest badness wins; the first found keeps a tie. */
    private Selection selectBadProcess(OomControl oc) {
        Task chosen = null;
        long chosenPoints = 0;
        for (Task t : OomVictims.candidates(m, oc.memcg())) {
            if (t.pid() == 1) {
                continue;
            }
            if (t.oomVictim) {
                if (t.oomSkip) {
                    continue;
                }
                return Selection.ABORT;
            }
            long points = oomBadness(t, oc.totalpages());
            if (points == 0 || points < chosenPoints) {
                continue;
            }
            if (points == chosenPoints && chosen != null) {
                continue; // thread group leaders are preferred for display: the first one stays
            }
            chosen = t;
            chosenPoints = points;
        }
        return chosen == null ? Selection.NOBODY : new Selection(chosen, chosenPoints, false);
    }

    /** oom_badness (4.18): rss + swap entries + page tables, plus oom_score_adj per mille of totalpages. */
    static long oomBadness(Task t, long totalpages) {
        if (t.pid() == 1 || t.oomScoreAdj() == OomVictims.OOM_SCORE_ADJ_MIN || t.oomSkip) {
            return 0;
        }
        long points = t.rss() + t.swapEnts + t.pageTablePages();
        long adj = (long) t.oomScoreAdj() * (totalpages / 1000);
        points += adj;
        return points > 0 ? points : 1;
    }

    /** oom_kill_process (4.19 backport): no child sacrifice; memory.oom.group kills the whole group. */
    private void oomKillProcess(OomControl oc, Selection selected, String message) {
        Task victim = selected.victim();
        List<String> report = dumpHeader(oc, victim);
        MemCgroup oomGroup = OomVictims.oomGroup(m, victim, oc.memcg());
        String victimMemcg = victim.memcg().path();
        List<Task> killed = new ArrayList<>();
        oomKill(victim, message, report, killed);
        if (oomGroup != null) {
            // mem_cgroup_print_oom_group + oom_kill_memcg_member: every member, the victim included
            // (its mm is still there), so the victim's kill line and OOM_KILL count twice.
            report.add("Tasks in " + oomGroup.path() + " are going to be killed due to memory.oom.group set");
            for (Task t : OomVictims.candidates(m, oomGroup)) {
                if (t.pid() != 1 && t.oomScoreAdj() != OomVictims.OOM_SCORE_ADJ_MIN) {
                    oomKill(t, message, report, killed);
                }
            }
        }
        for (Task t : new LinkedHashSet<>(killed)) {
            OomVictims.kill(m, t);
            // mm/oom_kill.c:oom_reap_task (4.18.0-147): the reaper is woken at once (no delay) and
            // reaps the victim's mm before the victim, often a thread of a large process, has got
            // through exit_mmap; so the line follows the kill even when the victim is current, as in
            // every report of golden/incidents.
            // the current task's memory is reaped when its step ends; the line shows what the reap
            // leaves, as it does for any other victim (every mapping unmapped: all three counters 0)
            String now = t == m.current ? "anon-rss:0kB, file-rss:0kB, shmem-rss:0kB" : OomReport.rss(t);
            report.add("oom_reaper: reaped process " + t.pid() + " (" + t.comm() + "), now " + now);
        }
        m.recordKill(new OomKillRecord(
                m.step,
                victim.comm(),
                victim.pid(),
                oc.memcg() == null ? null : oc.memcg().path(),
                victimMemcg,
                oc.memcg() == null ? "CONSTRAINT_NONE" : "CONSTRAINT_MEMCG",
                oc.limit().text(),
                selected.points(),
                oc.totalpages(),
                report));
        m.trace.count(
                oc.memcg() == null ? TracePoints.OOM_KILL_GLOBAL : TracePoints.OOM_KILL_MEMCG,
                oc.memcg(),
                "oom_kill_process: killed " + victim.comm() + " (" + victim.pid() + ") in " + victimMemcg
                        + (oc.memcg() == null
                                ? " by the global OOM killer"
                                : " for the limit of " + oc.memcg().path())
                        + " points=" + selected.points());
    }

    /** __oom_kill_process: OOM_KILL events, SIGKILL, the kill line. */
    private void oomKill(Task t, String message, List<String> report, List<Task> killed) {
        if (killed.contains(t)) {
            m.countHostEvent(VmEvent.OOM_KILL, 1); // counted once more for a repeat
        }
        m.memcgMemoryEvent(t.memcg(), MemoryEvent.OOM_KILL);
        report.add(OomReport.killedProcess(message, t));
        killed.add(t);
    }

    /** dump_header: the lines before the kill, in 4.18.0-147's format. */
    private List<String> dumpHeader(OomControl oc, Task victim) {
        List<String> r = new ArrayList<>();
        r.add(OomReport.invoked(m, GfpFlags.dumpHeaderMask(oc.gfp()), true, oc.order()));
        r.add(OomReport.cpusetLine(m));
        r.add(OomReport.cpuLine(m, "4.18.0-147.el8.x86_64 #1"));
        r.add("Call Trace:");
        List<String> frames =
                new ArrayList<>(List.of("dump_stack", "dump_header", "oom_kill_process.cold", "out_of_memory"));
        if (oc.memcg() != null) {
            frames.add("mem_cgroup_out_of_memory");
            frames.addAll(CallTrace.charge(m.site));
        } else {
            frames.add("__alloc_pages_slowpath");
            frames.add("__alloc_pages_nodemask");
        }
        frames.addAll(CallTrace.below(m.site));
        for (String f : frames) {
            r.add(" " + f);
        }
        if (oc.memcg() != null) {
            memCgroupPrintOomInfo(r, oc.memcg(), victim);
        } else {
            showMem(r);
        }
        // dump_tasks (4.18.0-147): every eligible process in scope, in process list order
        OomReport.dumpTasks(
                r,
                List.of("[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"),
                "[%5d] %5d %5d %8d %8d %8d %8d         %5d %s",
                Sizes.PAGE_SIZE,
                OomReport.processes(m, oc.memcg()));
        return r;
    }

    /**
     * mem_cgroup_print_oom_info (4.18.0-147): whose limit (with or without a victim), the
     * counters, and the stats of memcg1_stat_names (swap with swap accounting), uppercase KB.
     */
    private void memCgroupPrintOomInfo(List<String> r, MemCgroup memcg, Task victim) {
        if (victim != null) {
            r.add("Task in " + victim.memcg().path() + " killed as a result of limit of " + memcg.path());
        } else {
            r.add("Memory limit reached of cgroup " + memcg.path());
        }
        OomReport.v1Counters(r, memcg);
        OomReport.memcgStats(r, memcg, statNames, m.swapAccount);
    }

    /** show_mem's Mem-Info lines for a global OOM. */
    private void showMem(List<String> r) {
        OomReport.memInfo(r, NodeMemInfo.total(m), true, false);
        for (Node n : m.nodes) {
            NodeMemInfo i = NodeMemInfo.of(m, n.id());
            r.add("Node " + n.id() + " active_anon:" + i.lru[Lru.ACTIVE_ANON] * 4 + "kB inactive_anon:"
                    + i.lru[Lru.INACTIVE_ANON] * 4 + "kB active_file:" + i.lru[Lru.ACTIVE_FILE] * 4
                    + "kB inactive_file:" + i.lru[Lru.INACTIVE_FILE] * 4 + "kB unevictable:"
                    + i.lru[Lru.UNEVICTABLE] * 4 + "kB isolated(anon):0kB isolated(file):0kB mapped:" + i.mapped * 4
                    + "kB dirty:" + i.dirty * 4 + "kB writeback:0kB shmem:" + i.shmem * 4
                    + "kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 0kB writeback_tmp:0kB unstable:0kB"
                    + " all_unreclaimable? " + (n.kswapdFailures >= MAX_RECLAIM_RETRIES ? "yes" : "no"));
        }
    }
}
