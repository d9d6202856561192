package dev.memcgdiff.linux310;

import static dev.memcgdiff.linux310.Model.run;
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
            "mem_cgroup_oom_synchronize: with oom_kill_disable the task sleeps under_oom (hung) until oom_kill_disable=0 wakes it")
    void oomKillDisableSleeps() {
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
        assertThat(result(o, 0)).isEqualTo("hung");
        assertThat(o.oomKills()).isEmpty();
        assertThat(key(o, "asleep", "/pod", "memory.oom_control", "under_oom")).isEqualTo(1);
        assertThat(key(o, "asleep", "/pod", "memory.oom_control", "oom_kill_disable"))
                .isEqualTo(1);
        assertThat(key(o, "woken", "/pod", "memory.oom_control", "under_oom")).isZero();
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
        assertThat(events(o, 1, TracePoints.SLEEPS_OOM_KILL_DISABLE))
                .as("a sleeps holding the lock of /p's subtree")
                .extracting(TraceEvent::memcg)
                .containsExactly("/p");
        assertThat(events(o, 2, TracePoints.SLEEPS_OOM_LOCK_HELD))
                .as("b's OOM in /p/d finds the lock taken")
                .extracting(TraceEvent::memcg)
                .containsExactly("/p/d");
        assertThat(o.times(TracePoints.SLEEPS_OOM_KILL_DISABLE))
                .as("only a's sleep is oom_kill_disable's")
                .isEqualTo(1);
    }

    @Test
    @DisplayName(
            "memcg_oom_recover: an uncharge below the sleeping OOM memcg wakes its sleeper; an uncharge in an unrelated memcg does not")
    void unchargeWakesTheSleeper() {
        // a hits /p's limit with oom_kill_disable and sleeps: /p, /p/a and /p/b are marked
        // under_oom (for_each_mem_cgroup_tree of /p). q's pages in /q come and go: /q is not
        // under OOM, so its uncharges wake nobody. b's munmap uncharges pages of /p/b, which is
        // under OOM and below /p: memcg_oom_wake_function wakes a, and under_oom drops to 0.
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
        assertThat(result(o, 1)).isEqualTo("hung");
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
        assertThat(o.events(TracePoints.WOKEN))
                .as("only b's munmap under /p wakes a, not q's uncharges in /q")
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.step()).isEqualTo(6);
                    assertThat(e.memcg()).isEqualTo("/p");
                });
        assertThat(o.oomKills()).isEmpty();
    }

    @Test
    @DisplayName("mem_cgroup_uncharge_swapcache: host reclaim swapping out a sleeping memcg's pages wakes its sleeper")
    void swapoutWakesTheSleeper() {
        // memory.limit == memsw.limit: /pod's own reclaim never swaps (memsw_is_minimum), so a
        // sleeps under_oom (oom_kill_disable). h then fills the host; kswapd swaps out /pod's
        // anon, and each swapped page's memory uncharge calls memcg_oom_recover(/pod).
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
        assertThat(key(o, null, "/pod", "memory.oom_control", "under_oom")).isZero();
        assertThat(events(o, 2, TracePoints.WOKEN))
                .extracting(TraceEvent::memcg)
                .containsExactly("/pod");
    }
}
