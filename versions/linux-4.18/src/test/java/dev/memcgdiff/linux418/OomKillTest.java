package dev.memcgdiff.linux418;

import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.PAGE;
import static dev.memcgdiff.testing.ScenarioHarness.event;
import static dev.memcgdiff.testing.ScenarioHarness.events;
import static dev.memcgdiff.testing.ScenarioHarness.file;
import static dev.memcgdiff.testing.ScenarioHarness.frames;
import static dev.memcgdiff.testing.ScenarioHarness.key;
import static dev.memcgdiff.testing.ScenarioHarness.line;
import static dev.memcgdiff.testing.ScenarioHarness.meminfo;
import static dev.memcgdiff.testing.ScenarioHarness.numberAfter;
import static dev.memcgdiff.testing.ScenarioHarness.onlyKill;
import static dev.memcgdiff.testing.ScenarioHarness.raw;
import static dev.memcgdiff.testing.ScenarioHarness.result;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static dev.memcgdiff.testing.ScenarioHarness.times;
import static dev.memcgdiff.testing.ScenarioHarness.vmstat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.outcome.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** mm/oom_kill.c of RHEL 8.1 (4.18.0-147): oom_badness, select_bad_process, oom_kill_process, memory.oom.group, the report. */
class OomKillTest {

    private static final String ONE = """
        name: badness
        host: {memory: 128M}
        cgroup: v2
        cgroups:
          /a: {}
        tasks:
          x: {cgroup: /a, pid: 7093, uid: 1000, oom_score_adj: 500}
          y: {cgroup: /a, pid: 7100, oom_score_adj: -999}
          r: {cgroup: /a, pid: 7101}
          s: {cgroup: /a, pid: 7102, uid: 1000}
          z: {cgroup: /a, pid: 7103, oom_score_adj: -1000}
        steps:
          - snapshot: start
        """;

    @Test
    @DisplayName(
            "oom_badness: rss + swap entries + page-table pages, plus oom_score_adj * (totalpages / 1000), the division first")
    void badnessFormula() {
        Model.Booted b = Model.boot(ONE);
        Task x = b.task("x");
        b.faultAnon(x, 1000); // 1000 pages, 2 page-table pages
        assertThat(OomKill.oomBadness(x, 10000)).isEqualTo(1000 + 2 + 500 * 10);
        assertThat(OomKill.oomBadness(x, 10999)).isEqualTo(1000 + 2 + 500 * 10);
        x.swapEnts = 24;
        assertThat(OomKill.oomBadness(x, 10000)).isEqualTo(1000 + 24 + 2 + 500 * 10);
    }

    @Test
    @DisplayName(
            "oom_badness: a non-positive score becomes 1 (never 0 for an eligible task); -1000, init and a reaped task score 0")
    void badnessFloorAndUnkillable() {
        Model.Booted b = Model.boot(ONE);
        Task y = b.task("y");
        b.faultAnon(y, 1000);
        assertThat(OomKill.oomBadness(y, 10000)).isEqualTo(1);
        Task z = b.task("z");
        b.faultAnon(z, 1000);
        assertThat(OomKill.oomBadness(z, 10000)).isZero();
        Task init = b.m.createTask("init", 1, 0, 0, b.memcg("/a"));
        assertThat(OomKill.oomBadness(init, 10000)).isZero();
        Task s = b.task("s");
        b.faultAnon(s, 10);
        s.oomSkip = true;
        assertThat(OomKill.oomBadness(s, 10000)).isZero();
    }

    @Test
    @DisplayName("oom_badness: no root bonus in 4.18: a uid 0 task scores the same as a uid 1000 task of the same size")
    void noRootBonus() {
        Model.Booted b = Model.boot(ONE);
        Task root = b.task("r");
        Task user = b.task("s");
        b.faultAnon(root, 700);
        b.faultAnon(user, 700);
        assertThat(OomKill.oomBadness(root, 10000))
                .isEqualTo(OomKill.oomBadness(user, 10000))
                .isEqualTo(702);
    }

