package dev.memcgdiff.linux418;

import dev.memcgdiff.kernel.FaultRetry;
import dev.memcgdiff.kernel.OomOps;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.oom.NodeMemInfo;
import dev.memcgdiff.mm.oom.OomVictims;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.scenario.CgroupInterface;
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

    OomKill(Machine m, MemcgOom memcgOom) {
        this.m = m;
        this.memcgOom = memcgOom;
    }

    /** struct oom_control: the scope of one OOM (a memcg, or the host when null) and its totalpages. */
    private record OomControl(MemCgroup memcg, int gfp, int order, LimitKind limit, long totalpages) {
    }

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
     * pagefault_out_of_memory (4.18.0-147): a recorded memcg OOM (oom_kill_disable) sleeps in
     * mem_cgroup_oom_synchronize; otherwise the memcg OOM already ran inside the charge and the
     * fault is retried.
     */
    @Override
    public FaultRetry pagefaultOutOfMemory(Task task) {
        return memcgOom.synchronize(task);
    }

    private boolean outOfMemory(MemCgroup memcg, int gfp, int order, LimitKind limit) {
        if (gfp != 0 && !Gfp.has(gfp, Gfp.FS)) {
            return true; // !__GFP_FS: the OOM killer pretends it made progress, without a kill
        }
        long totalpages = memcg != null ? Math.max(1, memCgroupGetMax(memcg)) : m.pages.count() + m.swap.slots();
        OomControl oc = new OomControl(memcg, gfp, order, limit, totalpages);
        Selection selected = selectBadProcess(oc);
        if (selected.abort()) {
            m.trace.count(TracePoints.OOM_VICTIM_EXITING, memcg,
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
            m.trace.count(TracePoints.MEMCG_OOM_NO_VICTIM, memcg,
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
        if (t.pid() == 1 || t.oomScoreAdj() == -1000 || t.oomSkip) {
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
                if (t.pid() != 1 && t.oomScoreAdj() != -1000) {
                    oomKill(t, message, report, killed);
                }
            }
        }
        for (Task t : new LinkedHashSet<>(killed)) {
            OomVictims.kill(m, t);
            if (t != m.current) {
                report.add("oom_reaper: reaped process " + t.pid() + " (" + t.comm() + "), now anon-rss:"
                    + OomVictims.kb(t.rssAnon) + "kB, file-rss:" + OomVictims.kb(t.rssFile) + "kB, shmem-rss:"
                    + OomVictims.kb(t.rssShmem) + "kB");
            }
        }
        // The shared record's simple name is this class's own, so it cannot be imported here.
        m.recordKill(new dev.memcgdiff.mm.oom.OomKill(m.step, victim.comm(), victim.pid(),
            oc.memcg() == null ? null : oc.memcg().path(), victimMemcg,
            oc.memcg() == null ? "CONSTRAINT_NONE" : "CONSTRAINT_MEMCG", oc.limit().text(), selected.points(),
            oc.totalpages(), report));
        m.trace.count(oc.memcg() == null ? TracePoints.OOM_KILL_GLOBAL : TracePoints.OOM_KILL_MEMCG, oc.memcg(),
            "oom_kill_process: killed " + victim.comm() + " (" + victim.pid() + ") in " + victimMemcg
            + (oc.memcg() == null ? " by the global OOM killer" : " for the limit of " + oc.memcg().path())
            + " points=" + selected.points());
    }

    /** __oom_kill_process: OOM_KILL events, SIGKILL, the kill line. */
    private void oomKill(Task t, String message, List<String> report, List<Task> killed) {
        if (killed.contains(t)) {
            m.countHostEvent(VmEvent.OOM_KILL, 1); // counted once more for a repeat
        }
        m.memcgMemoryEvent(t.memcg(), MemoryEvent.OOM_KILL);
        report.add(message + ": Killed process " + t.pid() + " (" + t.comm() + ") total-vm:"
            + OomVictims.kb(t.totalVm()) + "kB, anon-rss:" + OomVictims.kb(t.rssAnon) + "kB, file-rss:"
            + OomVictims.kb(t.rssFile) + "kB, shmem-rss:" + OomVictims.kb(t.rssShmem) + "kB");
        killed.add(t);
    }

    /** dump_header: the lines before the kill, in 4.18.0-147's format. */
    private List<String> dumpHeader(OomControl oc, Task victim) {
        List<String> r = new ArrayList<>();
        Task cur = m.current;
        String comm = cur == null ? "sh" : cur.comm();
        int adj = cur == null ? 0 : cur.oomScoreAdj();
        r.add(comm + " invoked oom-killer: gfp_mask=" + GfpFlags.dumpHeaderMask(oc.gfp())
            + ", nodemask=(null), order=" + oc.order() + ", oom_score_adj=" + adj);
        String cpuset = cur == null ? "/" : leaf(cur.memcg().path());
        r.add(comm + " cpuset=" + cpuset + " mems_allowed=" + (m.nodes.length == 1 ? "0" : "0-" + (m.nodes.length - 1)));
        r.add("CPU: 0 PID: " + (cur == null ? 1 : cur.pid()) + " Comm: " + comm + " Not tainted 4.18.0-147.el8.x86_64 #1");
        r.add("Call Trace:");
        List<String> frames = new ArrayList<>(List.of("dump_stack", "dump_header", "oom_kill_process.cold", "out_of_memory"));
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
        dumpTasks(r, oc.memcg());
        return r;
    }

    private static String leaf(String path) {
        int slash = path.lastIndexOf('/');
        return path.equals("/") ? "/" : path.substring(slash + 1);
    }

    /** mem_cgroup_print_oom_info (4.18.0-147). */
    private void memCgroupPrintOomInfo(List<String> r, MemCgroup memcg, Task victim) {
        if (victim != null) {
            r.add("Task in " + victim.memcg().path() + " killed as a result of limit of " + memcg.path());
        } else {
            r.add("Memory limit reached of cgroup " + memcg.path());
        }
        r.add(OomVictims.counterLine("memory", memcg.memory));
        r.add(OomVictims.counterLine("memory+swap", memcg.memsw));
        r.add(OomVictims.counterLine("kmem", memcg.kmem));
        for (MemCgroup c : memcg.hierarchy()) {
            StringBuilder sb = new StringBuilder("Memory cgroup stats for " + c.path() + ":");
            stat(sb, "cache", c.stat(MemcgStat.CACHE));
            stat(sb, "rss", c.stat(MemcgStat.RSS));
            stat(sb, "rss_huge", c.stat(MemcgStat.RSS_HUGE));
            stat(sb, "shmem", c.stat(MemcgStat.SHMEM));
            stat(sb, "mapped_file", c.stat(MemcgStat.MAPPED_FILE));
            stat(sb, "dirty", c.stat(MemcgStat.DIRTY));
            stat(sb, "writeback", c.stat(MemcgStat.WRITEBACK));
            if (m.swapAccount) {
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

    /** show_mem's Mem-Info lines for a global OOM. */
    private void showMem(List<String> r) {
        NodeMemInfo t = NodeMemInfo.total(m);
        r.add("Mem-Info:");
        r.add("active_anon:" + t.lru[Lru.ACTIVE_ANON] + " inactive_anon:" + t.lru[Lru.INACTIVE_ANON]
            + " isolated_anon:0");
        r.add(" active_file:" + t.lru[Lru.ACTIVE_FILE] + " inactive_file:" + t.lru[Lru.INACTIVE_FILE]
            + " isolated_file:0");
        r.add(" unevictable:" + t.lru[Lru.UNEVICTABLE] + " dirty:" + t.dirty + " writeback:0 unstable:0");
        r.add(" slab_reclaimable:0 slab_unreclaimable:0");
        r.add(" mapped:" + t.mapped + " shmem:" + t.shmem + " pagetables:" + pageTables() + " bounce:0");
        r.add(" free:" + t.free + " free_pcp:0 free_cma:0");
        for (Node n : m.nodes) {
            NodeMemInfo i = NodeMemInfo.of(m, n.id());
            r.add("Node " + n.id() + " active_anon:" + i.lru[Lru.ACTIVE_ANON] * 4 + "kB inactive_anon:"
                + i.lru[Lru.INACTIVE_ANON] * 4 + "kB active_file:" + i.lru[Lru.ACTIVE_FILE] * 4
                + "kB inactive_file:" + i.lru[Lru.INACTIVE_FILE] * 4 + "kB unevictable:"
                + i.lru[Lru.UNEVICTABLE] * 4 + "kB isolated(anon):0kB isolated(file):0kB mapped:" + i.mapped * 4
                + "kB dirty:" + i.dirty * 4 + "kB writeback:0kB shmem:" + i.shmem * 4
                + "kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 0kB writeback_tmp:0kB unstable:0kB"
                + " all_unreclaimable? " + (n.kswapdFailures >= Vmscan.MAX_RECLAIM_RETRIES ? "yes" : "no"));
        }
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

    /** dump_tasks: every eligible process in scope, in process list order. */
    private void dumpTasks(List<String> r, MemCgroup memcg) {
        r.add("[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name");
        for (Task t : m.tasks()) {
            if (!t.alive() || t.pid() == 1 || (memcg != null && !memcg.isAncestorOf(t.memcg()))) {
                continue;
            }
            r.add(String.format("[%5d] %5d %5d %8d %8d %8d %8d         %5d %s", t.pid(), t.uid(), t.pid(),
                t.totalVm(), t.rss(), t.pageTablePages() * 4096, t.swapEnts, t.oomScoreAdj(), t.comm()));
        }
    }
}
