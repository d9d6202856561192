package dev.memcgdiff.incident;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One OOM report read from a kernel log: what each of its lines said, in the report's own units
 * converted to bytes (sizes) or kept as counts. A field the report did not contain is null (or an
 * empty collection): a report can be cut anywhere, and what is missing is never guessed here (the
 * scenario writer infers, and says so). The printk formats are those of mm/oom_kill.c dump_header,
 * dump_tasks, dump_oom_summary and __oom_kill_process, mm/memcontrol.c mem_cgroup_print_oom_info
 * (3.10.0-1160, 4.18.0-147) and mem_cgroup_print_oom_context/_meminfo (5.18), and
 * mm/page_alloc.c show_free_areas with lib/show_mem.c show_mem.
 */
public final class IncidentReport {
    /** A page_counter line: "NAME: usage U kB, limit L kB, failcnt F"; limit null means no limit. */
    public record Counter(long usageBytes, Long limitBytes, long failcnt) {}

    /** A row of dump_tasks: sizes in pages, as the table prints them; pgtables in bytes. */
    public record TaskRow(
            int pid,
            long uid,
            int tgid,
            long totalVmPages,
            long rssPages,
            long pgtablesBytes,
            long swapents,
            int adj,
            String name) {}

    /** A "Killed process" line: sizes in bytes; uid, pgtables and adj when the kernel prints them. */
    public record Killed(
            String message,
            int pid,
            String comm,
            Long uid,
            long totalVmBytes,
            long anonRssBytes,
            long fileRssBytes,
            long shmemRssBytes,
            Long pgtablesBytes,
            Integer adj) {}

    /** dump_oom_summary (4.19 on): constraint, oom memcg (null for global_oom), task memcg, victim. */
    public record Summary(String constraint, String oomMemcg, String taskMemcg, String task, int pid, long uid) {}

    /** "Kill process P (comm) score N or sacrifice child" (3.10 and upstream up to 5.0). */
    public record Chosen(String message, int pid, String comm, long score) {}

    /** "oom_reaper: reaped process P (comm), now anon-rss:..." */
    public record Reaped(int pid, String comm) {}

    public enum StatsFormat {
        /** v1 up to 4.19: one line per memcg, "key:NKB" pairs, local (non-hierarchical) counts. */
        V1_LINE,
        /** 5.0 on: memory_stat_format, one "key N" line each, bytes, the OOM memcg's hierarchy. */
        MEMORY_STAT
    }

    int firstLine;
    int lastLine;
    String host = "";

    // dump_header's first lines
    String invokerComm;
    String gfpMask;
    String gfpFlags;
    Integer order;
    Integer invokerAdj;
    String cpuset;
    String memsAllowed;
    Integer invokerPid;
    String release;

    final List<String> callTrace = new ArrayList<>();

    // the memcg part
    String taskMemcg;
    String oomMemcg;
    final Map<String, Counter> counters = new LinkedHashMap<>();
    StatsFormat statsFormat;
    /** memcg path to its memory.stat keys, in bytes (sizes) or counts (events), in report order. */
    final Map<String, Map<String, Long>> stats = new LinkedHashMap<>();

    // the global part
    boolean memInfo;
    /** show_free_areas' summary: page counts. */
    final Map<String, Long> memInfoPages = new LinkedHashMap<>();
    /** per node: "Node N key:NkB" values in bytes (node lines, or the sum of its zones' lines). */
    final Map<Integer, Map<String, Long>> nodes = new LinkedHashMap<>();

    Long freeSwapBytes;
    Long totalSwapBytes;
    Long pagesRam;

    // the tasks and the kill
    String taskTableColumn;
    final List<TaskRow> tasks = new ArrayList<>();
    Summary summary;
    final List<Chosen> chosen = new ArrayList<>();
    final List<Killed> killed = new ArrayList<>();
    final List<Reaped> reaped = new ArrayList<>();
    boolean noKillableProcesses;

    /** Format features seen, for the kernel guess: "gfp_mask without flags", "oom-kill summary", ... */
    final List<String> features = new ArrayList<>();
    /** "line N: ..." for every part of the report that could not be read. */
    final List<String> problems = new ArrayList<>();

    public int firstLine() {
        return firstLine;
    }

    public int lastLine() {
        return lastLine;
    }

    public String host() {
        return host;
    }

    public String invokerComm() {
        return invokerComm;
    }

    public Integer invokerPid() {
        return invokerPid;
    }

    public Integer invokerAdj() {
        return invokerAdj;
    }

    public String gfpMask() {
        return gfpMask;
    }

    public String gfpFlags() {
        return gfpFlags;
    }

