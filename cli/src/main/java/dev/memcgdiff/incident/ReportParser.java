package dev.memcgdiff.incident;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the OOM reports of a kernel log. The log may hold several reports, from several hosts
 * interleaved (syslog and journalctl name the host), pasted with any of the prefixes {@link
 * LogLine} knows, with lines wrapped by a terminal or a paste (joined again), and cut anywhere. No
 * input makes it throw: a line it cannot read is reported with its number ({@link
 * IncidentReport#problems()}), and the report keeps what could be read.
 *
 * <p>The line formats follow the printk calls of the modelled kernels and the versions between
 * them: mm/oom_kill.c dump_header, dump_tasks, dump_oom_summary, oom_kill_process and
 * __oom_kill_process; mm/memcontrol.c mem_cgroup_print_oom_info (3.10.0-1160, 4.18.0-147),
 * mem_cgroup_print_oom_context and mem_cgroup_print_oom_meminfo with memory_stat_format (5.18);
 * lib/show_mem.c show_mem; mm/page_alloc.c show_free_areas; mm/swap_state.c show_swap_cache_info;
 * kernel/cgroup/cpuset.c cpuset_print_current_mems_allowed.
 */
public final class ReportParser {
    /** The reports found, in the order their first line appears, and how many lines were not part of one. */
    public record Parsed(List<IncidentReport> reports, int ignoredLines, int joinedLines) {}

    // ------------------------------------------------------------------ line formats

    /** dump_header: "%s invoked oom-killer: gfp_mask=%#x(%pGg), nodemask=%*pbl, order=%d, oom_score_adj=%hd". */
    private static final Pattern INVOKED = Pattern.compile("^(.+?) invoked oom-killer: gfp_mask=(0x[0-9a-fA-F]+)"
            + "(?:\\(([^)]*)\\))?,(?: nodemask=([^,]*),)?(?: order=(-?\\d+),)? oom_score_adj=(-?\\d+)$");

    /** cpuset_print_task_mems_allowed (3.10), cpuset_print_current_mems_allowed (4.18). */
    private static final Pattern CPUSET = Pattern.compile("^(.+?) cpuset=(\\S*) mems_allowed=(\\S+)$");

    /** dump_stack's header: "CPU: %d PID: %d Comm: %.20s %s %s %.*s". */
    private static final Pattern CPU = Pattern.compile("^CPU: (\\d+) PID: (\\d+) Comm: (.+?)(?: Kdump: \\S+)?"
            + " (?:Not tainted|Tainted: .*?)\\s*(\\d+\\.\\d+(?:\\.\\d+)?[-\\w.+~]*)(?: #.*)?$");

    /** A call trace frame: "function+0xOFF/0xSIZE [module]", 3.10's "[<addr>] function+...", or a bare name. */
    private static final Pattern FRAME = Pattern.compile(
            "^\\s*(?:\\[<[0-9a-f]+>\\]\\s*)?(\\? )?([A-Za-z_.$][\\w.$]*)\\+0x[0-9a-f]+/0x[0-9a-f]+(?: \\[[\\w]+\\])?(.*)$");

    private static final Pattern BARE_FRAME = Pattern.compile("^\\s+([A-Za-z_][\\w.$]*)$");

    /** mem_cgroup_print_oom_info (3.10, 4.18): "Task in %s killed as a result of limit of %s". */
    private static final Pattern TASK_IN = Pattern.compile("^Task in (\\S+) killed as a result of limit of (\\S+)$");

    private static final Pattern LIMIT_REACHED = Pattern.compile("^Memory limit reached of cgroup (\\S+)$");

    /** "%s: usage %llukB, limit %llukB, failcnt %lu" for memory, memory+swap, kmem, swap. */
    private static final Pattern COUNTER = Pattern.compile(
            "^(memory|memory\\+swap|kmem|swap|kmem\\.tcp|tcp): usage (\\d+)kB, limit (\\d+|max)kB, failcnt (\\d+)$");

    private static final Pattern COUNTER_START = Pattern.compile("^(memory|memory\\+swap|kmem|swap): usage");

    /** "Memory cgroup stats for %s:" then " key:NKB" (3.10, 4.18) or nothing (memory_stat_format lines follow). */
    private static final Pattern STATS = Pattern.compile("^Memory cgroup stats(?: for (\\S*?))?:(.*)$");

    private static final Pattern KB_PAIR = Pattern.compile("([a-z_]+):(\\d+)KB");

    /** memory_stat_format: "key N". */
    private static final Pattern STAT_LINE = Pattern.compile("^\\s*([a-z][a-z0-9_]*) (\\d+)$");

    /** show_free_areas' summary lines: "key:N key:N" in pages. */
    private static final Pattern PAGE_PAIR = Pattern.compile("([a-z_]+):(\\d+)");

    private static final Pattern MEMINFO_LINE =
            Pattern.compile("^\\s*(?:active_anon|active_file|unevictable|slab_reclaimable|mapped|free|"
                    + "kernel_misc_reclaimable|sec_pagetables):\\d+( [a-z_]+:\\d+)*\\s*$");

    /** show_free_areas' node line (4.8 on) and zone lines. */
    private static final Pattern NODE = Pattern.compile("^Node (\\d+) active_anon:.*$");

    private static final Pattern ZONE =
            Pattern.compile("^Node (\\d+) (DMA|DMA32|Normal|Movable|HighMem|Device) free:.*$");

    private static final Pattern KB_FIELD = Pattern.compile("([a-z_]+(?:\\([a-z]+\\))?): ?(\\d+)kB");

    private static final Pattern FREE_SWAP = Pattern.compile("^Free swap\\s+=\\s+(-?\\d+)kB$");
    private static final Pattern TOTAL_SWAP = Pattern.compile("^Total swap\\s+=\\s+(\\d+)kB$");
    private static final Pattern PAGES_RAM = Pattern.compile("^(\\d+) pages RAM$");

    /** dump_tasks' header: 3.10 nr_ptes, 4.4-4.14 nr_ptes nr_pmds, 4.15 on pgtables_bytes. */
    private static final Pattern TASK_HEADER =
            Pattern.compile("^\\[\\s*pid\\s*\\]\\s+uid\\s+tgid\\s+total_vm\\s+rss\\s+"
                    + "(nr_ptes(?:\\s+nr_pmds)?|pgtables_bytes)\\s+swapents\\s+oom_score_adj\\s+name$");

    private static final Pattern TASK_ROW =
            Pattern.compile("^\\[\\s*(\\d+)\\]\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+"
                    + "(\\d+)(?:\\s+(\\d+))?\\s+(\\d+)\\s+(-?\\d+)\\s(.*)$");

    /** dump_oom_summary (4.19 on). */
    private static final Pattern SUMMARY = Pattern.compile("^oom-kill:constraint=([A-Z_]+),nodemask=([^,]*)"
            + "(?:,cpuset=([^,]*),mems_allowed=([^,]*))?(?:,oom_memcg=([^,]*)|,global_oom)(?:,task_memcg=([^,]*))?"
            + ",task=(.*),pid=(\\d+),uid=(\\d+)$");

    /** oom_kill_process (3.10 to 5.0): "%s: Kill process %d (%s) score %u or sacrifice child". */
    private static final Pattern CHOSEN =
            Pattern.compile("^(.+?): Kill process (\\d+) \\((.*)\\) score (\\d+) or sacrifice child$");

    /** RHEL 7's "Killed process %d (%s), UID %d, total-vm:..." and upstream's with or without a message. */
    private static final Pattern KILLED =
            Pattern.compile("^(?:(.+?): )?Killed process (\\d+) \\((.*)\\)(?:, UID (\\d+),)? total-vm:(\\d+)kB, "
                    + "anon-rss:(\\d+)kB, file-rss:(\\d+)kB, shmem-rss:(\\d+)kB"
                    + "(?:, UID:(\\d+) pgtables:(\\d+)kB oom_score_adj:(-?\\d+))?$");

    private static final Pattern REAPED = Pattern.compile("^oom_reaper: reaped process (\\d+) \\((.*)\\), now "
            + "anon-rss:(\\d+)kB, file-rss:(\\d+)kB, shmem-rss:(\\d+)kB$");

    private static final Pattern GROUP_KILL =
            Pattern.compile("^Tasks in (\\S+) are going to be killed due to memory\\.oom\\.group set$");

    private static final Pattern NO_KILLABLE = Pattern.compile("^Out of memory and no killable processes\\.\\.\\.$");

    /** Lines of a report the importer does not need: registers, zone details, slab, swap cache. */
    private static final List<Pattern> KNOWN_OTHER = List.of(
            Pattern.compile("^Hardware name: .*$"),
            Pattern.compile("^Call Trace:$"),
            Pattern.compile("^\\s*</?(TASK|IRQ|NMI|SOFTIRQ)>$"),
            Pattern.compile("^(R[A-Z0-9]{1,3}|[CDEFGS]S|CR[0-4]|DR[0-7]|EFLAGS|ORIG_RAX|Code): .*$"),
            Pattern.compile("^Modules linked in:.*$"),
            Pattern.compile("^COMPACTION is disabled!!!$"),
            Pattern.compile("^Mem-Info:$"),
            Pattern.compile("^Node \\d+ (DMA|DMA32|Normal|Movable|HighMem|Device)(: | per-cpu:).*$"),
            Pattern.compile("^CPU\\s+\\d+: hi:.*$"),
            Pattern.compile("^lowmem_reserve\\[\\]:.*$"),
            Pattern.compile("^Node \\d+ hugepages_total=.*$"),
            Pattern.compile("^-?\\d+ total pagecache pages$"),
            Pattern.compile("^\\d+ pages in swap cache$"),
            Pattern.compile("^Swap cache stats: .*$"),
            Pattern.compile("^\\d+ pages (HighMem/MovableOnly|reserved|cma reserved|hwpoisoned|in pagetable cache)$"),
            Pattern.compile("^Unreclaimable slab info:$"),
            Pattern.compile("^Name\\s+Used\\s+Total$"),
            Pattern.compile("^\\S+\\s+\\d+KB\\s+\\d+KB$"),
            Pattern.compile("^Tasks state \\(memory values in pages\\):$"),
            Pattern.compile("^oom_reaper: unable to reap pid:.*$"));

    private ReportParser() {}

    // ------------------------------------------------------------------ reading

    /** Every OOM report of the log text; {@code text} as read from the file. */
    public static Parsed parse(String text) {
        String[] raw = text.split("\\r?\\n|\\r", -1);
        List<LogLine> lines = new ArrayList<>();
        int prefixed = 0;
        int nonEmpty = 0;
        for (int i = 0; i < raw.length; i++) {
            LogLine l = LogLine.of(i + 1, raw[i]);
            lines.add(l);
            if (!l.text().isBlank()) {
                nonEmpty++;
                prefixed += l.prefixed() ? 1 : 0;
            }
        }
        boolean prefixedLog = prefixed * 2 > nonEmpty;
        List<LogLine> joined = new ArrayList<>();
        List<String> joins = new ArrayList<>();
        int joinedLines = 0;
        for (LogLine l : lines) {
            if (l.text().isBlank()) {
                continue;
            }
            LogLine prev = joined.isEmpty() ? null : joined.get(joined.size() - 1);
            if (prev != null && isContinuation(prev, l, prefixedLog)) {
                joined.set(joined.size() - 1, prev.join(l));
                joins.add("line " + prev.number() + ": continued on line " + l.number()
                        + " (a line wrapped by a terminal or a paste), joined");
                joinedLines++;
                continue;
            }
            joined.add(l);
        }
        return new Reader(joins).read(joined, joinedLines);
    }

    /**
     * Whether {@code next} is the rest of {@code prev}, cut by a terminal or a paste: {@code prev}
     * is a report line cut short (it starts like one but does not end like one), or {@code next} has
     * none of the log's prefixes and reads as no line of a report at all.
     */
    static boolean isContinuation(LogLine prev, LogLine next, boolean prefixedLog) {
        if (!prev.host().equals(next.host()) && next.prefixed()) {
            return false;
        }
        String t = next.text();
        if (recognised(t)) {
            return false;
        }
        if (isOpen(prev.text())) {
            return true;
        }
        return prefixedLog && !next.prefixed();
    }

    /** Starts like a report line whose end is fixed, but does not end like it. */
    static boolean isOpen(String t) {
        if (t.contains(" invoked oom-killer: ")) {
            return !INVOKED.matcher(t).matches();
        }
        if (t.startsWith("Task in ")) {
            return !t.contains(" killed as a result of limit of ");
        }
        if (COUNTER_START.matcher(t).lookingAt()) {
            return !COUNTER.matcher(t).matches();
        }
        Matcher stats = STATS.matcher(t);
        if (stats.matches() && !stats.group(2).isBlank()) {
            return !stats.group(2).matches(".*unevictable:\\d+KB\\s*$");
        }
        if (t.contains("Killed process ")) {
            return !KILLED.matcher(t).matches();
        }
        if (t.startsWith("oom-kill:constraint=")) {
            return !SUMMARY.matcher(t).matches();
        }
        if (t.startsWith("oom_reaper: reaped process ")) {
            return !REAPED.matcher(t).matches();
        }
        if (NODE.matcher(t).matches() || ZONE.matcher(t).matches()) {
            return !t.matches(".*(all_unreclaimable\\? (yes|no)|free_cma:\\d+kB)$");
        }
        return false;
    }

    /** A line any report could contain, read without context. */
    static boolean recognised(String t) {
        if (INVOKED.matcher(t).matches()
                || CPUSET.matcher(t).matches()
                || t.startsWith("CPU: ")
                || FRAME.matcher(t).matches()
                || BARE_FRAME.matcher(t).matches()
                || t.startsWith("Task in ")
                || LIMIT_REACHED.matcher(t).matches()
                || COUNTER_START.matcher(t).lookingAt()
                || STATS.matcher(t).matches()
                || STAT_LINE.matcher(t).matches()
                || MEMINFO_LINE.matcher(t).matches()
                || NODE.matcher(t).matches()
                || ZONE.matcher(t).matches()
                || FREE_SWAP.matcher(t).matches()
                || TOTAL_SWAP.matcher(t).matches()
                || PAGES_RAM.matcher(t).matches()
                || TASK_HEADER.matcher(t).matches()
                || TASK_ROW.matcher(t).matches()
                || t.startsWith("oom-kill:constraint=")
                || CHOSEN.matcher(t).matches()
                || t.contains("Killed process ")
                || t.startsWith("oom_reaper: ")
                || GROUP_KILL.matcher(t).matches()
                || NO_KILLABLE.matcher(t).matches()) {
            return true;
        }
        for (Pattern p : KNOWN_OTHER) {
            if (p.matcher(t).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Reads the joined lines in order, one current report per host. */
    private static final class Reader {
        private final List<String> joins;
        private final List<IncidentReport> reports = new ArrayList<>();
        private final Map<String, State> current = new LinkedHashMap<>();
        private int ignored;

        Reader(List<String> joins) {
            this.joins = joins;
        }

        /** Where a report's lines are: which multi-line part is being read. */
        private enum Part {
            NONE,
            TRACE,
            MEMINFO,
            MEMORY_STAT,
            TASKS
        }

        private static final class State {
            final IncidentReport r;
            Part part = Part.NONE;
            String statsCgroup;
            boolean groupKill;

            State(IncidentReport r) {
                this.r = r;
            }

            boolean finished() {
                return !r.killed.isEmpty() && !groupKill;
            }
        }

        Parsed read(List<LogLine> lines, int joinedLines) {
            for (LogLine l : lines) {
                line(l);
            }
            // attach each join note to the report whose lines it joined
            for (String j : joins) {
                int n = intNum(j.substring("line ".length(), j.indexOf(':')));
                for (IncidentReport r : reports) {
                    if (n >= r.firstLine && n <= r.lastLine) {
                        r.problems.add(j);
                        break;
                    }
                }
            }
            for (IncidentReport r : reports) {
                r.problems.sort((a, b) -> Integer.compare(lineOf(a), lineOf(b)));
            }
            return new Parsed(List.copyOf(reports), ignored, joinedLines);
        }

        private static int lineOf(String problem) {
            Matcher m = Pattern.compile("^line (\\d+)").matcher(problem);
            return m.lookingAt() ? intNum(m.group(1)) : 0;
        }

        private State start(LogLine l, boolean fromTheTop) {
            IncidentReport r = new IncidentReport();
            r.firstLine = l.number();
            r.lastLine = l.number();
            r.host = l.host();
            if (!fromTheTop) {
                r.problems.add("line " + l.number() + ": the report starts here, without its first lines (\""
                        + "invoked oom-killer\" and what follows it are missing)");
            }
            reports.add(r);
            State s = new State(r);
            current.put(l.host(), s);
            return s;
        }

        private void line(LogLine l) {
            String t = l.text();
            State s = current.get(l.host());
            Matcher m = INVOKED.matcher(t);
            if (m.matches()) {
                s = start(l, true);
                invoked(s.r, m);
                return;
            }
            Matcher reaped = REAPED.matcher(t);
            if (reaped.matches()) {
                reaped(l, reaped);
                return;
            }
            boolean reportLine = recognised(t) || isOpen(t);
            if (s == null || (s.finished() && reportLine && !t.contains("Killed process "))) {
                if (!reportLine
                        || BARE_FRAME.matcher(t).matches()
                        || STAT_LINE.matcher(t).matches()) {
                    ignored++;
                    return;
                }
                s = start(l, false);
            } else if (s.finished() && t.contains("Killed process ") && !s.groupKill) {
                s = start(l, false);
            } else if (s.finished() && !reportLine) {
                ignored++;
                return;
            }
            s.r.lastLine = l.number();
            inReport(s, l);
        }

        private void inReport(State s, LogLine l) {
            IncidentReport r = s.r;
            String t = l.text();
            int n = l.number();
            // the multi-line parts continue while their lines come
            if (s.part == Part.TRACE) {
                Matcher f = FRAME.matcher(t);
                Matcher bare = BARE_FRAME.matcher(t);
                if (f.matches()) {
                    if (f.group(1) == null) {
                        r.callTrace.add(f.group(2));
                    }
                    if (!f.group(3).isBlank()) {
                        r.problems.add("line " + n + ": text after the frame " + f.group(2) + " ignored: \""
                                + shorten(f.group(3).strip()) + "\"");
                    }
                    return;
                }
                if (bare.matches()) {
                    r.callTrace.add(bare.group(1));
                    return;
                }
                if (t.matches("^\\s*</?(TASK|IRQ|NMI|SOFTIRQ)>$")) {
                    return;
                }
                s.part = Part.NONE;
            }
            if (s.part == Part.MEMORY_STAT) {
                Matcher st = STAT_LINE.matcher(t);
                if (st.matches()) {
                    r.stats.get(s.statsCgroup).put(st.group(1), num(st.group(2)));
                    return;
                }
                s.part = Part.NONE;
            }
            if (s.part == Part.MEMINFO) {
                if (MEMINFO_LINE.matcher(t).matches()) {
                    Matcher p = PAGE_PAIR.matcher(t);
                    while (p.find()) {
                        r.memInfoPages.put(p.group(1), num(p.group(2)));
                    }
                    return;
                }
                s.part = Part.NONE;
            }
            if (s.part == Part.TASKS) {
                Matcher row = TASK_ROW.matcher(t);
                if (row.matches()) {
                    taskRow(r, row);
                    return;
                }
                if (t.startsWith("[")) {
                    r.problems.add("line " + n + ": a task table row that cannot be read: \"" + shorten(t) + "\"");
                    return;
                }
                s.part = Part.NONE;
            }
            Matcher m;
            if (t.equals("Call Trace:")) {
                s.part = Part.TRACE;
            } else if (t.equals("Mem-Info:")) {
                s.part = Part.MEMINFO;
                r.memInfo = true;
            } else if ((m = CPUSET.matcher(t)).matches()) {
                r.cpuset = m.group(2);
                r.memsAllowed = m.group(3);
            } else if (t.startsWith("CPU: ")) {
                cpu(r, n, t);
            } else if ((m = TASK_IN.matcher(t)).matches()) {
                r.taskMemcg = m.group(1);
                r.oomMemcg = m.group(2);
            } else if (t.startsWith("Task in ")) {
                r.problems.add("line " + n + ": the \"Task in\" line is cut short: \"" + shorten(t) + "\"");
            } else if ((m = LIMIT_REACHED.matcher(t)).matches()) {
                r.oomMemcg = m.group(1);
            } else if ((m = COUNTER.matcher(t)).matches()) {
                Long limit = m.group(3).equals("max") ? null : kb(m.group(3));
                if (limit != null && limit >= NO_LIMIT_KB * 1024) {
                    limit = null;
                }
                r.counters.put(m.group(1), new IncidentReport.Counter(kb(m.group(2)), limit, num(m.group(4))));
            } else if (COUNTER_START.matcher(t).lookingAt()) {
                r.problems.add("line " + n + ": a counter line that cannot be read (expected \"NAME: usage N kB, limit "
                        + "N kB, failcnt N\"): \"" + shorten(t) + "\"");
            } else if ((m = STATS.matcher(t)).matches()) {
                stats(s, n, m);
            } else if (MEMINFO_LINE.matcher(t).matches()) {
                // summary lines outside "Mem-Info:" (the header was cut): read them all the same
                r.memInfo = true;
                Matcher p = PAGE_PAIR.matcher(t);
                while (p.find()) {
                    r.memInfoPages.put(p.group(1), num(p.group(2)));
                }
                s.part = Part.MEMINFO;
            } else if ((m = NODE.matcher(t)).matches()) {
                node(r, n, intNum(m.group(1)), t, false);
            } else if ((m = ZONE.matcher(t)).matches()) {
                node(r, n, intNum(m.group(1)), t, true);
            } else if ((m = FREE_SWAP.matcher(t)).matches()) {
                r.freeSwapBytes = kb(m.group(1));
            } else if ((m = TOTAL_SWAP.matcher(t)).matches()) {
                r.totalSwapBytes = kb(m.group(1));
            } else if ((m = PAGES_RAM.matcher(t)).matches()) {
                r.pagesRam = num(m.group(1));
            } else if ((m = TASK_HEADER.matcher(t)).matches()) {
                r.taskTableColumn = m.group(1).replaceAll("\\s+", " ");
                feature(r, "task table with " + r.taskTableColumn);
                s.part = Part.TASKS;
            } else if ((m = SUMMARY.matcher(t)).matches()) {
                r.summary = new IncidentReport.Summary(
                        m.group(1), m.group(5), m.group(6), m.group(7), intNum(m.group(8)), num(m.group(9)));
                if (m.group(4) != null) {
                    r.memsAllowed = m.group(4);
                    r.cpuset = m.group(3);
                }
                feature(r, "oom-kill summary line");
            } else if (t.startsWith("oom-kill:constraint=")) {
                r.problems.add("line " + n + ": the oom-kill summary line cannot be read: \"" + shorten(t) + "\"");
            } else if ((m = CHOSEN.matcher(t)).matches()) {
                r.chosen.add(new IncidentReport.Chosen(m.group(1), intNum(m.group(2)), m.group(3), num(m.group(4))));
                feature(r, "Kill process ... or sacrifice child");
            } else if ((m = KILLED.matcher(t)).matches()) {
                killed(r, m);
            } else if (t.contains("Killed process ")) {
                r.problems.add("line " + n + ": a kill line that cannot be read: \"" + shorten(t) + "\"");
                r.killed.add(new IncidentReport.Killed(null, -1, null, null, 0, 0, 0, 0, null, null));
                partialKill(r, t);
            } else if ((m = GROUP_KILL.matcher(t)).matches()) {
                s.groupKill = true;
                feature(r, "memory.oom.group kill");
            } else if (NO_KILLABLE.matcher(t).matches()) {
                r.noKillableProcesses = true;
            } else if (FRAME.matcher(t).matches() || BARE_FRAME.matcher(t).matches()) {
                // a frame whose "Call Trace:" line is missing
                s.part = Part.TRACE;
                inReport(s, l);
            } else if (STAT_LINE.matcher(t).matches()) {
                r.problems.add("line " + n + ": a memory.stat line outside \"Memory cgroup stats for\", skipped: \""
                        + shorten(t) + "\"");
            } else if (!recognised(t)) {
                r.problems.add("line " + n + ": not a line of an OOM report, skipped: \"" + shorten(t) + "\"");
            }
        }

        private static void invoked(IncidentReport r, Matcher m) {
            r.invokerComm = m.group(1);
            r.gfpMask = m.group(2);
            r.gfpFlags = m.group(3);
            r.order = m.group(5) == null ? null : intNum(m.group(5));
            r.invokerAdj = intNum(m.group(6));
            feature(r, m.group(3) == null ? "gfp_mask without flags" : "gfp_mask with flags");
            if (m.group(4) != null) {
                feature(r, "nodemask in the invoked line");
            }
        }

        private static void cpu(IncidentReport r, int n, String t) {
            Matcher c = CPU.matcher(t);
            if (c.matches()) {
                r.invokerPid = intNum(c.group(2));
                r.release = c.group(4);
                return;
            }
            Matcher pid = Pattern.compile("^CPU: \\d+ PID: (\\d+)").matcher(t);
            if (pid.lookingAt()) {
                r.invokerPid = intNum(pid.group(1));
            }
            Matcher rel = Pattern.compile("(\\d+\\.\\d+\\.\\d+[-\\w.+~]*)").matcher(t);
            String found = null;
            while (rel.find()) {
                found = rel.group(1);
            }
            r.release = found;
            if (found == null) {
                r.problems.add("line " + n + ": no kernel release in the CPU line: \"" + shorten(t) + "\"");
            }
        }

        private void stats(State s, int n, Matcher m) {
            IncidentReport r = s.r;
            String cg = m.group(1) == null ? "(unnamed)" : m.group(1);
            String rest = m.group(2);
            Map<String, Long> values = new LinkedHashMap<>();
            r.stats.put(cg, values);
            if (rest.isBlank()) {
                r.statsFormat = IncidentReport.StatsFormat.MEMORY_STAT;
                feature(r, "memory.stat lines in bytes");
                s.part = Part.MEMORY_STAT;
                s.statsCgroup = cg;
                return;
            }
            r.statsFormat = IncidentReport.StatsFormat.V1_LINE;
            feature(r, "one-line stats in KB");
            Matcher p = KB_PAIR.matcher(rest);
            while (p.find()) {
                values.put(p.group(1), kb(p.group(2)));
            }
            if (values.isEmpty() || !rest.matches("\\s*([a-z_]+:\\d+KB\\s*)+")) {
                r.problems.add("line " + n + ": the stats of " + cg + " are partly unreadable; read " + values.size()
                        + " keys: \"" + shorten(rest.strip()) + "\"");
            } else if (!values.containsKey("unevictable")) {
                r.problems.add("line " + n + ": the stats of " + cg + " end early (no unevictable key); read "
                        + values.size() + " keys");
            }
        }

        private static void node(IncidentReport r, int n, int node, String t, boolean zone) {
            Map<String, Long> values = r.nodes.computeIfAbsent(node, k -> new LinkedHashMap<>());
            Matcher p = KB_FIELD.matcher(t);
            boolean any = false;
            while (p.find()) {
                any = true;
                if (zone) {
                    // zone lines are summed per node under "zone:KEY", apart from the node line's keys
                    values.merge("zone:" + p.group(1), kb(p.group(2)), Long::sum);
                } else {
                    values.put(p.group(1), kb(p.group(2)));
                }
            }
            feature(r, zone ? "zone lines" : "node lines");
            if (!any) {
                r.problems.add("line " + n + ": a node line without values: \"" + shorten(t) + "\"");
            } else if (isOpen(t)) {
                r.problems.add("line " + n + ": the Node " + node + " line ends early, read what is there: \"..."
                        + shorten(t.substring(Math.max(0, t.length() - 40))) + "\"");
            }
        }

        private static void taskRow(IncidentReport r, Matcher m) {
            boolean pmds = r.taskTableColumn != null && r.taskTableColumn.contains("nr_pmds");
            boolean bytes = r.taskTableColumn != null && r.taskTableColumn.startsWith("pgtables_bytes");
            long ptes = num(m.group(6));
            long pgtables = bytes ? ptes : ptes * 4096;
            if (pmds && m.group(7) != null) {
                pgtables += num(m.group(7)) * 4096;
            }
            r.tasks.add(new IncidentReport.TaskRow(
                    intNum(m.group(1)),
                    num(m.group(2)),
                    intNum(m.group(3)),
                    num(m.group(4)),
                    num(m.group(5)),
                    pgtables,
                    num(m.group(8)),
                    intNum(m.group(9)),
                    m.group(10).strip()));
        }

        private static void killed(IncidentReport r, Matcher m) {
            String uid = m.group(4) != null ? m.group(4) : m.group(9);
            r.killed.add(new IncidentReport.Killed(
                    m.group(1),
                    intNum(m.group(2)),
                    m.group(3),
                    uid == null ? null : num(uid),
                    kb(m.group(5)),
                    kb(m.group(6)),
                    kb(m.group(7)),
                    kb(m.group(8)),
                    m.group(10) == null ? null : kb(m.group(10)),
                    m.group(11) == null ? null : intNum(m.group(11))));
            if (m.group(4) != null) {
                feature(r, "Killed process with \", UID\"");
            } else if (m.group(9) != null) {
                feature(r, "Killed process with UID, pgtables and oom_score_adj");
            }
            if (m.group(1) == null) {
                feature(r, "Killed process without a message");
            }
        }

        /** A damaged kill line: the pid and comm if they can be read. */
        private static void partialKill(IncidentReport r, String t) {
            Matcher m = Pattern.compile("Killed process (\\d+) \\(([^)]*)\\)").matcher(t);
            if (m.find()) {
                r.killed.set(
                        r.killed.size() - 1,
                        new IncidentReport.Killed(null, intNum(m.group(1)), m.group(2), null, 0, 0, 0, 0, null, null));
            }
        }

        /** An oom_reaper line: the report whose victim it reaped, or the current report of its host. */
        private void reaped(LogLine l, Matcher m) {
            int pid = intNum(m.group(1));
            for (int i = reports.size() - 1; i >= 0; i--) {
                IncidentReport r = reports.get(i);
                if (r.host.equals(l.host()) && r.killed.stream().anyMatch(k -> k.pid() == pid)) {
                    r.reaped.add(new IncidentReport.Reaped(pid, m.group(2)));
                    r.lastLine = Math.max(r.lastLine, l.number());
                    return;
                }
            }
            State s = current.get(l.host());
            if (s == null || s.finished()) {
                s = start(l, false);
            }
            s.r.reaped.add(new IncidentReport.Reaped(pid, m.group(2)));
            s.r.lastLine = l.number();
            s.r.problems.add("line " + l.number() + ": no kill line before the oom_reaper line: the victim is read "
                    + "from it");
        }

        private static void feature(IncidentReport r, String f) {
            if (!r.features.contains(f)) {
                r.features.add(f);
            }
        }
    }

    /** 9007199254740988kB: PAGE_COUNTER_MAX pages in kB, what an unlimited counter prints. */
    static final long NO_LIMIT_KB = 9007199254740988L;

    /** A number of the log: too many digits reads as the largest long (the importer then says so by size). */
    static long num(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    static int intNum(String digits) {
        long v = num(digits);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    private static long kb(String digits) {
        try {
            return Math.multiplyExact(Long.parseLong(digits), 1024L);
        } catch (ArithmeticException | NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** A line as a problem quotes it: at most 80 characters, double quotes as single ones. */
    static String shorten(String t) {
        String s = t.length() > 80 ? t.substring(0, 77) + "..." : t;
        return s.replace('"', '\'');
    }
}
