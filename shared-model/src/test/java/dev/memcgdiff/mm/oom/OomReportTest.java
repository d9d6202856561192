package dev.memcgdiff.mm.oom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.toy.ToyMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The shared pieces of the OOM report, each line worked out by hand from the kernel's printk formats. */
class OomReportTest {
    private static final String SCENARIO = """
        name: report
        host: {memory: 64M, swap: 64M, nodes: 2}
        cgroup: v1
        cgroups:
          /pod: {memory.limit_in_bytes: 32M}
          /pod/app:
          /other:
        tasks:
          a: {cgroup: /pod/app, pid: 200, uid: 1000, oom_score_adj: 500}
          b: {cgroup: /other, pid: 300}
        steps:
          - snapshot: s
        """;

    private final ToyMachine t = new ToyMachine(SCENARIO);
    private final Task a = t.task("a");
    private final Task b = t.task("b");

    @Test
    void theInvokedLineOfTheCurrentTaskOrOfTheShell() {
        assertThat(OomReport.invoked(t.m, "0xd0", false, 0))
                .isEqualTo("sh invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0");
        t.m.current = a;
        assertThat(OomReport.invoked(t.m, "0x6000c0(GFP_KERNEL)", true, 3))
                .isEqualTo(
                        "a invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), nodemask=(null), order=3, oom_score_adj=500");
    }

    @Test
    void theCpusetAndCpuLines() {
        assertThat(OomReport.cpusetLine(t.m)).isEqualTo("sh cpuset=/ mems_allowed=0-1");
        assertThat(OomReport.cpuLine(t.m, "4.18.0-147.el8.x86_64 #1"))
                .isEqualTo("CPU: 0 PID: 1 Comm: sh Not tainted 4.18.0-147.el8.x86_64 #1");
        t.m.current = a;
        assertThat(OomReport.cpusetLine(t.m)).isEqualTo("a cpuset=app mems_allowed=0-1");
        assertThat(OomReport.cpuset(t.m)).isEqualTo("app");
        assertThat(OomReport.cpuLine(t.m, "5.18.12 #1")).isEqualTo("CPU: 0 PID: 200 Comm: a Not tainted 5.18.12 #1");
    }

    @Test
    void aOneNodeHostAllowsNodeZero() {
        ToyMachine one = new ToyMachine(SCENARIO.replace(", nodes: 2", ""));
        assertThat(OomReport.memsAllowed(one.m)).isEqualTo("0");
        assertThat(OomReport.memsAllowed(t.m)).isEqualTo("0-1");
    }

    @Test
    void cgroupNameIsTheLastComponent() {
        assertThat(OomReport.cgroupName(t.m.root())).isEqualTo("/");
        assertThat(OomReport.cgroupName(t.memcg("/pod/app"))).isEqualTo("app");
        assertThat(OomReport.cgroupName(t.memcg("/other"))).isEqualTo("other");
    }

    @Test
    void theV1CountersAndTheStatsOfTheSubtree() {
        t.faultAnon(a, 3);
        List<String> r = new ArrayList<>();

        OomReport.v1Counters(r, t.memcg("/pod"));
        OomReport.memcgStats(r, t.memcg("/pod"), List.of("cache", "rss", "swap"), false);

        // 3 anon pages of a: 12 kB under /pod (32M limit: 32768 kB); memsw and kmem unlimited
        assertThat(r)
                .containsExactly(
                        "memory: usage 12kB, limit 32768kB, failcnt 0",
                        "memory+swap: usage 0kB, limit 9007199254740988kB, failcnt 0",
                        "kmem: usage 0kB, limit 9007199254740988kB, failcnt 0",
                        "Memory cgroup stats for /pod: cache:0KB rss:0KB inactive_anon:0KB active_anon:0KB inactive_file:0KB"
                                + " active_file:0KB unevictable:0KB",
                        "Memory cgroup stats for /pod/app: cache:0KB rss:12KB inactive_anon:12KB active_anon:0KB"
                                + " inactive_file:0KB active_file:0KB unevictable:0KB");
    }

    @Test
    void swapIsAStatOnlyWhenSwapIsAccounted() {
        List<String> r = new ArrayList<>();

        OomReport.memcgStats(r, t.memcg("/other"), List.of("cache", "rss", "swap"), true);

        assertThat(r)
                .containsExactly("Memory cgroup stats for /other: cache:0KB rss:0KB swap:0KB inactive_anon:0KB"
                        + " active_anon:0KB inactive_file:0KB active_file:0KB unevictable:0KB");
    }