    @Test
    @DisplayName(
            "oom_evaluate_task: on a tie the first task found stays chosen (the chosen one is a thread group leader)")
    void tieKeepsFirst() {
        // totalpages = 48M = 12288 pages; x and y score 5120 + 10 each; z (2048 + 4) loses.
        Outcome o = Model.run("""
            name: tie
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 48M}
            tasks:
              x: {cgroup: /a, pid: 100}
              y: {cgroup: /a, pid: 101}
              z: {cgroup: /a, pid: 102}
            steps:
              - anon: {task: x, size: 20M}
              - anon: {task: y, size: 20M}
              - anon: {task: z, size: 12M}
            """);
        OomKillRecord k = onlyKill(o);
        assertThat(k.victim()).isEqualTo("x");
        assertThat(k.points()).isEqualTo(5120 + 10);
        assertThat(k.totalPages()).isEqualTo(12288);
        assertThat(result(o, 2)).isEqualTo("ok");
    }

    @Test
    @DisplayName("select_bad_process: oom_score_adj -1000 is never chosen, even as the biggest task")
    void adjMinNeverChosen() {
        Outcome o = Model.run("""
            name: adj-min
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 20M}
            tasks:
              big: {cgroup: /a, pid: 100, oom_score_adj: -1000}
              small: {cgroup: /a, pid: 101}
            steps:
              - anon: {task: big, size: 16M}
              - anon: {task: small, size: 8M}
            """);
        assertThat(onlyKill(o).victim()).isEqualTo("small");
        assertThat(result(o, 1)).isEqualTo("killed");
    }

