package dev.memcgdiff.linux310;

import static dev.memcgdiff.linux310.Model.run;
import static dev.memcgdiff.testing.ScenarioHarness.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.outcome.Outcome;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** mm/oom_kill.c of 3.10.0-1160 and memcontrol.c's mem_cgroup_out_of_memory / mem_cgroup_print_oom_info. */
class OomKillTest {

    /**
     * /pod 24M = 6144 pages: r (uid 0, CAP_SYS_ADMIN: a privileged container) has 2560 pages, u
     * (uid 1000) 2500, s fills the rest and faults.
     */
    private static final String ROOT_BONUS = """
        name: root-bonus
        host: {memory: 512M}
        cgroup: v1
        cgroups:
          /pod: {memory.limit_in_bytes: 24M}
        tasks:
          r: {cgroup: /pod, pid: 100, uid: 0, caps: [CAP_SYS_ADMIN]}
          u: {cgroup: /pod, pid: 101, uid: 1000}
          s: {cgroup: /pod, pid: 102, uid: 1000}
        steps:
          - anon: {task: r, size: 10M}
          - anon: {task: u, size: 10000K}
          - anon: {task: s, size: 8M}
        """;

    @Test
    @DisplayName("oom_badness: uid 0 without CAP_SYS_ADMIN (an unprivileged container's root) gets no bonus")
    void rootWithoutCapSysAdminGetsNoBonus() {
        // has_capability_noaudit(p, CAP_SYS_ADMIN), not the uid: r's 2565 points beat u's 2505.
        Outcome o = run(ROOT_BONUS.replace(", caps: [CAP_SYS_ADMIN]", ""));
        OomKillRecord k = o.oomKills().get(0);
        assertThat(k.victim()).isEqualTo("r");
        assertThat(k.points()).isEqualTo(2565);
    }

    @Test
    @DisplayName("oom_badness: CAP_SYS_ADMIN tasks get 3% off, so a slightly bigger privileged task survives")
    void rootBonus() {
        // r: 2560 rss + 5 page-table pages = 2565, minus 2565*3/100 = 76: 2489.
        // u: 2500 + 5 = 2505, no bonus. s: 6144 - 2560 - 2500 = 1084 pages + 3 = 1087.
        Outcome o = run(ROOT_BONUS);
        OomKillRecord k = o.oomKills().get(0);
        assertThat(k.victim()).isEqualTo("u");
        assertThat(k.points()).isEqualTo(2505);
        assertThat(k.totalPages()).isEqualTo(6144);
        assertThat(result(o, 2)).isEqualTo("ok");
    }

    @Test
    @DisplayName(
            "oom_kill_process: the 3.10 report: memcg stats in KB, the task dump, 'score N or sacrifice child' and RHEL's Killed line")
    void reportFormat() {
        Outcome o = run(ROOT_BONUS);
        assertThat(o.oomKills().get(0).report())
                .containsSubsequence(
                        "s invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0",
                        "s cpuset=pod mems_allowed=0",
                        "Task in /pod killed as a result of limit of /pod",
                        "memory: usage 24576kB, limit 24576kB, failcnt 7",
                        "memory+swap: usage 24576kB, limit 9007199254740988kB, failcnt 0",
                        "kmem: usage 0kB, limit 9007199254740988kB, failcnt 0",
                        "Memory cgroup stats for /pod: cache:0KB rss:24576KB rss_huge:0KB mapped_file:0KB swap:0KB"
                                + " inactive_anon:0KB active_anon:24576KB inactive_file:0KB active_file:0KB unevictable:0KB",
                        "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name",
                        "[  100]     0   100     2560     2560       5        0             0 r",
                        "[  101]  1000   101     2500     2500       5        0             0 u",
                        "[  102]  1000   102     1084     1084       3        0             0 s",
                        // score = 2505 * 1000 / 6144
                        "Memory cgroup out of memory: Kill process 101 (u) score 407 or sacrifice child",
                        "Killed process 101 (u), UID 1000, total-vm:10000kB, anon-rss:10000kB, file-rss:0kB, shmem-rss:0kB");
    }

    @Test
    @DisplayName(
            "mem_cgroup_out_of_memory: points must be strictly greater, so of two equal tasks the first found is killed")
    void tieKeepsTheFirst() {
        Outcome o = run("""
            name: tie
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 20M}
            tasks:
              a: {cgroup: /pod, pid: 100, uid: 1000}
              b: {cgroup: /pod, pid: 101, uid: 1000}
              c: {cgroup: /pod, pid: 102, uid: 1000}
            steps:
              - anon: {task: a, size: 8M}
              - anon: {task: b, size: 8M}
              - anon: {task: c, size: 8M}
            """);
        assertThat(o.oomKills()).extracting(OomKillRecord::victim).containsExactly("a");
        assertThat(o.oomKills().get(0).points()).isEqualTo(2052);
    }

