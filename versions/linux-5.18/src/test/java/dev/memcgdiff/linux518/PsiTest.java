package dev.memcgdiff.linux518;

import static dev.memcgdiff.testing.ScenarioHarness.pressure;
import static dev.memcgdiff.testing.ScenarioHarness.pressureTotal;
import static dev.memcgdiff.testing.ScenarioHarness.vmstat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Pressure stall information of 5.18 (kernel/sched/psi.c): on by default, TSK_MEMSTALL_RUNNING
 * (a reclaimer alone on its CPU is FULL), swap-ins a stall only for pages of the workingset, the
 * memory.high penalty slept in a memstall section.
 */
class PsiTest {
    private static final long MS_IN_US = 1000;

    @Test
    @DisplayName("on by default; psi=0: /proc/pressure is not made, memory.pressure's read fails (EOPNOTSUPP)")
    void onByDefault() {
        String yaml = """
            name: on
            host: {memory: 256M, psi: %s}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a}
            steps:
              - anon: {task: t, size: 4M}
            """;
        Outcome on = Model.run(yaml.formatted("default"));
        assertThat(pressureTotal(on, null, "/a", "some")).isZero();
        assertThat(pressure(on, null, "/")).isEqualTo(pressure(on, null, null));
        Outcome off = Model.run(yaml.formatted("false"));
        assertThat(pressure(off, null, null)).isEqualTo("ENOENT");
        assertThat(pressure(off, null, "/a")).isEqualTo("EOPNOTSUPP");
    }

    @Test
    @DisplayName("try_charge_memcg's reclaim is a memory stall, and FULL all along for a reclaimer alone on its CPU")
    void memcgReclaim() {
        Outcome o = Model.run("""
            name: reclaim
            host: {memory: 256M, swap: 256M, psi: true}
            cgroup: v2
            cgroups:
              /a: {memory.max: 16M}
            tasks:
              t: {cgroup: /a}
            steps:
              - anon: {task: t, size: 64M}
            """);
        long some = pressureTotal(o, null, "/a", "some");
        assertThat(some).isPositive();
        assertThat(pressureTotal(o, null, "/a", "full")).isEqualTo(some);
    }

    @Test
    @DisplayName("a page swapped in that was never active is no workingset refault: waiting for its read is no stall")
    void swapinOfColdPagesIsNoStall() {
        Outcome o = Model.run("""
            name: swapin
            host: {memory: 256M, swap: 256M, swap_disk: {latency: 1ms}, psi: true}
            cgroup: v2
            cgroups:
              /a: {memory.max: 8M}
            tasks:
              t: {cgroup: /a}
            steps:
              - anon: {task: t, size: 16M}
              - snapshot: swapped
              - touch: {task: t, what: anon, size: 4M}
            """);
        assertThat(vmstat(o, null, "pswpin") - vmstat(o, "swapped", "pswpin")).isEqualTo(1024);
        // 1024 waits of at least 1 ms each: were they stalls, a second or more; only the charges'
        // reclaim (CPU time, microseconds a page) is
        long some = pressureTotal(o, null, "/a", "some") - pressureTotal(o, "swapped", "/a", "some");
        assertThat(some).isLessThan(100 * MS_IN_US);
        assertThat(o.steps().get(2).elapsedNs()).isGreaterThan(1024 * 1_000_000L);
    }

    @Test
    @DisplayName("mem_cgroup_handle_over_high sleeps its penalty inside psi_memstall_enter/leave: a FULL stall")
    void highPenaltyIsAStall() {
        Outcome o = Model.run("""
            name: throttle
            host: {memory: 512M, psi: true}
            cgroup: v2
            cgroups:
              /a: {memory.high: 8M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 16M}
            """);
        long slept = o.events(TracePoints.OVER_HIGH_SLEEP).stream()
                        .mapToLong(e -> e.number("jiffies"))
                        .sum()
                * MS_IN_US; // a jiffy is 1 ms at HZ=1000
        assertThat(slept).isGreaterThanOrEqualTo(2_000_000L);
        assertThat(pressureTotal(o, null, "/a", "some")).isGreaterThanOrEqualTo(slept);
        assertThat(pressureTotal(o, null, "/a", "full")).isGreaterThanOrEqualTo(slept);
    }
}
