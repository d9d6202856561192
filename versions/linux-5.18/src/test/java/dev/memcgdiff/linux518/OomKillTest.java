package dev.memcgdiff.linux518;

import static dev.memcgdiff.mm.TracePoints.PANIC;
import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Trace;
import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.outcome.Outcome;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** mm/oom_kill.c of 5.18: badness, selection, the kill, and the dmesg report. */
class OomKillTest {
    private static final String ONE = """
        name: oom-unit
        host: {memory: 128M}
        cgroup: v2
        cgroups:
          /a: {memory.max: 40M}
        tasks:
          x: {cgroup: /a, pid: 7093, uid: 1000, oom_score_adj: 500}
          y: {cgroup: /a, pid: 7100, oom_score_adj: -1000}
        steps:
          - snapshot: start
        """;

    @Test
    @DisplayName(
            "oom_badness: rss + swap entries + page-table bytes / PAGE_SIZE, plus oom_score_adj * (totalpages / 1000), division first")
    void badnessFormula() {
        Model.Booted b = Model.boot(ONE);
        Task x = b.task("x");
        b.faultAnon(x, 1000); // rss 1000, two page-table pages
        assertThat(OomKill.oomBadness(x, 10000)).isEqualTo(1000 + 2 + 500 * 10);
        // 10999 / 1000 = 10 before multiplying (not 500 * 10999 / 1000 = 5499).
        assertThat(OomKill.oomBadness(x, 10999)).isEqualTo(1000 + 2 + 500 * 10);
    }

    @Test
    @DisplayName(
            "oom_badness: LONG_MIN for oom_score_adj -1000, for init (pid 1), for a reaped (MMF_OOM_SKIP) and an exited task")
    void badnessUnkillable() {
        Model.Booted b = Model.boot("""
            name: unkillable
            host: {memory: 128M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              y: {cgroup: /a, pid: 7100, oom_score_adj: -1000}
              s: {cgroup: /a, pid: 7101}
              e: {cgroup: /a, pid: 7102}
            steps:
              - snapshot: start
            """);
        Task init = b.m.createTask("init", 1, 0, 0, b.memcg("/a")); // scenarios cannot declare pid 1
        assertThat(OomKill.oomBadness(init, 1000)).isEqualTo(Long.MIN_VALUE);
        assertThat(OomKill.oomBadness(b.task("y"), 1000)).isEqualTo(Long.MIN_VALUE);
        b.task("s").oomSkip = true;
        assertThat(OomKill.oomBadness(b.task("s"), 1000)).isEqualTo(Long.MIN_VALUE);
        b.task("e").exited = true;
        assertThat(OomKill.oomBadness(b.task("e"), 1000)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    @DisplayName("oom_badness: points may be negative (no floor at 1), and such a task is still chosen")
    void negativePointsChosen() {
        // totalpages = memory.max (10240 pages; no swap): adj -999 weighs -999 * 10.
        // x: 256 pages + 1 page-table page - 9990 = -9733. y is unkillable.
        Outcome o = Model.run("""
            name: negative
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 40M}
            tasks:
              x: {cgroup: /a, pid: 100, oom_score_adj: -999}
              y: {cgroup: /a, pid: 101, oom_score_adj: -1000}
            steps:
              - anon: {task: x, size: 1M}
              - anon: {task: y, size: 40448K}
            """);
        assertThat(o.oomKills()).hasSize(1);
        var k = o.oomKills().get(0);
        assertThat(k.victim()).isEqualTo("x");
        assertThat(k.points()).isEqualTo(-9733);
        assertThat(k.totalPages()).isEqualTo(10240);
        assertThat(o.steps().get(1).result()).isEqualTo("ok");
    }

    @Test
    @DisplayName("oom_badness: a tie goes to the later task (oom_evaluate_task passes over lower scores only)")
    void tieGoesToLaterTask() {
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
        assertThat(o.oomKills()).hasSize(1);
        assertThat(o.oomKills().get(0).victim()).isEqualTo("y");
        assertThat(o.oomKills().get(0).points()).isEqualTo(5120 + 10);
    }

    @Test
    @DisplayName(
            "select_bad_process: an earlier victim still alive aborts the selection: no kill, reported as progress")
    void liveVictimAborts() {
        Model.Booted b = Model.boot(ONE);
        b.faultAnon(b.task("x"), 100);
        b.task("x").oomVictim = true;
        MemCgroup a = b.memcg("/a");
        assertThat(b.c.oomKill().memcgOutOfMemory(a, Gfp.GFP_KERNEL, 0, LimitKind.MEMORY))
                .isTrue();
        assertThat(b.m.oomKills()).isEmpty();
        assertThat(Trace.of(b.m.trace.events(), TracePoints.OOM_VICTIM_PENDING))
                .singleElement()
                .satisfies(e -> assertThat(e.memcg()).isEqualTo("/a"));
        assertThat(Trace.times(b.m.trace.events(), TracePoints.OOM_KILL_PROCESS))
                .isZero();
    }

    @Test
    @DisplayName("mem_cgroup_out_of_memory: a margin of 1 << order under the limit means true without a kill")
    void marginNoKill() {
        Model.Booted b = Model.boot(ONE);
        b.faultAnon(b.task("x"), 100);
        assertThat(b.c.oomKill().memCgroupOutOfMemory(b.memcg("/a"), Gfp.GFP_KERNEL, 0, LimitKind.MEMORY, null))
                .isTrue();
        assertThat(b.m.oomKills()).isEmpty();
        assertThat(Trace.of(b.m.trace.events(), TracePoints.OOM_MARGIN))
                .singleElement()
                .satisfies(e -> assertThat(e.memcg()).isEqualTo("/a"));
    }

    @Test
    @DisplayName("out_of_memory (memcg): nothing killable fails the OOM, without a panic")
    void memcgNothingKillable() {
        Model.Booted b = Model.boot(ONE);
        MemCgroup a = b.memcg("/a");
        b.task("x").oomSkip = true;
        b.faultAnon(b.task("y"), 100);
        assertThat(b.c.oomKill().memcgOutOfMemory(a, Gfp.GFP_KERNEL, 0, LimitKind.MEMORY))
                .isFalse();
        assertThat(b.m.panic).isNull();
        assertThat(Trace.of(b.m.trace.events(), TracePoints.OOM_NOTHING_KILLABLE))
                .singleElement()
                .satisfies(e -> assertThat(e.memcg()).isEqualTo("/a"));
    }

    @Test
    @DisplayName(
            "pagefault_out_of_memory: never a global OOM; a fault whose charge keeps failing is retried and ends hung")
    void pagefaultRetriesHung() {
        Outcome o = Model.run("""
            name: pf-oom
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 10M}
            tasks:
              y: {cgroup: /a, pid: 101, oom_score_adj: -1000}
            steps:
              - anon: {task: y, size: 20M}
            """);
        assertThat(o.steps().get(0).result()).isEqualTo("hung");
        assertThat(o.oomKills()).isEmpty();
        assertThat(o.events(TracePoints.PAGEFAULT_OOM_LEAKED))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.memcg()).isEqualTo("/a"));
        assertThat(keyed(o, null, "/a", "memory.events").get("oom")).isPositive();
        assertThat(o.snapshot(null).vmstat()).containsEntry("oom_kill", 0L);
    }

