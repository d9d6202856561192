package dev.memcgdiff.linux310;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.oom.NodeMemInfo;
import dev.memcgdiff.mm.oom.OomVictims;
import dev.memcgdiff.mm.task.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * mm/oom_kill.c of 3.10.0-1160 with memcontrol.c's mem_cgroup_out_of_memory and
 * mem_cgroup_print_oom_info: oom_badness with the 3% root bonus, selection by strictly greater
 * points (the first found keeps a tie), the abort while a victim is still dying, oom_kill_process
 * with its "or sacrifice child" line, and the report in 3.10's dmesg format.
 */
final class OomKill {
    /** OOM_SCORE_ADJ_MIN. */
    static final int OOM_SCORE_ADJ_MIN = -1000;
    private static final String MEMCG_MESSAGE = "Memory cgroup out of memory";
    private static final String GLOBAL_MESSAGE = "Out of memory";

    private final Machine m;
    private final Memcontrol memcontrol;
    private final Vmscan vmscan;

    OomKill(Machine m, Memcontrol memcontrol, Vmscan vmscan) {
        this.m = m;
        this.memcontrol = memcontrol;
        this.vmscan = vmscan;
    }

    /** What one OOM invocation works with (3.10 passes these as arguments). */
    private static final class Invocation {
        final MemCgroup memcg;
        final int gfp;
        final int order;
        final String limit;
        final List<String> stack;
        long totalpages;
        Task chosen;
        long chosenPoints;
        boolean abort;

        Invocation(MemCgroup memcg, int gfp, int order, String limit, List<String> stack) {
            this.memcg = memcg;
            this.gfp = gfp;
            this.order = order;
            this.limit = limit;
            this.stack = stack;
        }
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
     * mem_cgroup_out_of_memory: a current task already dying just gets TIF_MEMDIE; otherwise the
     * subtree's tasks are scored against mem_cgroup_get_limit and the worst is killed. With no
     * candidate nothing is printed and nobody dies.
     */
    void memCgroupOutOfMemory(MemCgroup memcg, int gfp, int order, String limit) {
        Task current = m.current;
        if (current != null && current.oomVictim) {
            return;
        }
        Invocation oc = new Invocation(memcg, gfp, order, limit, CallTrace.memcgOom());
        long limitPages = memcontrol.getLimit(memcg);
        oc.totalpages = limitPages == 0 ? 1 : limitPages;
        select(oc, OomVictims.candidates(m, memcg));
        if (oc.abort) {
            m.trace.count("mem_cgroup_out_of_memory(" + memcg.path() + "): a victim is still exiting, no new kill");
            return;
        }
        if (oc.chosen == null) {
            m.trace.count("mem_cgroup_out_of_memory(" + memcg.path() + "): no killable task, nothing killed");
            return;
        }
        oomKillProcess(oc, MEMCG_MESSAGE);
    }

    /**
     * out_of_memory, CONSTRAINT_NONE: totalpages is RAM + swap, every process is a candidate;
     * with none, the kernel panics.
     *
     * @return false when the kernel panicked
     */
    boolean outOfMemory(int gfp, int order, boolean fromPagefault) {
        Task current = m.current;
        if (current != null && current.alive() && current.oomVictim) {
            return true;
        }
        Invocation oc = new Invocation(null, gfp, order, "host",
            fromPagefault ? CallTrace.pagefaultGlobalOom() : CallTrace.allocatorOom(m.site));
        oc.totalpages = m.pages.count() + m.swap.slots();
        select(oc, OomVictims.candidates(m, null));
        if (oc.abort) {
            m.trace.count("out_of_memory: a victim is still exiting, no new kill");
            return true;
        }
        if (oc.chosen == null) {
            dumpHeader(oc, null);
            m.panic = "Out of memory and no killable processes...";
            return false;
        }
        oomKillProcess(oc, GLOBAL_MESSAGE);
        return true;
    }