    public String memsAllowed() {
        return memsAllowed;
    }

    public String release() {
        return release;
    }

    public List<String> callTrace() {
        return List.copyOf(callTrace);
    }

    public String taskMemcg() {
        if (taskMemcg != null) {
            return taskMemcg;
        }
        return summary == null ? null : summary.taskMemcg();
    }

    public String oomMemcg() {
        if (oomMemcg != null) {
            return oomMemcg;
        }
        if (summary != null && summary.oomMemcg() != null) {
            return summary.oomMemcg();
        }
        // 3.10 and 4.18 print the OOM memcg's own stats first
        return statsFormat == StatsFormat.V1_LINE && !stats.isEmpty()
                ? stats.keySet().iterator().next()
                : statsFormat == StatsFormat.MEMORY_STAT && stats.size() == 1
                        ? stats.keySet().iterator().next()
                        : null;
    }

    public Map<String, Counter> counters() {
        return Collections.unmodifiableMap(counters);
    }

    public Counter counter(String name) {
        return counters.get(name);
    }

    public StatsFormat statsFormat() {
        return statsFormat;
    }

    public Map<String, Map<String, Long>> stats() {
        return stats;
    }

    public boolean hasMemInfo() {
        return memInfo;
    }

    public Map<String, Long> memInfoPages() {
        return memInfoPages;
    }

    public Map<Integer, Map<String, Long>> nodes() {
        return nodes;
    }

    public Long freeSwapBytes() {
        return freeSwapBytes;
    }

    public Long totalSwapBytes() {
        return totalSwapBytes;
    }

    public Long pagesRam() {
        return pagesRam;
    }

    public List<TaskRow> tasks() {
        return List.copyOf(tasks);
    }

    public Summary summary() {
        return summary;
    }

    public List<Chosen> chosen() {
        return List.copyOf(chosen);
    }

    public List<Killed> killed() {
        return List.copyOf(killed);
    }

    public List<Reaped> reaped() {
        return List.copyOf(reaped);
    }

    public boolean noKillableProcesses() {
        return noKillableProcesses;
    }

    public List<String> features() {
        return List.copyOf(features);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Whether this is a memory cgroup OOM (true), a global one (false), or the report cannot tell (null). */
    public Boolean memcgOom() {
        if (summary != null) {
            return summary.oomMemcg() != null;
        }
        if (oomMemcg != null || !counters.isEmpty() || !stats.isEmpty()) {
            return true;
        }
        for (Killed k : killed) {
            if (k.message() != null && k.message().startsWith("Memory cgroup")) {
                return true;
            }
        }
        for (Chosen c : chosen) {
            if (c.message().startsWith("Memory cgroup")) {
                return true;
            }
        }
        if (callTrace.contains("mem_cgroup_out_of_memory")) {
            return true;
        }
        if (memInfo || callTrace.contains("__alloc_pages_slowpath") || callTrace.contains("__alloc_pages_may_oom")) {
            return false;
        }
        for (Killed k : killed) {
            if (k.message() != null && k.message().startsWith("Out of memory")) {
                return false;
            }
        }
        return null;
    }

    /** The victim's pid: the kill line's, else the summary's, else the chosen task's, else the reaped one's. */
    public Integer victimPid() {
        if (!killed.isEmpty()) {
            return killed.get(0).pid();
        }
        if (summary != null) {
            return summary.pid();
        }
        if (!chosen.isEmpty()) {
            return chosen.get(0).pid();
        }
        return reaped.isEmpty() ? null : reaped.get(0).pid();
    }

    /** The victim's comm, from the same lines as {@link #victimPid()}. */
    public String victimComm() {
        if (!killed.isEmpty()) {
            return killed.get(0).comm();
        }
        if (summary != null) {
            return summary.task();
        }
        if (!chosen.isEmpty()) {
            return chosen.get(0).comm();
        }
        return reaped.isEmpty() ? null : reaped.get(0).comm();
    }

    /** The OOM memcg's memory.stat: summed over the subtree for 3.10/4.18's local lines. */
    public Map<String, Long> memcgStats() {
        Map<String, Long> out = new LinkedHashMap<>();
        if (statsFormat == StatsFormat.MEMORY_STAT) {
            String oom = oomMemcg();
            Map<String, Long> own = oom == null ? null : stats.get(oom);
            if (own == null && !stats.isEmpty()) {
                own = stats.values().iterator().next();
            }
            return own == null ? out : own;
        }
        for (Map<String, Long> s : stats.values()) {
            s.forEach((k, v) -> out.merge(k, v, Long::sum));
        }
        return out;
    }
}