    @Test
    void memInfoOfThreeTenAndFourEighteenThenOfFiveEighteen() {
        NodeMemInfo i = new NodeMemInfo();
        i.lru[Lru.INACTIVE_ANON] = 1;
        i.lru[Lru.ACTIVE_ANON] = 2;
        i.lru[Lru.INACTIVE_FILE] = 3;
        i.lru[Lru.ACTIVE_FILE] = 4;
        i.lru[Lru.UNEVICTABLE] = 5;
        i.dirty = 6;
        i.mapped = 7;
        i.shmem = 8;
        i.pagetables = 9;
        i.free = 10;
        List<String> old = new ArrayList<>();
        List<String> fiveEighteen = new ArrayList<>();

        OomReport.memInfo(old, i, true, false);
        OomReport.memInfo(fiveEighteen, i, false, true);

        assertThat(old)
                .containsExactly(
                        "Mem-Info:",
                        "active_anon:2 inactive_anon:1 isolated_anon:0",
                        " active_file:4 inactive_file:3 isolated_file:0",
                        " unevictable:5 dirty:6 writeback:0 unstable:0",
                        " slab_reclaimable:0 slab_unreclaimable:0",
                        " mapped:7 shmem:8 pagetables:9 bounce:0",
                        " free:10 free_pcp:0 free_cma:0");
        assertThat(fiveEighteen)
                .containsExactly(
                        "Mem-Info:",
                        "active_anon:2 inactive_anon:1 isolated_anon:0",
                        " active_file:4 inactive_file:3 isolated_file:0",
                        " unevictable:5 dirty:6 writeback:0",
                        " slab_reclaimable:0 slab_unreclaimable:0",
                        " mapped:7 shmem:8 pagetables:9 bounce:0",
                        " kernel_misc_reclaimable:0",
                        " free:10 free_pcp:0 free_cma:0");
    }

    @Test
    void pageTablesAreCountedOnEachTasksHomeNode() {
        t.faultAnon(a, 3); // one page-table page
        t.faultAnon(b, 600); // two

        NodeMemInfo aNode = NodeMemInfo.of(t.m, t.m.homeNode(a));
        NodeMemInfo bNode = NodeMemInfo.of(t.m, t.m.homeNode(b));

        assertThat(t.m.homeNode(a)).as("ids 0 and 1 on two nodes").isNotEqualTo(t.m.homeNode(b));
        assertThat(aNode.pagetables).isEqualTo(1);
        assertThat(bNode.pagetables).isEqualTo(2);
        assertThat(NodeMemInfo.total(t.m).pagetables).isEqualTo(3);
        b.exited = true;
        assertThat(NodeMemInfo.total(t.m).pagetables).as("only live tasks").isEqualTo(1);
    }

    @Test
    void dumpTasksOfThreeTenAndFourEighteenIsEveryLiveProcessButInitInProcessOrder() {
        Task init = t.m.createTask("systemd", 1, 0, 0, t.m.root());

        assertThat(OomReport.processes(t.m, null)).containsExactly(a, b);
        assertThat(OomReport.processes(t.m, t.memcg("/pod"))).containsExactly(a);
        b.exited = true;
        assertThat(OomReport.processes(t.m, null)).containsExactly(a);
        assertThat(init.pid()).isEqualTo(1);
    }

    @Test
    void dumpTasksRowsInTheKernelsFormat() {
        t.faultAnon(a, 3);
        List<String> r = new ArrayList<>();

        OomReport.dumpTasks(
                r,
                List.of("[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"),
                "[%5d] %5d %5d %8d %8d %8d %8d         %5d %s",
                4096,
                List.of(a, b));

        assertThat(r)
                .containsExactly(
                        "[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
                        "[  200]  1000   200        3        3     4096        0           500 a",
                        "[  300]     0   300        0        0        0        0             0 b");
    }

    @Test
    void dumpTasksPrintsAsciiDigitsWhateverTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        Locale arabic = Locale.forLanguageTag("ar-EG");
        assumeFalse(String.format(arabic, "%d", 5).equals("5"), "this JDK formats ar-EG with ASCII digits");
        try {
            Locale.setDefault(arabic);
            List<String> r = new ArrayList<>();

            OomReport.dumpTasks(r, List.of(), "[%7d] %5d %5d %8d %8d %8d %8d         %5d %s", 1, List.of(a));

            assertThat(r).containsExactly("[    200]  1000   200        0        0        0        0           500 a");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void theRssAndKillLines() {
        b.rssAnon = 3;
        b.rssFile = 2;
        b.rssShmem = 1;

        assertThat(OomReport.rss(b)).isEqualTo("anon-rss:12kB, file-rss:8kB, shmem-rss:4kB");
        assertThat(OomReport.killedProcess("Memory cgroup out of memory", b))
                .isEqualTo(
                        "Memory cgroup out of memory: Killed process 300 (b) total-vm:0kB, anon-rss:12kB, file-rss:8kB, shmem-rss:4kB");
    }

    @Test
    void aMemcgWithoutTasksHasNone() {
        MemCgroup other = t.memcg("/other");
        b.exited = true;
        assertThat(OomReport.processes(t.m, other)).isEmpty();
    }
}