    @Test
    @DisplayName(
            "out_of_memory: nothing killable in the memcg is OOM_FAILED, and try_charge forces the charge past memory.max (4.18, no -ENOMEM)")
    void nothingKillableForces() {
        // Every page past 10M fails the same way: batch and single page fail, 7 reclaims,
        // MEMCG_OOM, no victim, force: 512 pages, 512 oom events, 3584 max events.
        Outcome o = Model.run("""
            name: force
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 10M}
            tasks:
              y: {cgroup: /a, pid: 100, oom_score_adj: -1000}
            steps:
              - anon: {task: y, size: 12M}
            """);
        assertThat(o.oomKills()).isEmpty();
        assertThat(result(o, 0)).isEqualTo("ok");
        assertThat(file(o, null, "/a", "memory.current")).isEqualTo(12 * M);
        assertThat(event(o, null, "/a", "oom")).isEqualTo(512);
        assertThat(event(o, null, "/a", "max")).isEqualTo(512 * 7);
        assertThat(event(o, null, "/a", "oom_kill")).isZero();
        assertThat(events(o, 0, TracePoints.MEMCG_OOM_NO_VICTIM))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.memcg()).isEqualTo("/a");
                    assertThat(e.times()).isEqualTo(512);
                });
        assertThat(times(o, 0, TracePoints.MEM_CGROUP_OOM_FAILED)).isEqualTo(512);
        assertThat(events(o, 0, TracePoints.FORCE_CHARGE)).singleElement().satisfies(e -> {
            assertThat(e.memcg()).isEqualTo("/a");
            assertThat(e.number("pages")).isEqualTo(512);
        });
    }

    @Test
    @DisplayName(
            "out_of_memory: a memcg limit gives CONSTRAINT_MEMCG and totalpages = mem_cgroup_get_max; the host gives CONSTRAINT_NONE and totalpages = RAM + swap")
    void constraints() {
        Outcome memcg = Model.run("""
            name: memcg-oom
            host: {memory: 256M, swap: 64M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 10M, memory.swap.max: 0}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 20M}
            """);
        OomKillRecord km = onlyKill(memcg);
        assertThat(km.constraint()).isEqualTo("CONSTRAINT_MEMCG");
        assertThat(km.oomMemcg()).isEqualTo("/a");
        // memory.max + min(swap.max, total swap): 2560 + 0.
        assertThat(km.totalPages()).isEqualTo(2560);
        assertThat(km.report()).anyMatch(l -> l.startsWith("Memory cgroup out of memory: Killed process 100 (t)"));

        Outcome global = Model.run("""
            name: global-oom
            host: {memory: 64M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 100M}
            """);
        OomKillRecord kg = onlyKill(global);
        assertThat(kg.constraint()).isEqualTo("CONSTRAINT_NONE");
        assertThat(kg.oomMemcg()).isNull();
        assertThat(kg.totalPages()).isEqualTo(64 * M / PAGE);
        assertThat(kg.report()).anyMatch(l -> l.startsWith("Out of memory: Killed process 100 (t)"));
        assertThat(kg.report()).noneMatch(l -> l.startsWith("Task in "));
        assertThat(kg.report()).contains("Mem-Info:");
        assertThat(result(global, 0)).isEqualTo("killed");
    }

    private static final String GROUP = """
        name: oom-group
        host: {memory: 256M}
        cgroup: v2
        cgroups:
          /g: {memory.oom.group: 1%s}
          /g/s: {%s}
        tasks:
          a: {cgroup: /g/s, pid: 100}
          b: {cgroup: /g/s, pid: 101}
          c: {cgroup: /g/s, pid: 102}
          d: {cgroup: /g/s, pid: 103, oom_score_adj: -1000}
        steps:
          - anon: {task: a, size: 8M}
          - anon: {task: b, size: 4M}
          - anon: {task: d, size: 2M}
          - anon: {task: c, size: 8M}
        """;

    @Test
    @DisplayName(
            "oom_kill_process + memory.oom.group: every task of the group but -1000 is killed; oom_kill_memcg_member does not skip the victim: its kill line and OOM_KILL twice")
    void oomGroupKillsAll() {
        // c's charge fails at 20M: a (2048 + 4) is the victim; /g, the OOM memcg, has
        // memory.oom.group. __oom_kill_process(a), then the scan over /g kills a again
        // (it still has its mm), b and c; d is -1000.
        Outcome o = Model.run(GROUP.formatted(", memory.max: 20M", ""));
        OomKillRecord k = onlyKill(o);
        assertThat(k.victim()).isEqualTo("a");
        List<String> kills = new ArrayList<>();
        for (String l : k.report()) {
            if (l.startsWith("Memory cgroup out of memory: Killed process ") || l.startsWith("Tasks in ")) {
                kills.add(l.substring(0, l.indexOf(')') < 0 ? l.length() : l.indexOf(')') + 1));
            }
        }
        assertThat(kills)
                .containsExactly(
                        "Memory cgroup out of memory: Killed process 100 (a)",
                        "Tasks in /g are going to be killed due to memory.oom.group set",
                        "Memory cgroup out of memory: Killed process 100 (a)",
                        "Memory cgroup out of memory: Killed process 101 (b)",
                        "Memory cgroup out of memory: Killed process 102 (c)");
        assertThat(event(o, null, "/g/s", "oom_kill")).isEqualTo(4);
        assertThat(event(o, null, "/g", "oom_kill"))
                .as("counted on the victim's memcg only")
                .isZero();
        assertThat(vmstat(o, null, "oom_kill")).isEqualTo(4);
        assertThat(result(o, 3)).isEqualTo("killed");
        assertThat(stat(o, null, "/g/s", "anon")).as("d survives with its 2M").isEqualTo(2 * M);
    }

    @Test
    @DisplayName(
            "mem_cgroup_get_oom_group: the walk up from the victim stops at the OOMing memcg, so oom.group above it is ignored")
    void oomGroupAboveDomainIgnored() {
        Outcome o = Model.run(GROUP.formatted("", "memory.max: 20M"));
        OomKillRecord k = onlyKill(o);
        assertThat(k.victim()).isEqualTo("a");
        assertThat(k.report()).noneMatch(l -> l.startsWith("Tasks in "));
        assertThat(k.report()).filteredOn(l -> l.contains(": Killed process ")).hasSize(1);
        assertThat(event(o, null, "/g/s", "oom_kill")).isEqualTo(1);
        assertThat(result(o, 3)).isEqualTo("ok");
    }

    @Test
    @DisplayName(
            "__oom_kill_process / oom_reaper: a kill frees the victim's anon and swap; its tmpfs and page cache stay charged")
    void killFreesAnonLeavesCache() {
        // t brings 2M of tmpfs and 2M of page cache into /a/c (memory.min: never reclaimed
        // under /a), moves to /a/d and faults anon until /a's limit OOMs.
        Outcome o = Model.run("""
            name: kill-frees
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 16M}
              /a/c: {memory.min: 8M}
              /a/d: {}
            tasks:
              t: {cgroup: /a/c, pid: 100}
            steps:
              - shmem: {task: t, file: /dev/shm/x, size: 2M}
              - read: {task: t, file: /data/f, size: 2M}
              - move: {task: t, cgroup: /a/d}
              - anon: {task: t, size: 20M}
            """);
        assertThat(onlyKill(o).victim()).isEqualTo("t");
        assertThat(stat(o, null, "/a/d", "anon")).isZero();
        assertThat(stat(o, null, "/a/c", "shmem")).isEqualTo(2 * M);
        assertThat(stat(o, null, "/a/c", "file")).isEqualTo(4 * M);
        assertThat(stat(o, null, "/a/c", "inactive_file") + stat(o, null, "/a/c", "active_file"))
                .isEqualTo(2 * M);
    }

    @Test
    @DisplayName(
            "try_charge force + tmpfs: killing a writer that holds only tmpfs frees nothing; its forced page stays, memory.current = max + 1 page")
    void tmpfsVictimFreesNothing() {
        // t's rss is 0 (written, never mapped): oom_badness floors it at 1 and t, the only task,
        // is chosen. After OOM_SUCCESS the retry is forced (tsk_is_oom_victim) and the 2049th
        // page joins the tmpfs file, which outlives t.
        Outcome o = Model.run("""
            name: tmpfs-victim
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 8M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - shmem: {task: t, file: /dev/shm/x, size: 16M}
            """);
        OomKillRecord k = onlyKill(o);
        assertThat(k.victim()).isEqualTo("t");
        assertThat(k.points()).isEqualTo(1);
        assertThat(result(o, 0)).isEqualTo("killed");
        assertThat(file(o, null, "/a", "memory.current")).isEqualTo(8 * M + PAGE);
        assertThat(stat(o, null, "/a", "shmem")).isEqualTo(8 * M + PAGE);
    }

    @Test
    @DisplayName("exit_mmap of an OOM victim: its swap entries are freed with its anon (swap.current back to 0)")
    void killFreesSwap() {
        Outcome o = Model.run("""
            name: kill-swap
            host: {memory: 256M, swap: 64M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 16M, memory.swap.max: 8M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 40M}
            """);
        OomKillRecord k = onlyKill(o);
        assertThat(k.victim()).isEqualTo("t");
        String stats = line(k, "Memory cgroup stats for /a:");
        assertThat(numberAfter(stats, " swap:")).as("at the kill").isPositive();
        assertThat(key(o, null, "/a", "memory.swap.events", "max")).isPositive();
        assertThat(file(o, null, "/a", "memory.swap.current")).isZero();
        assertThat(stat(o, null, "/a", "anon")).isZero();
        assertThat(file(o, null, "/a", "memory.current")).isLessThan(32 * PAGE);
        assertThat(meminfo(o, null, "SwapFree")).isEqualTo(64 * 1024);
    }

    @Test
    @DisplayName(
            "memory_max_write: shrinking memory.max below unreclaimable usage: 5 zero-progress reclaims, then oom++ and a kill; no max event")
    void memoryMaxWriteOoms() {
        Outcome o = Model.run("""
            name: max-write
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 10M}
              - set: {cgroup: /a, memory.max: 4M}
            """);
        assertThat(result(o, 1)).isEqualTo("ok");
        OomKillRecord k = onlyKill(o);
        assertThat(k.victim()).isEqualTo("t");
        assertThat(k.report().get(0)).contains("gfp_mask=0x6000c0(GFP_KERNEL)").contains("order=0");
        assertThat(event(o, null, "/a", "oom")).isEqualTo(1);
        assertThat(event(o, null, "/a", "oom_kill")).isEqualTo(1);
        assertThat(event(o, null, "/a", "max")).isZero();
        assertThat(raw(o, null, "/a", "memory.max")).isEqualTo(4 * M);
    }

    // ---------------------------------------------------------------- the report

    private static final String POD = "/kubepods.slice/kubepods-burstable.slice/"
            + "kubepods-burstable-podd63c4bbe_5f18_11ec_bdcd_d094668d7dd6.slice";
    private static final String SCOPE =
            POD + "/docker-083afd1a06b8b612ab5d974e12200d7fd1d35be6a44f0e368179399ef6c6e84d.scope";

    /** The anon-fault incident's container, scaled from 32G/34G to 32M/34M. */
    private static final String INCIDENT = """
        name: incident-anon-fault
        host: {memory: 512M, swap: 256M, nodes: 4}
        cgroup: v1
        cgroups:
          /kubepods.slice: {memory.use_hierarchy: 1}
          /kubepods.slice/kubepods-burstable.slice: {}
          %1$s: {}
          %2$s: {memory.limit_in_bytes: 32M, memory.memsw.limit_in_bytes: 34M}
        tasks:
          java: {cgroup: %2$s, pid: 7093, oom_score_adj: 916}
        steps:
          - anon: {task: java, size: 64M}
        """.formatted(POD, SCOPE);

    @Test
    @DisplayName(
            "dump_header (memcg, anon fault): the lines of the 4.18-memcg-anon-fault-memsw incident, in its order and formats")
    void memcgReportMatchesIncident() {
        OomKillRecord k = onlyKill(Model.run(INCIDENT));
        List<String> r = k.report();
        // From incidents/4.18-memcg-anon-fault-memsw.log, timestamps removed.
        assertThat(r.get(0))
                .isEqualTo(
                        "java invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=916");
        assertThat(r.get(1))
                .isEqualTo(
                        "java cpuset=docker-083afd1a06b8b612ab5d974e12200d7fd1d35be6a44f0e368179399ef6c6e84d.scope mems_allowed=0-3");
        assertThat(r.get(2)).startsWith("CPU: ").contains(" PID: 7093 Comm: java ");
        assertThat(r.get(3)).isEqualTo("Call Trace:");
        // The incident's frames without the "? " guesses, offsets and the .29 clone number.
        List<String> frames = List.of(
                "dump_stack",
                "dump_header",
                "oom_kill_process.cold",
                "out_of_memory",
                "mem_cgroup_out_of_memory",
                "try_charge",
                "mem_cgroup_try_charge",
                "mem_cgroup_try_charge_delay",
                "do_anonymous_page",
                "__handle_mm_fault",
                "handle_mm_fault",
                "__do_page_fault",
                "do_page_fault",
                "page_fault");
        assertThat(r.subList(4, 4 + frames.size()))
                .containsExactlyElementsOf(frames.stream().map(f -> " " + f).toList());
        int at = 4 + frames.size();
        assertThat(r.get(at)).isEqualTo("Task in " + SCOPE + " killed as a result of limit of " + SCOPE);
        assertThat(r.get(at + 1)).matches("memory: usage \\d+kB, limit 32768kB, failcnt \\d+");
        assertThat(r.get(at + 2)).matches("memory\\+swap: usage \\d+kB, limit 34816kB, failcnt \\d+");
        assertThat(r.get(at + 3)).isEqualTo("kmem: usage 0kB, limit 9007199254740988kB, failcnt 0");
        assertThat(r.get(at + 4)).startsWith("Memory cgroup stats for " + SCOPE + ":");
        // The incident's key order: cache rss rss_huge shmem mapped_file dirty writeback swap,
        // then the five LRU lists; "KB" in capitals, no space after the colon.
        assertThat(keys(r.get(at + 4).substring(("Memory cgroup stats for " + SCOPE + ":").length())))
                .containsExactly(
                        "cache",
                        "rss",
                        "rss_huge",
                        "shmem",
                        "mapped_file",
                        "dirty",
                        "writeback",
                        "swap",
                        "inactive_anon",
                        "active_anon",
                        "inactive_file",
                        "active_file",
                        "unevictable");
        assertThat(r.get(r.size() - 2))
                .matches("Memory cgroup out of memory: Killed process 7093 \\(java\\) total-vm:\\d+kB, anon-rss:\\d+kB,"
                        + " file-rss:\\d+kB, shmem-rss:\\d+kB");
        // the incident ends with the reaper's line
        assertThat(r.get(r.size() - 1))
                .isEqualTo("oom_reaper: reaped process 7093 (java), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB");
        assertThat(r).contains("[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name");
    }

    /** "key:123KB key:456KB" → keys, checking each value is a whole number of KB. */
    private static List<String> keys(String stats) {
        List<String> keys = new ArrayList<>();
        Matcher m = Pattern.compile(" ([a-z_]+):(\\d+)KB").matcher(stats);
        int end = 0;
        while (m.find()) {
            assertThat(m.start())
                    .as("contiguous key:valueKB fields in: " + stats)
                    .isEqualTo(end);
            keys.add(m.group(1));
            end = m.end();
        }
        assertThat(end).isEqualTo(stats.length());
        return keys;
    }

    @Test
    @DisplayName(
            "mem_cgroup_print_oom_info: one stats line per memcg of the OOMing subtree, pre-order, each with its local values")
    void statsPerMemcgLocal() {
        Outcome o = Model.run("""
            name: subtree-stats
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /p: {memory.max: 12M}
              /p/a: {}
              /p/b: {}
            tasks:
              x: {cgroup: /p/a, pid: 100}
              y: {cgroup: /p/b, pid: 101}
            steps:
              - anon: {task: x, size: 4M}
              - anon: {task: y, size: 12M}
            """);
        OomKillRecord k = onlyKill(o);
        List<String> stats = k.report().stream()
                .filter(l -> l.startsWith("Memory cgroup stats for "))
                .toList();
        assertThat(stats).hasSize(3);
        assertThat(stats.get(0)).startsWith("Memory cgroup stats for /p: cache:0KB rss:0KB ");
        assertThat(stats.get(1)).startsWith("Memory cgroup stats for /p/a: cache:0KB rss:4096KB ");
        assertThat(stats.get(2)).startsWith("Memory cgroup stats for /p/b: cache:0KB rss:");
        assertThat(line(k, "Task in ")).isEqualTo("Task in /p/b killed as a result of limit of /p");
    }

    @Test
    @DisplayName(
            "out_of_memory from __alloc_pages_slowpath in filemap_fault: the call trace, show_mem and kill line of the 4.18-global-oom incident")
    void globalReportMatchesIncident() {
        // The hog's anon takes the host down to the min watermark (256 pages of 16384); the
        // exporter's file fault drops its read-around (__GFP_NORETRY) and its one page finds
        // nothing to reclaim (anon, no swap): CONSTRAINT_NONE, totalpages = RAM (no swap).
        // The exporter: rss 0 + 1 page-table page + 1000 * (16384 / 1000).
        Outcome o = Model.run("""
            name: global-report
            host: {memory: 64M}
            cgroup: v2
            tasks:
              hog: {cgroup: /, pid: 100, oom_score_adj: -998}
              node_exporter: {cgroup: /, pid: 159440, oom_score_adj: 1000}
            steps:
              - anon: {task: hog, size: 64512K}
              - mmap: {task: node_exporter, file: /usr/local/bin/node_exporter, size: 1M}
            """);
        OomKillRecord k = onlyKill(o);
        assertThat(k.victim()).isEqualTo("node_exporter");
        assertThat(k.constraint()).isEqualTo("CONSTRAINT_NONE");
        assertThat(k.points()).isEqualTo(1 + 1000 * 16);
        List<String> r = k.report();
        assertThat(r.get(0))
                .isEqualTo("node_exporter invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE),"
                        + " nodemask=(null), order=0, oom_score_adj=1000");
        // incidents/4.18-global-oom-filemap-fault.log, without offsets, "? " guesses and the .29 suffix.
        assertThat(frames(k))
                .containsExactly(
                        "dump_stack",
                        "dump_header",
                        "oom_kill_process.cold",
                        "out_of_memory",
                        "__alloc_pages_slowpath",
                        "__alloc_pages_nodemask",
                        "filemap_fault",
                        "ext4_filemap_fault",
                        "__do_fault",
                        "do_fault",
                        "__handle_mm_fault",
                        "handle_mm_fault",
                        "__do_page_fault",
                        "do_page_fault",
                        "page_fault");
        int i = r.indexOf("Mem-Info:");
        assertThat(i).isPositive();
        assertThat(r).noneMatch(l -> l.startsWith("Task in "));
        assertThat(r.get(i + 1)).matches("active_anon:\\d+ inactive_anon:\\d+ isolated_anon:\\d+");
        assertThat(r.get(i + 2)).matches(" active_file:\\d+ inactive_file:\\d+ isolated_file:\\d+");
        assertThat(r.get(i + 3)).matches(" unevictable:\\d+ dirty:\\d+ writeback:\\d+ unstable:\\d+");
        assertThat(r.get(i + 4)).matches(" slab_reclaimable:\\d+ slab_unreclaimable:\\d+");
        assertThat(r.get(i + 5)).matches(" mapped:\\d+ shmem:\\d+ pagetables:\\d+ bounce:\\d+");
        assertThat(r.get(i + 6)).matches(" free:\\d+ free_pcp:\\d+ free_cma:\\d+");
        assertThat(r.get(i + 7))
                .matches("Node 0 active_anon:\\d+kB inactive_anon:\\d+kB active_file:\\d+kB"
                        + " inactive_file:\\d+kB unevictable:\\d+kB isolated\\(anon\\):\\d+kB isolated\\(file\\):\\d+kB"
                        + " mapped:\\d+kB dirty:\\d+kB writeback:\\d+kB shmem:\\d+kB shmem_thp: \\d+kB shmem_pmdmapped: \\d+kB"
                        + " anon_thp: \\d+kB writeback_tmp:\\d+kB unstable:\\d+kB all_unreclaimable\\? (yes|no)");
        assertThat(r.get(i + 1)).isEqualTo("active_anon:16128 inactive_anon:0 isolated_anon:0");
        assertThat(r.get(r.size() - 2))
                .matches("Out of memory: Killed process 159440 \\(node_exporter\\)"
                        + " total-vm:1024kB, anon-rss:0kB, file-rss:0kB, shmem-rss:0kB");
        assertThat(r.get(r.size() - 1))
                .isEqualTo("oom_reaper: reaped process 159440 (node_exporter), now anon-rss:0kB, file-rss:0kB,"
                        + " shmem-rss:0kB");
        assertThat(result(o, 1)).isEqualTo("killed");
    }

    @Test
    @DisplayName(
            "oom_reaper: a victim other than the allocating task is reaped and logged as in the incidents (now anon-rss:0kB, ...)")
    void reaperLine() {
        Outcome o = Model.run("""
            name: reaper
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 20M}
            tasks:
              java: {cgroup: /a, pid: 281482}
              t: {cgroup: /a, pid: 164878}
            steps:
              - anon: {task: java, size: 16M}
              - anon: {task: t, size: 8M}
            """);
        OomKillRecord k = onlyKill(o);
        assertThat(k.victim()).isEqualTo("java");
        assertThat(k.report())
                .contains("oom_reaper: reaped process 281482 (java), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB");
        assertThat(line(k, "Memory cgroup out of memory: "))
                .isEqualTo(
                        "Memory cgroup out of memory: Killed process 281482 (java) total-vm:16384kB, anon-rss:16384kB,"
                                + " file-rss:0kB, shmem-rss:0kB");
    }

    @Test
    @DisplayName(
            "oom_reaper (4.18.0-147, woken at once): the line follows the kill when the victim is the allocating task too,"
                    + " as the incidents' reports end")
    void reaperLineForTheAllocatingVictim() {
        Outcome o = Model.run("""
            name: reaper-current
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 20M}
            tasks:
              java: {cgroup: /a, pid: 7093}
            steps:
              - anon: {task: java, size: 32M}
            """);
        OomKillRecord k = onlyKill(o);
        assertThat(k.victim()).isEqualTo("java");
        assertThat(k.report().get(k.report().size() - 1))
                .isEqualTo("oom_reaper: reaped process 7093 (java), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB");
    }

    @Test
    @DisplayName("oom_kill_process: no child is sacrificed: the chosen parent bash dies and its child cp goes on")
    void noChildSacrifice() {
        // oom_kill_process (4.18.0-147) kills the task select_bad_process chose; the "prefer children over parent"
        // loop of 3.10 is gone. /pod 16M = 4096 pages: bash has 2560 + 5 page-table pages = 2565
        // points, cp 1536 + 3 = 1539 when its fault hits the limit; once bash is gone cp's 8M fits.
        Outcome o = Model.run("""
            name: no-sacrifice
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 16M}
            tasks:
              bash: {cgroup: /pod, pid: 100}
              cp: {cgroup: /pod, pid: 101, parent: bash}
            steps:
              - anon: {task: bash, size: 10M}
              - anon: {task: cp, size: 8M}
            """);
        assertThat(o.oomKills()).hasSize(1);
        assertThat(o.oomKills().get(0).victim()).isEqualTo("bash");
        assertThat(o.oomKills().get(0).points()).isEqualTo(2565);
        assertThat(o.oomKills().get(0).report())
                .contains("Memory cgroup out of memory: Killed process 100 (bash) total-vm:10240kB, anon-rss:10240kB,"
                        + " file-rss:0kB, shmem-rss:0kB")
                .noneMatch(l -> l.contains("sacrifice") || l.contains("(cp)"));
        assertThat(o.steps().get(1).result()).isEqualTo("ok");
    }
}
