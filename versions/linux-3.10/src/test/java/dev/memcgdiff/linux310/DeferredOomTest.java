package dev.memcgdiff.linux310;

import static dev.memcgdiff.linux310.Model.run;
import static dev.memcgdiff.mm.TracePoints.MEMCG_OOM_RETRY;
import static dev.memcgdiff.mm.TracePoints.MEMCG_OOM_SLEEPS_DISABLED;
import static dev.memcgdiff.mm.TracePoints.MEMCG_OOM_SLEEPS_LOCKED;
import static dev.memcgdiff.mm.TracePoints.MEMCG_OOM_WOKEN;
import static dev.memcgdiff.testing.ScenarioHarness.events;
import static dev.memcgdiff.testing.ScenarioHarness.key;
import static dev.memcgdiff.testing.ScenarioHarness.result;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The memcg OOM of 3.10.0-1160 is deferred: mem_cgroup_oom only records it, and only inside a
 * user page fault; pagefault_out_of_memory -> mem_cgroup_oom_synchronize kills or sleeps.
 */
class DeferredOomTest {

    private static final String HEADER = """
        host: {memory: 512M, swap: 0}
        cgroup: v1
        cgroups:
          /pod: {memory.limit_in_bytes: 32M}
        tasks:
          a: {cgroup: /pod, pid: 100, uid: 1000}
          b: {cgroup: /pod, pid: 101, uid: 1000}
        """;