    @Test
    @DisplayName("oom_badness: oom_score_adj adds adj * (totalpages / 1000); -1000 is never chosen")
    void scoreAdj() {
        // totalpages 5120: b gets 257 + 1000 * 5 = 5257 and beats a's 2052; the biggest, z, is exempt.
        Outcome o = run("""
            name: adj
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 20M}
            tasks:
              z: {cgroup: /pod, pid: 99, uid: 1000, oom_score_adj: -1000}
              a: {cgroup: /pod, pid: 100, uid: 1000}
              b: {cgroup: /pod, pid: 101, uid: 1000, oom_score_adj: 1000}
              c: {cgroup: /pod, pid: 102, uid: 1000}
            steps:
              - anon: {task: z, size: 10M}
              - anon: {task: a, size: 8M}
              - anon: {task: b, size: 1M}
              - anon: {task: c, size: 8M}
            """);
        assertThat(o.oomKills().get(0).victim()).isEqualTo("b");
        assertThat(o.oomKills().get(0).points()).isEqualTo(5257);
        assertThat(o.oomKills()).extracting(OomKillRecord::victim).doesNotContain("z");
    }

    @Test
    @DisplayName("mem_cgroup_get_limit: totalpages = min(memory.limit + total swap, memsw.limit)")
    void totalpagesFromMemsw() {
        Outcome o = run("""
            name: get-limit
            host: {memory: 512M, swap: 1G}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 16M, memory.memsw.limit_in_bytes: 20M}
            tasks:
              a: {cgroup: /pod, pid: 100, uid: 1000}
            steps:
              - anon: {task: a, size: 32M}
            """);
        assertThat(o.oomKills()).hasSize(1);
        assertThat(o.oomKills().get(0).totalPages()).isEqualTo(5120);
        assertThat(o.oomKills().get(0).limit()).isEqualTo("memsw");
    }

    @Test
    @DisplayName(
            "out_of_memory: a host out of memory kills with CONSTRAINT_NONE over every task, totalpages = RAM + swap")
    void globalOom() {
        // 256M host: min_free_kbytes = int_sqrt(262144 * 16) = 2048 kB = 512 pages:
        // min 512, low 512 + 128, high 512 + 256 pages (QUARTER_HALF).
        Outcome o = run("""
            name: global
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /pod: {}
            tasks:
              a: {cgroup: /pod, pid: 100, uid: 1000}
              b: {cgroup: /pod, pid: 101, uid: 1000}
            steps:
              - anon: {task: a, size: 200M}
              - anon: {task: b, size: 100M}
            """);
        assertThat(o.oomKills()).hasSize(1);
        OomKillRecord k = o.oomKills().get(0);
        assertThat(k.victim()).isEqualTo("a");
        assertThat(k.constraint()).isEqualTo("CONSTRAINT_NONE");
        assertThat(k.oomMemcg()).isNull();
        assertThat(k.totalPages()).isEqualTo(65536);
        assertThat(result(o, 1)).isEqualTo("ok");
        assertThat(k.report())
                .contains("b invoked oom-killer: gfp_mask=0x200da, order=0, oom_score_adj=0", "Mem-Info:");
        assertThat(k.report())
                .anyMatch(l -> l.startsWith("Node 0 Normal free:")
                        && l.contains(" min:2048kB low:2560kB high:3072kB ")
                        && l.endsWith("all_unreclaimable? yes"));
        assertThat(k.report())
                .anyMatch(l -> l.startsWith("Out of memory: Kill process 100 (a) score ")
                        && l.endsWith(" or sacrifice child"));
    }

