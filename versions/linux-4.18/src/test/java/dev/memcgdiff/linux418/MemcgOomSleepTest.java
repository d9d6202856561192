package dev.memcgdiff.linux418;

import static dev.memcgdiff.mm.TracePoints.MEMCG_OOM_RETRY;
import static dev.memcgdiff.mm.TracePoints.MEMCG_OOM_SLEEPS_DISABLED;
import static dev.memcgdiff.mm.TracePoints.MEMCG_OOM_WOKEN;
import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.events;
import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static dev.memcgdiff.testing.ScenarioHarness.result;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The memcg OOM sleep of 4.18.0-147 (v1 oom_kill_disable): mem_cgroup_oom records OOM_ASYNC,
 * pagefault_out_of_memory's mem_cgroup_oom_synchronize sleeps until memcg_oom_recover or a SIGKILL
 * wakes the task, and the fault is then retried.
 */
class MemcgOomSleepTest {
    private static final long S = 1_000_000_000L;

    private static final String POD = """
        host: {memory: 512M}
        cgroup: v1
        cgroups:
          /pod: {memory.limit_in_bytes: 32M, memory.oom_control: 1}
        tasks:
          a: {cgroup: /pod, pid: 100}
          o: {cgroup: /pod, pid: 101}
        """;

    @Test
    @DisplayName(
            "mem_cgroup_resize_max: a raised limit calls memcg_oom_recover; the sleeper retries its fault, finishes, then runs its queued step")
    void aLimitRaiseWakesTheSleeper() {
        Outcome o = Model.run("name: raise\n" + POD + """
            steps:
              - anon: {task: a, size: 48M}
              - anon: {task: a, size: 4M}
              - sleep: {for: 5s}
              - snapshot: asleep
              - set: {cgroup: /pod, memory.limit_in_bytes: 64M}
              - snapshot: woken
            """);
        assertThat(keyed(o, "asleep", "/pod", "memory.oom_control"))
                .containsEntry("oom_kill_disable", 1L)
                .containsEntry("under_oom", 1L)
                .containsEntry("oom_kill", 0L);
        assertThat(stat(o, "asleep", "/pod", "rss")).as("asleep at the limit").isEqualTo(32 * M);
        assertThat(result(o, 0)).isEqualTo("ok");
        assertThat(result(o, 1)).isEqualTo("ok");
        assertThat(o.steps().get(0).elapsedNs())
                .as("asleep through the 5 s sleep")
                .isGreaterThan(5 * S);
        assertThat(o.steps().get(1).elapsedNs())
                .as("the queued step ran after the wake-up")
                .isLessThan(S);
        assertThat(stat(o, "woken", "/pod", "rss")).isEqualTo(52 * M);
        assertThat(keyed(o, "woken", "/pod", "memory.oom_control")).containsEntry("under_oom", 0L);
        assertThat(events(o, 4, MEMCG_OOM_WOKEN)).extracting(TraceEvent::memcg).containsExactly("/pod");
        assertThat(o.oomKills()).isEmpty();
    }

    @Test
    @DisplayName("uncharge_batch: another task's exit uncharges its pages and memcg_oom_recover wakes the sleeper")
    void anotherTasksExitWakesTheSleeper() {
        Outcome o = Model.run("name: exit\n" + POD + """
            steps:
              - anon: {task: o, size: 16M}
              - anon: {task: a, size: 24M}
              - snapshot: asleep
              - exit: {task: o}
              - snapshot: woken
            """);
        assertThat(stat(o, "asleep", "/pod", "rss")).isEqualTo(32 * M);
        assertThat(keyed(o, "asleep", "/pod", "memory.oom_control")).containsEntry("under_oom", 1L);
        assertThat(result(o, 1)).isEqualTo("ok");
        assertThat(stat(o, "woken", "/pod", "rss")).isEqualTo(24 * M);
        assertThat(keyed(o, "woken", "/pod", "memory.oom_control")).containsEntry("under_oom", 0L);
        assertThat(events(o, 3, MEMCG_OOM_WOKEN)).extracting(TraceEvent::memcg).containsExactly("/pod");
        assertThat(events(o, 1, MEMCG_OOM_RETRY)).hasSize(1);
    }