    @Test
    @DisplayName(
            "mem_cgroup_oom: a tmpfs write at the limit gets ENOMEM and kills nobody (the OOM is deferred to fault end)")
    void tmpfsWriteGetsEnomem() {
        Outcome o = run("name: tmpfs-enomem\n" + HEADER + """
            steps:
              - anon: {task: a, size: 16M}
              - shmem: {task: b, file: /dev/shm/x, size: 32M}
              - anon: {task: a, size: 1M}
            """);
        assertThat(result(o, 1)).isEqualTo("enomem");
        assertThat(o.steps().get(1).pages()).isEqualTo(4096);
        assertThat(events(o, 1, TracePoints.OOM_NOT_IN_USER_FAULT))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.memcg()).isEqualTo("/pod");
                    assertThat(e.times()).isEqualTo(1);
                });
        assertThat(events(o, 1, TracePoints.ENOMEM_OOM_RETRIES_DONE))
                .as("the tmpfs charge gets -ENOMEM")
                .extracting(TraceEvent::memcg)
                .containsExactly("/pod");
        assertThat(events(o, 1, TracePoints.OOM_RECORDED))
                .as("nothing recorded outside a fault")
                .isEmpty();
        assertThat(result(o, 2))
                .as("the next anon fault is a user fault: it OOMs")
                .isEqualTo("killed");
        assertThat(o.oomKills())
                .as("the only kill comes from the fault, none from the tmpfs write")
                .extracting(OomKillRecord::step)
                .containsExactly(2);
    }

    @Test
    @DisplayName("mem_cgroup_oom: a buffered read at the limit gets ENOMEM and kills nobody")
    void readGetsEnomem() {
        Outcome o = run("name: read-enomem\n" + HEADER + """
            steps:
              - anon: {task: a, size: 32M}
              - read: {task: b, file: /data/f, size: 1M}
            """);
        assertThat(result(o, 1)).isEqualTo("enomem");
        assertThat(o.steps().get(1).pages()).isZero();
        assertThat(o.oomKills()).isEmpty();
    }

    @Test
    @DisplayName("pagefault_out_of_memory: an anon fault at the limit kills the task with the highest badness")
    void anonFaultKillsTheBiggest() {
        Outcome o = run("name: anon-kill\n" + HEADER + """
            steps:
              - anon: {task: a, size: 24M}
              - anon: {task: b, size: 16M}
            """);
        assertThat(o.oomKills()).hasSize(1);
        OomKillRecord k = o.oomKills().get(0);
        assertThat(k.victim()).isEqualTo("a");
        assertThat(k.constraint()).isEqualTo("CONSTRAINT_MEMCG");
        assertThat(k.oomMemcg()).isEqualTo("/pod");
        assertThat(result(o, 1))
                .as("b's fault is retried after a's death and goes on")
                .isEqualTo("ok");
        assertThat(o.steps().get(1).pages()).isEqualTo(4096);
        assertThat(k.report())
                .as("the kill happens at the end of the fault, not in the charge")
                .containsSubsequence(
                        " mem_cgroup_oom_synchronize",
                        " pagefault_out_of_memory",
                        " mm_fault_error",
                        " __do_page_fault")
                .doesNotContain(" __mem_cgroup_try_charge", " mem_cgroup_charge_common");
    }

    @Test
    @DisplayName(
            "__mem_cgroup_try_charge: once this fault recorded an OOM, its next charges fail at once (task_in_memcg_oom)")
    void recordedOomFailsLaterChargesOfTheFault() {
        // A file fault reads around the faulting page (do_sync_mmap_readahead inside filemap_fault,
        // so memcg_oom.may_oom is set); the first readahead charge that fails records the OOM, so
        // the rest of the window fails at once.
        Outcome o = run("name: task-in-memcg-oom\n" + HEADER + """
            steps:
              - anon: {task: a, size: 32M}
              - mmap: {task: b, file: /data/lib.so, size: 1M}
            """);
        assertThat(events(o, 1, TracePoints.TASK_IN_MEMCG_OOM))
                .extracting(TraceEvent::memcg)
                .containsExactly("/pod");
        assertThat(events(o, 1, TracePoints.OOM_RECORDED))
                .as("b's first failed readahead charge records the OOM, once")
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.memcg()).isEqualTo("/pod");
                    assertThat(e.times()).isEqualTo(1);
                });
        assertThat(o.oomKills()).hasSize(1);
        assertThat(o.oomKills().get(0).victim()).isEqualTo("a");
    }

    @Test
    @DisplayName(
            "mem_cgroup_oom_synchronize: with oom_kill_disable the task sleeps under_oom until oom_kill_disable=0 wakes it; its retried fault kills")
    void oomKillDisableSleeps() {
        // mem_cgroup_oom_control_write (3.10.0-1160) calls memcg_oom_recover when it clears the
        // flag: a wakes, pagefault_out_of_memory returns, the fault is retried; the charge fails
        // again, mem_cgroup_oom records it, and mem_cgroup_oom_synchronize now takes the lock with
        // kills allowed: mem_cgroup_out_of_memory kills the only task, a itself.
        Outcome o = run("""
            name: oom-kill-disable
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 32M, memory.oom_control: 1}
            tasks:
              a: {cgroup: /pod, pid: 100, uid: 1000}
            steps:
              - anon: {task: a, size: 33M}
              - snapshot: asleep
              - set: {cgroup: /pod, memory.oom_control: 0}
              - snapshot: woken
            """);
        assertThat(result(o, 0)).isEqualTo("killed");
        assertThat(o.oomKills())
                .as("the kill is the retried fault's: step 0's")
                .singleElement()
                .satisfies(k -> {
                    assertThat(k.victim()).isEqualTo("a");
                    assertThat(k.step()).isZero();
                });
        assertThat(key(o, "asleep", "/pod", "memory.oom_control", "under_oom")).isEqualTo(1);
        assertThat(key(o, "asleep", "/pod", "memory.oom_control", "oom_kill_disable"))
                .isEqualTo(1);
        assertThat(key(o, "woken", "/pod", "memory.oom_control", "under_oom")).isZero();
        assertThat(events(o, 2, MEMCG_OOM_WOKEN))
                .as("the write of 0 in step 2 wakes a")
                .extracting(TraceEvent::memcg)
                .containsExactly("/pod");
        assertThat(o.steps().get(0).endNs())
                .as("step 0 ends after the write that woke it")
                .isGreaterThanOrEqualTo(o.steps().get(2).endNs());
    }

    @Test
    @DisplayName(
            "mem_cgroup_oom_trylock: while a sleeper holds its subtree's oom_lock, an OOM below it sleeps even without oom_kill_disable")
    void heldOomLockMakesOthersSleep() {
        // b fills /p/d's own 8M; a then hits /p's limit; /p has oom_kill_disable, so a sleeps
        // holding the lock of /p, /p/c and /p/d. b's next page fails on /p/d's counter (the child
        // is charged first); /p/d allows kills, but its lock is taken: b sleeps as well.
        Outcome o = run("""
            name: oom-lock
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /p: {memory.use_hierarchy: 1, memory.limit_in_bytes: 32M, memory.oom_control: 1}
              /p/c: {}
              /p/d: {memory.oom_control: 0, memory.limit_in_bytes: 8M}
            tasks:
              a: {cgroup: /p/c, pid: 100, uid: 1000}
              b: {cgroup: /p/d, pid: 101, uid: 1000}
            steps:
              - anon: {task: b, size: 8M}
              - anon: {task: a, size: 25M}
              - anon: {task: b, size: 1M}
            """);
        assertThat(result(o, 1)).isEqualTo("hung");
        assertThat(result(o, 2)).isEqualTo("hung");
        assertThat(o.oomKills()).isEmpty();
        assertThat(events(o, 1, MEMCG_OOM_SLEEPS_DISABLED))
                .as("a sleeps holding the lock of /p's subtree")
                .extracting(TraceEvent::memcg)
                .containsExactly("/p");
        assertThat(events(o, 2, MEMCG_OOM_SLEEPS_LOCKED))
                .as("b's OOM in /p/d finds the lock taken")
                .extracting(TraceEvent::memcg)
                .containsExactly("/p/d");
        assertThat(o.times(MEMCG_OOM_SLEEPS_DISABLED))
                .as("only a's sleep is oom_kill_disable's")
                .isEqualTo(1);
    }

    @Test
    @DisplayName(
            "memcg_oom_recover: an uncharge below the sleeping OOM memcg wakes its sleeper, which retries and finishes; an uncharge in an unrelated memcg does not")
    void unchargeWakesTheSleeper() {
        // a hits /p's limit with oom_kill_disable and sleeps: /p, /p/a and /p/b are marked
        // under_oom (for_each_mem_cgroup_tree of /p). q's pages in /q come and go: /q is not
        // under OOM, so its uncharges wake nobody. b's munmap uncharges pages of /p/b, which is
        // under OOM and below /p: memcg_oom_wake_function wakes a, and under_oom drops to 0.
        // a's retried fault then finds the 4M b freed: its 17M step (a little over 16M done)
        // finishes.
        Outcome o = run("""
            name: uncharge-wakes
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /p: {memory.use_hierarchy: 1, memory.limit_in_bytes: 32M, memory.oom_control: 1}
              /p/a: {}
              /p/b: {}
              /q: {memory.limit_in_bytes: 32M, memory.oom_control: 1}
            tasks:
              a: {cgroup: /p/a, pid: 100, uid: 1000}
              b: {cgroup: /p/b, pid: 101, uid: 1000}
              q: {cgroup: /q, pid: 102, uid: 1000}
            steps:
              - anon: {task: b, size: 16M}
              - anon: {task: a, size: 17M}
              - snapshot: asleep
              - anon: {task: q, size: 8M}
              - free: {task: q, size: 8M}
              - snapshot: unrelated
              - free: {task: b, size: 4M}
              - snapshot: woken
            """);
        assertThat(result(o, 1)).isEqualTo("ok");
        assertThat(o.steps().get(1).pages()).isEqualTo(17 * 256);
        for (String cg : new String[] {"/p", "/p/a", "/p/b"}) {
            assertThat(key(o, "asleep", cg, "memory.oom_control", "under_oom"))
                    .as(cg)
                    .isEqualTo(1);
            assertThat(key(o, "unrelated", cg, "memory.oom_control", "under_oom"))
                    .as(cg)
                    .isEqualTo(1);
            assertThat(key(o, "woken", cg, "memory.oom_control", "under_oom"))
                    .as(cg)
                    .isZero();
        }
        assertThat(key(o, "asleep", "/q", "memory.oom_control", "under_oom")).isZero();
        assertThat(o.events(MEMCG_OOM_WOKEN))
                .as("only b's munmap under /p wakes a, not q's uncharges in /q")
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.step()).isEqualTo(6);
                    assertThat(e.memcg()).isEqualTo("/p");
                });
        assertThat(o.oomKills()).isEmpty();
    }

    @Test
    @DisplayName(
            "mem_cgroup_uncharge_swapcache: host reclaim swapping out a sleeping memcg's pages wakes its sleeper; memsw still full, it sleeps again")
    void swapoutWakesTheSleeper() {
        // memory.limit == memsw.limit: /pod's own reclaim never swaps (memsw_is_minimum), so a
        // sleeps under_oom (oom_kill_disable). h then fills the host; kswapd swaps out /pod's
        // anon, and each swapped page's memory uncharge calls memcg_oom_recover(/pod). The swap
        // entries keep their memsw charge, so a's retried fault fails on memsw again and a goes
        // back to sleep: hung at the end, under_oom 1.
        Outcome o = run("""
            name: swapout-wakes
            host: {memory: 256M, swap: 256M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 32M, memory.memsw.limit_in_bytes: 32M, memory.oom_control: 1}
              /other: {}
            tasks:
              a: {cgroup: /pod, pid: 100, uid: 1000}
              h: {cgroup: /other, pid: 101, uid: 1000}
            steps:
              - anon: {task: a, size: 33M}
              - snapshot: asleep
              - anon: {task: h, size: 240M}
            """);
        assertThat(result(o, 0)).isEqualTo("hung");
        assertThat(key(o, "asleep", "/pod", "memory.oom_control", "under_oom")).isEqualTo(1);
        assertThat(stat(o, "asleep", "/pod", "swap")).isZero();
        assertThat(stat(o, null, "/pod", "swap"))
                .as("host reclaim swapped /pod's anon")
                .isPositive();
        assertThat(key(o, null, "/pod", "memory.oom_control", "under_oom")).isEqualTo(1);
        assertThat(events(o, 2, MEMCG_OOM_WOKEN)).extracting(TraceEvent::memcg).containsExactly("/pod");
        assertThat(o.times(MEMCG_OOM_RETRY)).isEqualTo(1);
        assertThat(o.times(MEMCG_OOM_SLEEPS_DISABLED))
                .as("asleep in step 0, and again after the retry")
                .isEqualTo(2);
    }

    @Test
    @DisplayName(
            "mem_cgroup_resize_limit: a raised limit calls memcg_oom_recover; the sleeper retries, finishes its step, then its queued one")
    void aLimitRaiseWakesTheSleeper() {
        Outcome o = run("""
            name: raise
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 32M, memory.oom_control: 1}
            tasks:
              a: {cgroup: /pod, pid: 100}
            steps:
              - anon: {task: a, size: 48M}
              - anon: {task: a, size: 4M}
              - sleep: {for: 5s}
              - snapshot: asleep
              - set: {cgroup: /pod, memory.limit_in_bytes: 64M}
              - snapshot: woken
            """);
        assertThat(stat(o, "asleep", "/pod", "rss")).isEqualTo(32 * 1024 * 1024L);
        assertThat(key(o, "asleep", "/pod", "memory.oom_control", "under_oom")).isEqualTo(1);
        assertThat(result(o, 0)).isEqualTo("ok");
        assertThat(result(o, 1)).isEqualTo("ok");
        assertThat(o.steps().get(0).elapsedNs()).isGreaterThan(5_000_000_000L);
        assertThat(o.steps().get(1).startNs()).isEqualTo(o.steps().get(0).endNs());
        assertThat(stat(o, "woken", "/pod", "rss")).isEqualTo(52 * 1024 * 1024L);
        assertThat(key(o, "woken", "/pod", "memory.oom_control", "under_oom")).isZero();
        assertThat(events(o, 4, MEMCG_OOM_WOKEN)).extracting(TraceEvent::memcg).containsExactly("/pod");
    }

    @Test
    @DisplayName("mem_cgroup_uncharge_end: another task's exit (exit_mmap's uncharge batch) wakes the sleeper")
    void anotherTasksExitWakesTheSleeper() {
        Outcome o = run("name: exit\n"
                + HEADER.replace("memory.limit_in_bytes: 32M", "memory.limit_in_bytes: 32M, memory.oom_control: 1")
                + """
            steps:
              - anon: {task: b, size: 16M}
              - anon: {task: a, size: 24M}
              - snapshot: asleep
              - exit: {task: b}
              - snapshot: woken
            """);
        assertThat(key(o, "asleep", "/pod", "memory.oom_control", "under_oom")).isEqualTo(1);
        assertThat(result(o, 1)).isEqualTo("ok");
        assertThat(stat(o, "woken", "/pod", "rss")).isEqualTo(24 * 1024 * 1024L);
        assertThat(events(o, 3, MEMCG_OOM_WOKEN)).extracting(TraceEvent::memcg).containsExactly("/pod");
        assertThat(o.oomKills()).isEmpty();
    }

    @Test
    @DisplayName(
            "mem_cgroup_oom_trylock: a child's sleeper holds its lock, so the parent's OOM sleeps too and nobody is killed (4.18 and 5.18 kill from try_charge)")
    void aParentsOomWaitsForTheChildsSleeper() {
        // a sleeps in /p/c (oom_kill_disable), holding the oom_lock of /p/c. b's fault then
        // records an OOM of /p, which allows kills; mem_cgroup_oom_synchronize cannot lock /p's
        // subtree (/p/c is locked), so b sleeps as well.
        Outcome o = run("""
            name: parent-waits
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /p: {memory.use_hierarchy: 1, memory.limit_in_bytes: 20M}
              /p/c: {memory.limit_in_bytes: 12M, memory.oom_control: 1}
              /p/d: {}
            tasks:
              a: {cgroup: /p/c, pid: 100}
              b: {cgroup: /p/d, pid: 101}
            steps:
              - anon: {task: a, size: 16M}
              - anon: {task: a, size: 1M}
              - anon: {task: b, size: 12M}
            """);
        assertThat(o.oomKills()).isEmpty();
        assertThat(result(o, 0)).isEqualTo("hung");
        assertThat(result(o, 1)).isEqualTo("not-run");
        assertThat(result(o, 2)).isEqualTo("hung");
        assertThat(events(o, 2, MEMCG_OOM_SLEEPS_LOCKED))
                .extracting(TraceEvent::memcg)
                .containsExactly("/p");
    }

    @Test
    @DisplayName(
            "a global OOM kills the sleeper: the SIGKILL wakes it (TASK_KILLABLE), its step is killed and its queued step skipped")
    void aGlobalOomKillsTheSleeper() {
        // the host has no swap; h's faults use up the RAM a's 64M leave (less than 48M) while a
        // sleeps in /pod: the page allocator's out_of_memory picks a, the largest, asleep in the
        // memcg OOM
        Outcome o = run("""
            name: global-kills-sleeper
            host: {memory: 112M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 64M, memory.oom_control: 1}
            tasks:
              a: {cgroup: /pod, pid: 100}
              h: {cgroup: /, pid: 101}
            steps:
              - anon: {task: a, size: 80M}
              - anon: {task: a, size: 1M}
              - anon: {task: h, size: 64M}
            """);
        assertThat(o.oomKills()).first().satisfies(k -> {
            assertThat(k.victim()).isEqualTo("a");
            assertThat(k.constraint()).isEqualTo("CONSTRAINT_NONE");
            assertThat(k.step()).isEqualTo(2);
        });
        assertThat(result(o, 0)).isEqualTo("killed");
        assertThat(result(o, 1)).isEqualTo("skipped");
        assertThat(events(o, 2, MEMCG_OOM_WOKEN))
                .singleElement()
                .satisfies(e -> assertThat(e.text()).startsWith("SIGKILL wakes a"));
        assertThat(key(o, null, "/pod", "memory.oom_control", "under_oom")).isZero();
    }
}
