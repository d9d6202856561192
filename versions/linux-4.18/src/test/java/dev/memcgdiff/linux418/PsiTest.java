package dev.memcgdiff.linux418;

import static dev.memcgdiff.testing.ScenarioHarness.pressure;
import static dev.memcgdiff.testing.ScenarioHarness.pressureTotal;
import static dev.memcgdiff.testing.ScenarioHarness.snapshot;
import static dev.memcgdiff.testing.ScenarioHarness.vmstat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.TracePoints;
import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Pressure stall information of 4.18.0-147 (kernel/sched/psi.c, the 4.20 backport): off unless
 * psi=1, memory stalls around reclaim and every swap-in, a reclaimer's FULL from the tick only.
 */
class PsiTest {
    private static final long MS_IN_US = 1000;

    @Test
    @DisplayName("CONFIG_PSI_DEFAULT_DISABLED: without psi=1 both files are there and their reads fail (EOPNOTSUPP)")
    void offByDefault() {
        Outcome o = Model.run("""
            name: off
            host: {memory: 256M, psi: default}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a}
            steps:
              - anon: {task: t, size: 4M}
            """);
        assertThat(pressure(o, null, "/a")).isEqualTo("EOPNOTSUPP");
        assertThat(pressure(o, null, "/")).isEqualTo("EOPNOTSUPP");
        assertThat(pressure(o, null, null)).isEqualTo("EOPNOTSUPP");
    }

    @Test
    @DisplayName("try_to_free_mem_cgroup_pages is a memory stall; on the CPU it is FULL only at the ticks")
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
        long full = pressureTotal(o, null, "/a", "full");
        assertThat(some).isPositive();
        // reclaims of 32 pages take microseconds, most with no tick in them
        assertThat(full).isLessThan(some);
        // the root cgroup's file is the system's (cgroup_memory_pressure_show)
        assertThat(pressure(o, null, "/")).isEqualTo(pressure(o, null, null));
        // one task: the system's CPU-weighted time is the task's own
        assertThat(pressureTotal(o, null, null, "some")).isEqualTo(some);
    }

    @Test
    @DisplayName("__read_swap_cache_async marks every swapped-in page PG_workingset: each swap-in wait is a FULL stall")
    void everySwapinStalls() {
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
        // the first 4M are the oldest of 16M in an 8M limit: all in swap (a precondition)
        assertThat(vmstat(o, null, "pswpin") - vmstat(o, "swapped", "pswpin")).isEqualTo(1024);
        // each of the 1024 faults waits at least the swap disk's 1 ms for its read, off its CPU
        long some = pressureTotal(o, null, "/a", "some") - pressureTotal(o, "swapped", "/a", "some");
        long full = pressureTotal(o, null, "/a", "full") - pressureTotal(o, "swapped", "/a", "full");
        assertThat(some).isGreaterThanOrEqualTo(1024 * MS_IN_US);
        assertThat(full).isGreaterThanOrEqualTo(1024 * MS_IN_US);
    }

    @Test
    @DisplayName("balance_dirty_pages sleeps in io_schedule_timeout: no memory stall")
    void dirtyThrottlingIsNoMemoryStall() {
        Outcome o = Model.run("""
            name: bdp
            host: {memory: 1G, dirty_bytes: 8M, psi: true}
            cgroup: v2
            cgroups:
              /w: {}
            tasks:
              dd: {cgroup: /w}
            steps:
              - write: {task: dd, file: /data/out, size: 64M}
            """);
        assertThat(o.events(TracePoints.BALANCE_DIRTY_PAGES)).isNotEmpty();
        // 56M past the dirty limit at the disk's 200M/s: the writer sleeps most of a quarter second
        assertThat(o.steps().get(0).elapsedNs()).isGreaterThan(250_000_000L);
        assertThat(pressureTotal(o, null, "/w", "some")).isZero();
        assertThat(pressureTotal(o, null, null, "some")).isZero();
    }

    @Test
    @DisplayName("cgroup v1: the system's /proc/pressure/memory only (memory.pressure is a cgroup2 file)")
    void v1SystemOnly() {
        Outcome o = Model.run("""
            name: v1
            host: {memory: 256M, swap: 256M, psi: true}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 16M}
            tasks:
              t: {cgroup: /a}
            steps:
              - anon: {task: t, size: 64M}
            """);
        assertThat(snapshot(o, null).cgroups().get("/a").files()).doesNotContainKey("memory.pressure");
        assertThat(pressureTotal(o, null, null, "some")).isPositive();
    }

    @Test
    @DisplayName("a scenario that does not write host.psi records no pressure file")
    void notRecorded() {
        Outcome o = Model.run("""
            name: unset
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a}
            steps:
              - anon: {task: t, size: 4M}
            """);
        assertThat(snapshot(o, null).procFiles()).isEmpty();
        assertThat(snapshot(o, null).cgroups().get("/a").files()).doesNotContainKey("memory.pressure");
    }
}
