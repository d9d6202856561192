package dev.memcgdiff.linux310;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.oom.NodeMemInfo;
import dev.memcgdiff.mm.oom.OomKill;
import dev.memcgdiff.mm.oom.OomVictims;
import dev.memcgdiff.mm.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What both OOM paths of 3.10.0-1160 share (mm/oom_kill.c, with memcontrol.c's
 * mem_cgroup_print_oom_info): oom_badness with the 3% root bonus, the victim scan by strictly
 * greater points (the first found keeps a tie) that aborts while a victim is still dying,
 * oom_kill_process with its "or sacrifice child" line, and the report in 3.10's dmesg format. The
 * memcg OOM ({@link MemcgOom}) and the global one ({@link OomKill}) decide when to call it.
 */
final class OomKiller {
    /** OOM_SCORE_ADJ_MIN. */
    static final int OOM_SCORE_ADJ_MIN = -1000;

    private final Machine m;
    private final Vmscan vmscan;

    OomKiller(Machine m, Vmscan vmscan) {
        this.m = m;
        this.vmscan = vmscan;
    }

    /**
     * What one OOM invocation works with (3.10 passes these as arguments).
     *
     * @param memcg the memcg under OOM, null for the global OOM (CONSTRAINT_NONE)
     * @param limit the limit that ran out
     * @param stack the call trace the report prints
     * @param totalpages what the badness is measured against
     */
    record Invocation(MemCgroup memcg, int gfp, int order, LimitKind limit, List<String> stack, long totalpages) {
    }

    /**
     * The scan's verdict: the task chosen and its points, or none; {@code abort} when a TIF_MEMDIE
     * task still alive stopped the scan.
     */
    record Selection(Task chosen, long points, boolean abort) {
        static final Selection ABORT = new Selection(null, 0, true);
    }