    @Test
    @DisplayName(
            "mem_cgroup_out_of_memory: under a use_hierarchy=0 memcg only its own tasks are candidates, not its children's")
    void flatMemcgKillsOnlyItsOwnTasks() {
        // big (64M in /p/c) is not charged to /p and not in /p's for_each_mem_cgroup_tree: when
        // s2 hits /p's 16M, the choice is between s1 (10M) and s2 (the 6M it got before the limit).
        Outcome o = run("""
            name: flat-oom
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /p: {memory.limit_in_bytes: 16M}
              /p/c: {}
            tasks:
              big: {cgroup: /p/c, pid: 100, uid: 1000}
              s1: {cgroup: /p, pid: 101, uid: 1000}
              s2: {cgroup: /p, pid: 102, uid: 1000}
            steps:
              - anon: {task: big, size: 64M}
              - anon: {task: s1, size: 10M}
              - anon: {task: s2, size: 8M}
            """);
        assertThat(o.oomKills()).hasSize(1);
        OomKillRecord k = o.oomKills().get(0);
        assertThat(k.victim()).isEqualTo("s1");
        assertThat(k.oomMemcg()).isEqualTo("/p");
        assertThat(k.report()).noneMatch(l -> l.endsWith(" big") || l.startsWith("Memory cgroup stats for /p/c"));
        assertThat(result(o, 0)).isEqualTo("ok");
    }

    /**
     * /pod 16M = 4096 pages, no swap: bash (10M) forked cp; cp's 8M fault hits the limit after
     * 4096 - 2560 = 1536 pages. bash has 2560 + 5 page-table pages = 2565 points, cp 1536 + 3 = 1539.
     */
    private static final String BASH_CP = """
        name: sacrifice
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
        """;

    @Test
    @DisplayName("oom_kill_process: bash is chosen, but its child cp is killed in its place ('or sacrifice child')")
    void childIsSacrificed() {
        Outcome o = run(BASH_CP);
        assertThat(o.oomKills()).hasSize(1);
        OomKillRecord k = o.oomKills().get(0);
        assertThat(k.victim()).isEqualTo("cp");
        assertThat(k.pid()).isEqualTo(101);
        assertThat(k.points()).isEqualTo(1539);
        assertThat(k.report())
                .containsSubsequence(
                        // dump_header runs before the child loop: it names the chosen bash
                        "Task in /pod killed as a result of limit of /pod",
                        // bash's score: 2565 * 1000 / 4096
                        "Memory cgroup out of memory: Kill process 100 (bash) score 626 or sacrifice child",
                        "Killed process 101 (cp), UID 0, total-vm:6144kB, anon-rss:6144kB, file-rss:0kB, shmem-rss:0kB");
        assertThat(result(o, 0)).isEqualTo("ok");
        assertThat(result(o, 1)).isEqualTo("killed");
    }

    @Test
    @DisplayName(
            "oom_kill_process: a child outside the OOM memcg gets oom_badness 0 (task_in_mem_cgroup), so the parent dies")
    void childOutsideTheMemcgIsNotSacrificed() {
        // bash alone fills /pod; its child cp lives in /other, so the bar of 0 is never passed.
        Outcome o = run("""
            name: sacrifice-outside
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 16M}
              /other: {}
            tasks:
              bash: {cgroup: /pod, pid: 100}
              cp: {cgroup: /other, pid: 101, parent: bash}
            steps:
              - anon: {task: cp, size: 8M}
              - anon: {task: bash, size: 20M}
            """);
        assertThat(o.oomKills()).extracting(OomKillRecord::victim).containsExactly("bash");
        assertThat(result(o, 1)).isEqualTo("killed");
    }

    @Test
    @DisplayName(
            "oom_kill_process: the child loop starts at 0 points, skips exited and -1000 children, and keeps the first of a tie")
    void childLoop() {
        Task bash = new Task(0, "bash", 100, 0, 0, null);
        bash.rssAnon = 5000;
        Task gone = child(1, "gone", bash, 0, 900);
        gone.exited = true;
        Task exempt = child(2, "exempt", bash, -1000, 900);
        Task first = child(3, "first", bash, 0, 10);
        Task second = child(4, "second", bash, 0, 10);
        Task stranger = child(5, "stranger", null, 0, 900);
        List<Task> tasks = List.of(bash, gone, exempt, first, second, stranger);
        OomKiller.Selection s = OomKiller.sacrificeChild(tasks, bash, null, 1000);
        // first: 10 rss, no page tables (no mapping); far below bash's 5000, still sacrificed
        assertThat(s.chosen()).isSameAs(first);
        assertThat(s.points()).isEqualTo(10);
        assertThat(OomKiller.sacrificeChild(List.of(bash, gone, exempt, stranger), bash, null, 1000))
                .isNull();
    }

    private static Task child(int id, String comm, Task parent, int adj, long rss) {
        Task t = new Task(id, comm, 100 + id, 0, adj, null);
        t.parent = parent;
        t.rssAnon = rss;
        return t;
    }
}
