package dev.memcgdiff.linux310;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.oom.NodeMemInfo;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.mm.oom.OomReport;
import dev.memcgdiff.mm.oom.OomVictims;
import dev.memcgdiff.mm.task.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * What both OOM paths of 3.10.0-1160 share (mm/oom_kill.c, with memcontrol.c's
 * mem_cgroup_print_oom_info): oom_badness with the 3% root bonus, the victim scan by strictly
 * greater points (the first found keeps a tie) that aborts while a victim is still dying,
 * oom_kill_process with its "or sacrifice child" line and child loop, and the report in 3.10's dmesg format. The
 * memcg OOM ({@link MemcgOom}) and the global one ({@link OomKillRecord}) decide when to call it.
 */
final class OomKiller {
    private final Machine m;
    private final Vmscan vmscan;
    /** mem_cgroup_stat_names, which the memcg OOM report prints as memory.stat does ({@link MemcgFiles#STATS}). */
    private final List<String> statNames;

    OomKiller(Machine m, Vmscan vmscan, List<String> statNames) {
        this.m = m;
        this.vmscan = vmscan;
        this.statNames = statNames;
    }

    /**
     * What one OOM invocation works with (3.10 passes these as arguments).
     *
     * @param memcg the memcg under OOM, null for the global OOM (CONSTRAINT_NONE)
     * @param limit the limit that ran out
     * @param stack the call trace the report prints
     * @param totalpages what the badness is measured against
     */
    record Invocation(MemCgroup memcg, int gfp, int order, LimitKind limit, List<String> stack, long totalpages) {}

    /**
     * The scan's verdict: the task chosen and its points, or none; {@code abort} when a TIF_MEMDIE
     * task still alive stopped the scan.
     */
    record Selection(Task chosen, long points, boolean abort) {
        static final Selection ABORT = new Selection(null, 0, true);
    }

    /**
     * oom_badness (3.10.0-1160): rss (anon + file + shmem) + page-table pages + swap entries,
     * 3% off for a task with CAP_SYS_ADMIN (has_capability_noaudit, not uid 0: a container's
     * root has no CAP_SYS_ADMIN unless privileged), plus oom_score_adj * (totalpages / 1000);
     * 0 for the ineligible, at least 1 for everyone else.
     */
    static long oomBadness(Task t, long totalpages) {
        if (t.pid() == 1 || !t.alive() || t.oomScoreAdj() == OomVictims.OOM_SCORE_ADJ_MIN) {
            return 0;
        }
        long points = t.rss() + t.pageTablePages() + t.swapEnts;
        if (t.capSysAdmin) {
            points -= points * 3 / 100;
        }
        long adj = (long) t.oomScoreAdj() * (totalpages / 1000);
        points += adj;
        return points > 0 ? points : 1;
    }

    /**
     * select_bad_process / the memcg loop with oom_scan_process_thread: exited tasks and init are
     * skipped, a TIF_MEMDIE task still alive aborts the scan, and a task replaces the chosen one
     * only with strictly more points.
     */
    static Selection select(List<Task> candidates, long totalpages) {
        Task chosen = null;
        long chosenPoints = 0;
        for (Task t : candidates) {
            if (!t.alive() || t.pid() == 1) {
                continue;
            }
            if (t.oomVictim) {
                return Selection.ABORT;
            }
            long points = oomBadness(t, totalpages);
            if (points > chosenPoints) {
                chosen = t;
                chosenPoints = points;
            }
        }
        return new Selection(chosen, chosenPoints, false);
    }

    /**
     * oom_kill_process (3.10.0-1160): the header, the "or sacrifice child" line with the chosen
     * task's score, then the victim it settles on (see {@link #sacrificeChild}) gets SIGKILL and
     * TIF_MEMDIE and the "Killed process" line. No process of the model shares an mm.
     */
    void oomKillProcess(Invocation oc, Selection selection, String message) {
        Task chosen = selection.chosen();
        long score = selection.points() * 1000 / oc.totalpages();
        List<String> report = dumpHeader(oc, chosen);
        report.add(message + ": Kill process " + chosen.pid() + " (" + chosen.comm() + ") score " + score
                + " or sacrifice child");
        Selection child = sacrificeChild(m.tasks(), chosen, oc.memcg(), oc.totalpages());
        Task victim = child == null ? chosen : child.chosen();
        long victimPoints = child == null ? selection.points() : child.points();
        report.add("Killed process " + victim.pid() + " (" + victim.comm() + "), UID " + victim.uid() + ", total-vm:"
                + OomVictims.kb(victim.totalVm()) + "kB, " + OomReport.rss(victim));
        String victimMemcg = victim.memcg().path();
        OomVictims.kill(m, victim);
        m.recordKill(new OomKillRecord(
                m.step,
                victim.comm(),
                victim.pid(),
                oc.memcg() == null ? null : oc.memcg().path(),
                victimMemcg,
                oc.memcg() == null ? "CONSTRAINT_NONE" : "CONSTRAINT_MEMCG",
                oc.limit().text(),
                victimPoints,
                oc.totalpages(),
                report));
        m.trace.count(
                TracePoints.OOM_KILL_PROCESS,
                oc.memcg(),
                "oom_kill_process: killed " + victim.comm() + " ("
                        + victim.pid() + ") in " + victimMemcg
                        + (child == null
                                ? ""
                                : ", sacrificed for its parent " + chosen.comm() + " (" + chosen.pid() + ")")
                        + (oc.memcg() == null
                                ? " by the global OOM killer"
                                : " for the " + oc.limit().text() + " limit of "
                                        + oc.memcg().path())
                        + " points=" + victimPoints
                        + " score=" + score);
    }