    @Test
    @DisplayName(
            "mem_cgroup_oom_control_write: oom_kill_disable=0 wakes the sleeper; its retried charge runs the OOM killer in try_charge")
    void oomKillDisableClearedTheRetryKills() {
        Outcome o = Model.run("name: clear\n" + POD + """
            steps:
              - anon: {task: o, size: 4M}
              - anon: {task: a, size: 48M}
              - anon: {task: a, size: 4M}
              - set: {cgroup: /pod, memory.oom_control: 0}
            """);
        // the retried fault's try_charge: mem_cgroup_oom is no longer OOM_ASYNC; the OOM killer
        // picks the task with the highest badness, a (28M against o's 4M), which is current
        assertThat(o.oomKills()).singleElement().satisfies(k -> {
            assertThat(k.victim()).isEqualTo("a");
            assertThat(k.step()).as("the kill belongs to the held step").isEqualTo(1);
            assertThat(k.report()).contains(" try_charge");
        });
        assertThat(result(o, 1)).isEqualTo("killed");
        assertThat(result(o, 2))
                .as("queued behind the sleep; a is dead when it resumes")
                .isEqualTo("skipped");
        assertThat(result(o, 3)).isEqualTo("ok");
    }

    @Test
    @DisplayName(
            "mem_cgroup_swapout: host reclaim swapping out the sleeper's memcg does not call memcg_oom_recover: it sleeps on")
    void aSwapOutDoesNotWakeTheSleeper() {
        // memory.limit == memsw.limit: try_charge fails on memsw first and reclaims without swap,
        // so a sleeps (OOM_ASYNC). h then fills the host; reclaim swaps /pod's anon out, which
        // uncharges its memory in mem_cgroup_swapout, without memcg_oom_recover (3.10's
        // mem_cgroup_uncharge_swapcache would wake it).
        Outcome o = Model.run("""
            name: swapout
            host: {memory: 256M, swap: 256M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 32M, memory.memsw.limit_in_bytes: 32M, memory.oom_control: 1}
              /other: {}
            tasks:
              a: {cgroup: /pod, pid: 100}
              h: {cgroup: /other, pid: 101}
            steps:
              - anon: {task: a, size: 33M}
              - anon: {task: h, size: 240M}
            """);
        assertThat(stat(o, null, "/pod", "swap"))
                .as("host reclaim swapped /pod's anon")
                .isPositive();
        assertThat(o.events(MEMCG_OOM_WOKEN)).isEmpty();
        assertThat(result(o, 0)).isEqualTo("hung");
        assertThat(keyed(o, null, "/pod", "memory.oom_control")).containsEntry("under_oom", 1L);
        assertThat(events(o, 0, MEMCG_OOM_SLEEPS_DISABLED)).hasSize(1);
    }

    @Test
    @DisplayName(
            "a parent's OOM kills the sleeper: the SIGKILL wakes it (TASK_KILLABLE), its step is killed and its queued steps skipped")
    void aParentsOomKillsTheSleeper() {
        // a sleeps in /p/c (oom_kill_disable), holding /p/c's oom_lock. b's charge then fails on
        // /p, which allows kills: 4.18's mem_cgroup_oom runs mem_cgroup_out_of_memory from
        // try_charge whatever the lock (the lock only gates the notification), and a, the
        // larger, is the victim.
        Outcome o = Model.run("""
            name: parent-kills
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
              - snapshot: after
            """);
        assertThat(o.oomKills()).singleElement().satisfies(k -> {
            assertThat(k.victim()).isEqualTo("a");
            assertThat(k.oomMemcg()).isEqualTo("/p");
            assertThat(k.step()).isEqualTo(2);
        });
        assertThat(result(o, 0)).isEqualTo("killed");
        assertThat(result(o, 1)).isEqualTo("skipped");
        assertThat(result(o, 2)).isEqualTo("ok");
        assertThat(events(o, 2, MEMCG_OOM_WOKEN))
                .singleElement()
                .satisfies(e -> assertThat(e.text()).startsWith("SIGKILL wakes a"));
        assertThat(keyed(o, "after", "/p/c", "memory.oom_control")).containsEntry("under_oom", 0L);
    }
}