    /**
     * oom_badness (3.10.0-1160): rss (anon + file + shmem) + page-table pages + swap entries,
     * 3% off for CAP_SYS_ADMIN (uid 0 in the model), plus oom_score_adj * (totalpages / 1000);
     * 0 for the ineligible, at least 1 for everyone else.
     */
    static long oomBadness(Task t, long totalpages) {
        if (t.pid() == 1 || !t.alive() || t.oomScoreAdj() == OOM_SCORE_ADJ_MIN) {
            return 0;
        }
        long points = t.rss() + t.pageTablePages() + t.swapEnts;
        if (t.uid() == 0) {
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
     * oom_kill_process (3.10.0-1160): the header, the "or sacrifice child" line with the parent's
     * score, then SIGKILL and TIF_MEMDIE. The model's processes have no children, so no child is
     * ever sacrificed, and none shares an mm.
     */
    void oomKillProcess(Invocation oc, Selection selection, String message) {
        Task victim = selection.chosen();
        long score = selection.points() * 1000 / oc.totalpages();
        List<String> report = dumpHeader(oc, victim);
        report.add(message + ": Kill process " + victim.pid() + " (" + victim.comm() + ") score " + score
            + " or sacrifice child");
        report.add("Killed process " + victim.pid() + " (" + victim.comm() + "), UID " + victim.uid() + ", total-vm:"
            + OomVictims.kb(victim.totalVm()) + "kB, anon-rss:" + OomVictims.kb(victim.rssAnon) + "kB, file-rss:"
            + OomVictims.kb(victim.rssFile) + "kB, shmem-rss:" + OomVictims.kb(victim.rssShmem) + "kB");
        String victimMemcg = victim.memcg().path();
        OomVictims.kill(m, victim);
        m.recordKill(new OomKill(m.step, victim.comm(), victim.pid(),
            oc.memcg() == null ? null : oc.memcg().path(), victimMemcg,
            oc.memcg() == null ? "CONSTRAINT_NONE" : "CONSTRAINT_MEMCG", oc.limit().text(), selection.points(),
            oc.totalpages(), report));
        m.trace.count(TracePoints.OOM_KILL_PROCESS, oc.memcg(), "oom_kill_process: killed " + victim.comm() + " ("
            + victim.pid() + ") in " + victimMemcg + (oc.memcg() == null ? " by the global OOM killer"
            : " for the " + oc.limit().text() + " limit of " + oc.memcg().path()) + " points=" + selection.points()
            + " score=" + score);
    }

    /** dump_header (3.10.0-1160). */
    List<String> dumpHeader(Invocation oc, Task victim) {
        List<String> r = new ArrayList<>();
        Task cur = m.current;
        String comm = cur == null ? "sh" : cur.comm();
        r.add(comm + " invoked oom-killer: gfp_mask=" + GfpFlags.hex(oc.gfp()) + ", order=" + oc.order()
            + ", oom_score_adj=" + (cur == null ? 0 : cur.oomScoreAdj()));
        r.add(comm + " cpuset=" + (cur == null ? "/" : leaf(cur.memcg().path())) + " mems_allowed="
            + (m.nodes.length == 1 ? "0" : "0-" + (m.nodes.length - 1)));
        r.add("CPU: 0 PID: " + (cur == null ? 1 : cur.pid()) + " Comm: " + comm
            + " Not tainted 3.10.0-1160.el7.x86_64 #1");
        r.add("Call Trace:");
        for (String f : oc.stack()) {
            r.add(" " + f);
        }
        if (oc.memcg() != null) {
            memCgroupPrintOomInfo(r, oc.memcg(), victim);
        } else {
            showMem(r);
        }
        dumpTasks(r, oc.memcg());
        return r;
    }

    /** cgroup_name: the last component of the path. */
    private static String leaf(String path) {
        return path.equals("/") ? "/" : path.substring(path.lastIndexOf('/') + 1);
    }

    /** mem_cgroup_print_oom_info (3.10.0-1160): note the uppercase KB of the stats lines. */
    private void memCgroupPrintOomInfo(List<String> r, MemCgroup memcg, Task victim) {
        r.add("Task in " + victim.memcg().path() + " killed as a result of limit of " + memcg.path());
        r.add(OomVictims.counterLine("memory", memcg.memory));
        r.add(OomVictims.counterLine("memory+swap", memcg.memsw));
        r.add(OomVictims.counterLine("kmem", memcg.kmem));
        for (MemCgroup c : memcg.hierarchy()) {
            StringBuilder sb = new StringBuilder("Memory cgroup stats for " + c.path() + ":");
            stat(sb, "cache", c.stat(MemcgStat.CACHE));
            stat(sb, "rss", c.stat(MemcgStat.RSS));
            stat(sb, "rss_huge", c.stat(MemcgStat.RSS_HUGE));
            stat(sb, "mapped_file", c.stat(MemcgStat.MAPPED_FILE));
            if (m.memswCharged()) {
                stat(sb, "swap", c.stat(MemcgStat.SWAP));
            }
            for (int l = 0; l < Lru.NR_LRU_LISTS; l++) {
                stat(sb, Lru.name(l), c.lruSize(l));
            }
            r.add(sb.toString());
        }
    }

    private static void stat(StringBuilder sb, String name, long pages) {
        sb.append(' ').append(name).append(':').append(pages * 4).append("KB");
    }

    /** show_mem / show_free_areas (3.10.0-1160), with the zone line of each node's one zone. */
    private void showMem(List<String> r) {
        NodeMemInfo t = NodeMemInfo.total(m);
        long pagetables = pageTables();
        r.add("Mem-Info:");
        r.add("active_anon:" + t.lru[Lru.ACTIVE_ANON] + " inactive_anon:" + t.lru[Lru.INACTIVE_ANON]
            + " isolated_anon:0");
        r.add(" active_file:" + t.lru[Lru.ACTIVE_FILE] + " inactive_file:" + t.lru[Lru.INACTIVE_FILE]
            + " isolated_file:0");
        r.add(" unevictable:" + t.lru[Lru.UNEVICTABLE] + " dirty:" + t.dirty + " writeback:0 unstable:0");
        r.add(" slab_reclaimable:0 slab_unreclaimable:0");
        r.add(" mapped:" + t.mapped + " shmem:" + t.shmem + " pagetables:" + pagetables + " bounce:0");
        r.add(" free:" + t.free + " free_pcp:0 free_cma:0");
        for (Node n : m.nodes) {
            NodeMemInfo i = NodeMemInfo.of(m, n.id());
            r.add("Node " + n.id() + " Normal free:" + i.free * 4 + "kB min:" + n.wmarkMin() * 4 + "kB low:"
                + n.wmarkLow() * 4 + "kB high:" + n.wmarkHigh() * 4 + "kB active_anon:" + i.lru[Lru.ACTIVE_ANON] * 4
                + "kB inactive_anon:" + i.lru[Lru.INACTIVE_ANON] * 4 + "kB active_file:" + i.lru[Lru.ACTIVE_FILE] * 4
                + "kB inactive_file:" + i.lru[Lru.INACTIVE_FILE] * 4 + "kB unevictable:" + i.lru[Lru.UNEVICTABLE] * 4
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

    private long pageTables() {
        long pt = 0;
        for (Task t : m.tasks()) {
            if (t.alive()) {
                pt += t.pageTablePages();
            }
        }
        return pt;
    }

    /** dump_tasks: every process the OOM may look at (task_in_mem_cgroup for a memcg), in process order. */
    private void dumpTasks(List<String> r, MemCgroup memcg) {
        r.add("[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name");
        for (Task t : m.tasks()) {
            if (!t.alive() || t.pid() == 1 || (memcg != null && !memcg.isAncestorOf(t.memcg()))) {
                continue;
            }
            r.add(String.format(Locale.ROOT, "[%5d] %5d %5d %8d %8d %7d %8d         %5d %s", t.pid(), t.uid(), t.pid(),
                t.totalVm(), t.rss(), t.pageTablePages(), t.swapEnts, t.oomScoreAdj(), t.comm()));
        }
    }
}