    /**
     * oom_kill_process' child loop (3.10.0-1160): among the chosen task's children (in fork order:
     * the model's task order) the one with the highest oom_badness is killed instead of it. The
     * bar starts at 0, not at the parent's points, so any eligible child wins, even a much smaller
     * one; a child only replaces an earlier one with strictly more points. oom_badness gives 0 to
     * a child that has exited, is init, has oom_score_adj -1000 or, in a memcg OOM, is outside
     * the OOM memcg (oom_unkillable_task's task_in_mem_cgroup, honouring use_hierarchy).
     *
     * @return the child and its points, or null when the chosen task itself dies
     */
    static Selection sacrificeChild(List<Task> tasks, Task parent, MemCgroup memcg, long totalpages) {
        Task victim = null;
        long victimPoints = 0;
        for (Task child : tasks) {
            if (child.parent != parent || (memcg != null && !memcg.isAncestorOf(child.memcg()))) {
                continue;
            }
            long childPoints = oomBadness(child, totalpages);
            if (childPoints > victimPoints) {
                victim = child;
                victimPoints = childPoints;
            }
        }
        return victim == null ? null : new Selection(victim, victimPoints, false);
    }

    /** dump_header (3.10.0-1160). */
    List<String> dumpHeader(Invocation oc, Task victim) {
        List<String> r = new ArrayList<>();
        r.add(OomReport.invoked(m, GfpFlags.FORMAT.hex(oc.gfp()), false, oc.order()));
        r.add(OomReport.cpusetLine(m));
        r.add(OomReport.cpuLine(m, "3.10.0-1160.el7.x86_64 #1"));
        r.add("Call Trace:");
        for (String f : oc.stack()) {
            r.add(" " + f);
        }
        if (oc.memcg() != null) {
            memCgroupPrintOomInfo(r, oc.memcg(), victim);
        } else {
            showMem(r);
        }
        OomReport.dumpTasks(
                r,
                List.of("[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name"),
                "[%5d] %5d %5d %8d %8d %7d %8d         %5d %s",
                1,
                OomReport.processes(m, oc.memcg()));
        return r;
    }

    /**
     * mem_cgroup_print_oom_info (3.10.0-1160): the victim's and the limit's memcg, the counters,
     * and the stats of mem_cgroup_stat_names (swap only with memsw accounting), uppercase KB.
     */
    private void memCgroupPrintOomInfo(List<String> r, MemCgroup memcg, Task victim) {
        r.add("Task in " + victim.memcg().path() + " killed as a result of limit of " + memcg.path());
        OomReport.v1Counters(r, memcg);
        OomReport.memcgStats(r, memcg, statNames, m.memswCharged());
    }

    /** show_mem / show_free_areas (3.10.0-1160), with the zone line of each node's one zone. */
    private void showMem(List<String> r) {
        OomReport.memInfo(r, NodeMemInfo.total(m), true, false);
        for (Node n : m.nodes) {
            NodeMemInfo i = NodeMemInfo.of(m, n.id());
            r.add("Node " + n.id() + " Normal free:" + i.free * 4 + "kB min:" + n.wmarkMin() * 4 + "kB low:"
                    + n.wmarkLow() * 4 + "kB high:" + n.wmarkHigh() * 4 + "kB active_anon:" + i.lru[Lru.ACTIVE_ANON] * 4
                    + "kB inactive_anon:" + i.lru[Lru.INACTIVE_ANON] * 4 + "kB active_file:"
                    + i.lru[Lru.ACTIVE_FILE] * 4
                    + "kB inactive_file:" + i.lru[Lru.INACTIVE_FILE] * 4 + "kB unevictable:"
                    + i.lru[Lru.UNEVICTABLE] * 4
                    + "kB isolated(anon):0kB isolated(file):0kB present:" + n.managedPages() * 4 + "kB managed:"
                    + n.managedPages() * 4 + "kB mlocked:0kB dirty:" + i.dirty * 4 + "kB writeback:0kB mapped:"
                    + i.mapped * 4 + "kB shmem:" + i.shmem * 4 + "kB slab_reclaimable:0kB slab_unreclaimable:0kB"
                    + " kernel_stack:0kB pagetables:0kB unstable:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB"
                    + " writeback_tmp:0kB pages_scanned:" + vmscan.pagesScanned(n.id()) + " all_unreclaimable? "
                    + (vmscan.zoneReclaimable(n.id()) ? "no" : "yes"));
        }
        r.add(m.pages.count() + " pages RAM");
        r.add("0 pages HighMem/MovableOnly");
        r.add("0 pages reserved");
    }
}