    /**
     * select_bad_process / the memcg loop with oom_scan_process_thread: exited tasks and init are
     * skipped, a TIF_MEMDIE task still alive aborts the scan, and a task replaces the chosen one
     * only with strictly more points.
     */
    private void select(Invocation oc, List<Task> candidates) {
        for (Task t : candidates) {
            if (!t.alive() || t.pid() == 1) {
                continue;
            }
            if (t.oomVictim) {
                oc.abort = true;
                return;
            }
            long points = oomBadness(t, oc.totalpages);
            if (points > oc.chosenPoints) {
                oc.chosen = t;
                oc.chosenPoints = points;
            }
        }
    }

    /**
     * oom_kill_process (3.10.0-1160): the header, the "or sacrifice child" line with the parent's
     * score, then SIGKILL and TIF_MEMDIE. The model's processes have no children, so no child is
     * ever sacrificed, and none shares an mm.
     */
    private void oomKillProcess(Invocation oc, String message) {
        Task victim = oc.chosen;
        long score = oc.chosenPoints * 1000 / oc.totalpages;
        List<String> report = dumpHeader(oc, victim);
        report.add(message + ": Kill process " + victim.pid() + " (" + victim.comm() + ") score " + score
            + " or sacrifice child");
        report.add("Killed process " + victim.pid() + " (" + victim.comm() + "), UID " + victim.uid() + ", total-vm:"
            + OomVictims.kb(victim.totalVm()) + "kB, anon-rss:" + OomVictims.kb(victim.rssAnon) + "kB, file-rss:"
            + OomVictims.kb(victim.rssFile) + "kB, shmem-rss:" + OomVictims.kb(victim.rssShmem) + "kB");
        String victimMemcg = victim.memcg().path();
        OomVictims.kill(m, victim);
        m.recordKill(new dev.memcgdiff.mm.oom.OomKill(m.step, victim.comm(), victim.pid(),
            oc.memcg == null ? null : oc.memcg.path(), victimMemcg,
            oc.memcg == null ? "CONSTRAINT_NONE" : "CONSTRAINT_MEMCG", oc.limit, oc.chosenPoints, oc.totalpages,
            report));
        m.trace.count("oom_kill_process: killed " + victim.comm() + " (" + victim.pid() + ") in " + victimMemcg
            + (oc.memcg == null ? " by the global OOM killer" : " for the " + oc.limit + " limit of "
            + oc.memcg.path()) + " points=" + oc.chosenPoints + " score=" + score);
    }

    /** dump_header (3.10.0-1160). */
    private List<String> dumpHeader(Invocation oc, Task victim) {
        List<String> r = new ArrayList<>();
        Task cur = m.current;
        String comm = cur == null ? "sh" : cur.comm();
        r.add(comm + " invoked oom-killer: gfp_mask=" + GfpMask.hex(oc.gfp) + ", order=" + oc.order
            + ", oom_score_adj=" + (cur == null ? 0 : cur.oomScoreAdj()));
        r.add(comm + " cpuset=" + (cur == null ? "/" : leaf(cur.memcg().path())) + " mems_allowed="
            + (m.nodes.length == 1 ? "0" : "0-" + (m.nodes.length - 1)));
        r.add("CPU: 0 PID: " + (cur == null ? 1 : cur.pid()) + " Comm: " + comm
            + " Not tainted 3.10.0-1160.el7.x86_64 #1");
        r.add("Call Trace:");
        for (String f : oc.stack) {
            r.add(" " + f);
        }
        if (oc.memcg != null) {
            memCgroupPrintOomInfo(r, oc.memcg, victim);
        } else {
            showMem(r);
        }
        dumpTasks(r, oc.memcg);
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
            r.add(String.format(java.util.Locale.ROOT, "[%5d] %5d %5d %8d %8d %7d %8d         %5d %s", t.pid(), t.uid(), t.pid(),
                t.totalVm(), t.rss(), t.pageTablePages(), t.swapEnts, t.oomScoreAdj(), t.comm()));
        }
    }
}
