package dev.memcgdiff.mm.oom;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.CgroupV1Files;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pieces of the OOM report (dump_header and what it calls, mm/oom_kill.c and
 * mm/memcontrol.c) that the modelled kernels print alike. Which pieces a report has, and in what
 * order, is each kernel's; so are the formats that differ, passed in here as parameters. All
 * number formatting is Locale.ROOT.
 */
public final class OomReport {
    private OomReport() {}

    /** current->comm of the task that invoked the killer; a write from no task is the shell's. */
    public static String comm(Machine m) {
        return m.current == null ? "sh" : m.current.comm();
    }

    /**
     * dump_header's first line: "comm invoked oom-killer: gfp_mask=..., order=N, oom_score_adj=N";
     * {@code gfpMask} is as the kernel prints it (3.10 "%#x", 4.18 and 5.18 "%#x(%pGg)"), and
     * 4.18 prints ", nodemask=(null)" after it.
     */
    public static String invoked(Machine m, String gfpMask, boolean nodemask, int order) {
        int adj = m.current == null ? 0 : m.current.oomScoreAdj();
        return comm(m) + " invoked oom-killer: gfp_mask=" + gfpMask + (nodemask ? ", nodemask=(null)" : "") + ", order="
                + order + ", oom_score_adj=" + adj;
    }

    /** cpuset_print_current_mems_allowed (3.10, 4.18): "comm cpuset=name mems_allowed=nodes". */
    public static String cpusetLine(Machine m) {
        return comm(m) + " cpuset=" + cpuset(m) + " mems_allowed=" + memsAllowed(m);
    }

    /** The current task's cpuset as the report names it: its cgroup's name, "/" without a task. */
    public static String cpuset(Machine m) {
        return m.current == null ? "/" : cgroupName(m.current.memcg());
    }

    /** mems_allowed (%*pbl): every node of the host, "0" or "0-N". */
    public static String memsAllowed(Machine m) {
        return m.nodes.length == 1 ? "0" : "0-" + (m.nodes.length - 1);
    }

    /** dump_stack's header: "CPU: 0 PID: pid Comm: comm Not tainted release" (release with its build, e.g. "5.18.12 #1"). */
    public static String cpuLine(Machine m, String release) {
        return "CPU: 0 PID: " + (m.current == null ? 1 : m.current.pid()) + " Comm: " + comm(m) + " Not tainted "
                + release;
    }

    /** cgroup_name / pr_cont_cgroup_name: the last component of the memcg's path, "/" for the root. */
    public static String cgroupName(MemCgroup memcg) {
        String path = memcg.path();
        return path.equals("/") ? "/" : path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * mem_cgroup_print_oom_info's counters (3.10, 4.18) and mem_cgroup_print_oom_meminfo's on v1
     * (5.18): memory, memory+swap and kmem.
     */
    public static void v1Counters(List<String> r, MemCgroup memcg) {
        r.add(OomVictims.counterLine("memory", memcg.memory));
        r.add(OomVictims.counterLine("memory+swap", memcg.memsw));
        r.add(OomVictims.counterLine("kmem", memcg.kmem));
    }

    /**
     * mem_cgroup_print_oom_info's stats (3.10, 4.18): for each memcg of the subtree, "Memory
     * cgroup stats for path:" and " key:NKB" (uppercase KB) for each of the kernel's
     * mem_cgroup_stat_names ({@code statKeys}; swap only when {@code swap} is accounted), then the
     * LRU lists.
     */
    public static void memcgStats(List<String> r, MemCgroup memcg, List<String> statKeys, boolean swap) {
        for (MemCgroup c : memcg.hierarchy()) {
            StringBuilder sb = new StringBuilder("Memory cgroup stats for " + c.path() + ":");
            for (String key : statKeys) {
                if (swap || !key.equals("swap")) {
                    stat(sb, key, c.stat(CgroupV1Files.stat(key)));
                }
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

    /**
     * show_free_areas' summary (every modelled kernel): "Mem-Info:" and the host-wide page
     * counts. 3.10 and 4.18 print unstable (NR_UNSTABLE_NFS, gone in 5.8); 5.18 prints
     * kernel_misc_reclaimable (4.20 on).
     */
    public static void memInfo(List<String> r, NodeMemInfo t, boolean unstable, boolean kernelMiscReclaimable) {
        r.add("Mem-Info:");
        r.add("active_anon:" + t.lru[Lru.ACTIVE_ANON] + " inactive_anon:" + t.lru[Lru.INACTIVE_ANON]
                + " isolated_anon:0");
        r.add(" active_file:" + t.lru[Lru.ACTIVE_FILE] + " inactive_file:" + t.lru[Lru.INACTIVE_FILE]
                + " isolated_file:0");
        r.add(" unevictable:" + t.lru[Lru.UNEVICTABLE] + " dirty:" + t.dirty + " writeback:0"
                + (unstable ? " unstable:0" : ""));
        r.add(" slab_reclaimable:0 slab_unreclaimable:0");
        r.add(" mapped:" + t.mapped + " shmem:" + t.shmem + " pagetables:" + t.pagetables + " bounce:0");
        if (kernelMiscReclaimable) {
            r.add(" kernel_misc_reclaimable:0");
        }
        r.add(" free:" + t.free + " free_pcp:0 free_cma:0");
    }

    /**
     * dump_tasks' scope in 3.10 and 4.18 (for_each_process with the memcg check): every live
     * process but init, in process order, only those under {@code memcg} when it is not null.
     * 5.18 walks mem_cgroup_scan_tasks order instead ({@link OomVictims#candidates}).
     */
    public static List<Task> processes(Machine m, MemCgroup memcg) {
        List<Task> out = new ArrayList<>();
        for (Task t : m.tasks()) {
            if (t.alive() && t.pid() != 1 && (memcg == null || memcg.isAncestorOf(t.memcg()))) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * dump_tasks: the kernel's header lines, then one line per task in {@code rowFormat} (the
     * kernel's pr_info format): pid, uid, tgid, total_vm, rss, page tables, swapents,
     * oom_score_adj, name. The page-table column is pages times {@code pageTableUnit}: 3.10's
     * nr_ptes in pages (1), 4.18's and 5.18's pgtables_bytes (PAGE_SIZE).
     */
    public static void dumpTasks(
            List<String> r, List<String> header, String rowFormat, long pageTableUnit, List<Task> tasks) {
        r.addAll(header);
        for (Task t : tasks) {
            r.add(String.format(
                    Locale.ROOT,
                    rowFormat,
                    t.pid(),
                    t.uid(),
                    t.pid(),
                    t.totalVm(),
                    t.rss(),
                    t.pageTablePages() * pageTableUnit,
                    t.swapEnts,
                    t.oomScoreAdj(),
                    t.comm()));
        }
    }

    /** The rss of the kill and reaper lines: "anon-rss:NkB, file-rss:NkB, shmem-rss:NkB". */
    public static String rss(Task t) {
        return "anon-rss:" + OomVictims.kb(t.rssAnon) + "kB, file-rss:" + OomVictims.kb(t.rssFile) + "kB, shmem-rss:"
                + OomVictims.kb(t.rssShmem) + "kB";
    }

    /**
     * __oom_kill_process' kill line as 4.18 prints it, "message: Killed process pid (comm)
     * total-vm:NkB, anon-rss:..."; 5.18 prints UID, pgtables and oom_score_adj after it.
     */
    public static String killedProcess(String message, Task t) {
        return message + ": Killed process " + t.pid() + " (" + t.comm() + ") total-vm:" + OomVictims.kb(t.totalVm())
                + "kB, " + rss(t);
    }
}
