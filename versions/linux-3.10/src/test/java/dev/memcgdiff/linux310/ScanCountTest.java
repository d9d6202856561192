package dev.memcgdiff.linux310;

import static dev.memcgdiff.linux310.Model.run;
import static dev.memcgdiff.testing.ScenarioHarness.result;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static dev.memcgdiff.testing.ScenarioHarness.vmstat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** get_scan_count (3.10.0-1160): which lists limit reclaim may scan. */
class ScanCountTest {

    private static String anonOverLimit(int swappiness) {
        return """
            name: swappiness
            host: {memory: 512M, swap: 64M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 16M, memory.swappiness: %d}
            tasks:
              a: {cgroup: /pod, pid: 100, uid: 1000}
            steps:
              - anon: {task: a, size: 20M}
            """.formatted(swappiness);
    }

    @Test
    @DisplayName(
            "get_scan_count: memcg reclaim with swappiness 0 is SCAN_FILE, so anon over the limit is OOM-killed, never swapped")
    void swappinessZeroNeverSwaps() {
        Outcome o = run(anonOverLimit(0));
        assertThat(result(o, 0)).isEqualTo("killed");
        assertThat(vmstat(o, null, "pswpout")).isZero();
        assertThat(o.oomKills().get(0).totalPages())
                .as("mem_cgroup_get_limit without swappiness: the memory limit")
                .isEqualTo(4096);
    }

    @Test
    @DisplayName(
            "get_scan_count: with swappiness 60 the same fill swaps (SCAN_EQUAL at priority 0) and nobody is killed")
    void swappinessSixtySwaps() {
        Outcome o = run(anonOverLimit(60));
        assertThat(result(o, 0)).isEqualTo("ok");
        assertThat(o.oomKills()).isEmpty();
        assertThat(stat(o, null, "/pod", "swap")).isPositive();
        assertThat(vmstat(o, null, "pswpout")).isPositive();
    }

    @Test
    @DisplayName(
            "vmscan_swappiness: limit reclaim uses the target memcg's swappiness, not that of the child being scanned")
    void targetSwappinessWins() {
        // /p (swappiness 0) is over its limit; the anon sits in /p/c (swappiness 60). The reclaim
        // target is /p, so every lruvec is scanned SCAN_FILE: no swap, the OOM follows.
        Outcome o = run("""
            name: target-swappiness
            host: {memory: 512M, swap: 64M}
            cgroup: v1
            cgroups:
              /p: {memory.use_hierarchy: 1, memory.limit_in_bytes: 16M, memory.swappiness: 0}
              /p/c: {memory.swappiness: 60}
            tasks:
              a: {cgroup: /p/c, pid: 100, uid: 1000}
            steps:
              - anon: {task: a, size: 20M}
            """);
        assertThat(result(o, 0)).isEqualTo("killed");
        assertThat(vmstat(o, null, "pswpout")).isZero();
        assertThat(o.oomKills().get(0).oomMemcg()).isEqualTo("/p");
        assertThat(o.oomKills().get(0).totalPages()).isEqualTo(4096);
    }
}