    @Test
    @DisplayName("__oom_kill_process: the 5.18 kill line with UID, pgtables and oom_score_adj")
    void killLineFormat() {
        Model.Booted b = Model.boot(ONE);
        Task x = b.task("x");
        b.faultAnon(x, 1024);
        assertThat(OomKill.killLine("Memory cgroup out of memory", x))
                .isEqualTo(
                        "Memory cgroup out of memory: Killed process 7093 (x) total-vm:4096kB, anon-rss:4096kB, file-rss:0kB,"
                                + " shmem-rss:0kB, UID:1000 pgtables:8kB oom_score_adj:500");
    }

    @Test
    @DisplayName(
            "dump_header (5.18, v2 memcg OOM): invoked line, stack, memory and swap counters, memory.stat, task table, oom-kill summary, kill line")
    void memcgReportFormat() {
        Outcome o = Model.run("""
            name: report
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /pod: {memory.max: 20M}
            tasks:
              big: {cgroup: /pod, pid: 7093, uid: 1000, oom_score_adj: 916}
              t: {cgroup: /pod, pid: 7100}
            steps:
              - anon: {task: big, size: 12M}
              - anon: {task: t, size: 12M}
            """);
        assertThat(o.oomKills()).hasSize(1);
        var k = o.oomKills().get(0);
        assertThat(k.constraint()).isEqualTo("CONSTRAINT_MEMCG");
        assertThat(k.oomMemcg()).isEqualTo("/pod");
        List<String> r = k.report();
        assertThat(r.get(0)).isEqualTo("t invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
        assertThat(r.get(1)).isEqualTo("CPU: 0 PID: 7100 Comm: t Not tainted 5.18.12 #1");
        assertThat(r.subList(2, 6)).containsExactly("Call Trace:", " <TASK>", " dump_stack_lvl", " dump_header");
        assertThat(r)
                .containsSubsequence(
                        " mem_cgroup_out_of_memory",
                        " try_charge_memcg",
                        " charge_memcg",
                        " __mem_cgroup_charge",
                        " do_anonymous_page",
                        " </TASK>");
        int mem = r.indexOf("memory: usage 20480kB, limit 20480kB, failcnt " + failcnt(r));
        assertThat(mem).isPositive();
        assertThat(r.get(mem + 1)).startsWith("swap: usage 0kB, limit ");
        assertThat(r.get(mem + 2)).isEqualTo("Memory cgroup stats for /pod:");
        assertThat(r.get(mem + 3)).isEqualTo("anon " + 20L * 1024 * 1024);
        assertThat(r.get(mem + 4)).isEqualTo("file 0");
        int tasks = r.indexOf("Tasks state (memory values in pages):");
        assertThat(tasks).isGreaterThan(mem);
        assertThat(r.get(tasks + 1))
                .isEqualTo("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name");
        assertThat(r.get(tasks + 2))
                .isEqualTo("[   7093]  1000  7093     3072     3072    24576        0           916 big");
        assertThat(r.get(tasks + 3)).startsWith("[   7100]     0  7100 ");
        assertThat(r.get(tasks + 4))
                .isEqualTo("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=pod,"
                        + "mems_allowed=0,oom_memcg=/pod,task_memcg=/pod,task=big,pid=7093,uid=1000");
        assertThat(r.get(tasks + 5))
                .isEqualTo(
                        "Memory cgroup out of memory: Killed process 7093 (big) "
                                + "total-vm:12288kB, anon-rss:12288kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:24kB oom_score_adj:916");
        assertThat(r).hasSize(tasks + 6);
    }

    private static String failcnt(List<String> r) {
        String line = r.stream()
                .filter(l -> l.startsWith("memory: usage "))
                .findFirst()
                .orElseThrow();
        return line.substring(line.lastIndexOf(' ') + 1);
    }

    @Test
    @DisplayName("mem_cgroup_print_oom_meminfo (v1): memory, memory+swap and kmem counters, then v2-format stats")
    void v1Meminfo() {
        Outcome o = Model.run("""
            name: v1-report
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 20M}
            tasks:
              t: {cgroup: /pod, pid: 7100}
            steps:
              - anon: {task: t, size: 24M}
            """);
        List<String> r = o.oomKills().get(0).report();
        int mem = 0;
        while (!r.get(mem).startsWith("memory: usage ")) {
            mem++;
        }
        assertThat(r.get(mem + 1)).startsWith("memory+swap: usage 20480kB, limit ");
        assertThat(r.get(mem + 2)).isEqualTo("kmem: usage 0kB, limit " + (Long.MAX_VALUE / 4096 * 4) + "kB, failcnt 0");
        assertThat(r.get(mem + 3)).isEqualTo("Memory cgroup stats for /pod:");
        assertThat(r.get(mem + 4)).startsWith("anon ");
        assertThat(r).noneMatch(l -> l.startsWith("swap: usage"));
    }

    @Test
    @DisplayName(
            "out_of_memory (global): CONSTRAINT_NONE, show_mem, global_oom in the summary, 'Out of memory: Killed process'")
    void globalOom() {
        Outcome o = Model.run("""
            name: global
            host: {memory: 64M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              x: {cgroup: /a, pid: 100}
              y: {cgroup: /a, pid: 101}
            steps:
              - anon: {task: x, size: 40M}
              - anon: {task: y, size: 40M}
            """);
        assertThat(o.oomKills()).hasSize(1);
        var k = o.oomKills().get(0);
        assertThat(k.victim()).isEqualTo("x");
        assertThat(k.constraint()).isEqualTo("CONSTRAINT_NONE");
        assertThat(k.limit()).isEqualTo(LimitKind.HOST.text());
        assertThat(k.oomMemcg()).isNull();
        assertThat(k.totalPages()).isEqualTo(64 * 256);
        List<String> r = k.report();
        assertThat(r.get(0))
                .isEqualTo("y invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0");
        assertThat(r).contains("Mem-Info:", " __alloc_pages_slowpath.constprop.0", "lowmem_reserve[]: 0 0 0 0 0");
        assertThat(r)
                .contains("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=a,mems_allowed=0,"
                        + "global_oom,task_memcg=/a,task=x,pid=100,uid=0");
        assertThat(r.get(r.size() - 1)).startsWith("Out of memory: Killed process 100 (x) total-vm:40960kB");
        assertThat(o.steps().get(1).result()).isEqualTo("ok");
    }

    @Test
    @DisplayName("out_of_memory (global): nothing killable panics: System is deadlocked on memory")
    void globalPanic() {
        Outcome o = Model.run("""
            name: panic
            host: {memory: 64M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              y: {cgroup: /a, pid: 101, oom_score_adj: -1000}
            steps:
              - anon: {task: y, size: 80M}
              - anon: {task: y, size: 4K}
            """);
        assertThat(o.oomKills()).isEmpty();
        assertThat(o.times(PANIC)).isEqualTo(1);
        assertThat(o.events(TracePoints.OOM_NOTHING_KILLABLE)).singleElement().satisfies(e -> {
            assertThat(e.memcg()).isNull();
            assertThat(e.step()).isZero();
        });
        assertThat(o.steps().get(1).result()).isEqualTo("skipped");
    }

    @Test
    @DisplayName("oom_kill_process: no child is sacrificed: the chosen parent bash dies and its child cp goes on")
    void noChildSacrifice() {
        // oom_kill_process (5.18) kills the task select_bad_process chose; the "prefer children over parent"
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
                        + " file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:20kB oom_score_adj:0")
                .noneMatch(l -> l.contains("sacrifice") || l.contains("(cp)"));
        assertThat(o.steps().get(1).result()).isEqualTo("ok");
    }
}
