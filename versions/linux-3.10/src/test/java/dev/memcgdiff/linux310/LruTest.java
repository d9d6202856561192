package dev.memcgdiff.linux310;

import static dev.memcgdiff.linux310.Model.run;
import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static dev.memcgdiff.testing.ScenarioHarness.vmstat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** LRU placement and aging in 3.10.0-1160 (rmap.c, swap.c, vmscan.c). */
class LruTest {

    @Test
    @DisplayName("page_add_new_anon_rmap: a new anon page goes to active_anon")
    void newAnonIsActive() {
        Outcome o = run("""
            name: new-anon
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {}
            tasks:
              a: {cgroup: /pod, pid: 100}
            steps:
              - anon: {task: a, size: 4M}
            """);
        assertThat(stat(o, null, "/pod", "active_anon")).isEqualTo(4 * M);
        assertThat(stat(o, null, "/pod", "inactive_anon")).isZero();
        assertThat(stat(o, null, "/pod", "rss")).isEqualTo(4 * M);
    }

    private static String rebalance(String swap) {
        return """
            name: rebalance
            host: {memory: 512M, swap: %s}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 32M}
            tasks:
              a: {cgroup: /pod, pid: 100}
              b: {cgroup: /pod, pid: 101}
            steps:
              - anon: {task: a, size: 16M}
              - read: {task: b, file: /data/f, size: 32M}
            """.formatted(swap);
    }

    @Test
    @DisplayName(
            "shrink_lruvec: the anon rebalance after every memcg reclaim demotes (young) active anon while only cache is reclaimed")
    void anonRebalanceDemotesActiveAnon() {
        // Every limit reclaim here is one shrink_lruvec at priority 12 that frees 32 clean cache
        // pages (inactive_file >= active_file: SCAN_FILE, no anon scanned), then moves 32 pages
        // active -> inactive anon while inactive * 1 < active (below 1 GB the ratio is 1),
        // referenced or not: 64 moves leave 2048 / 2048 pages.
        Outcome o = run(rebalance("64M"));
        assertThat(stat(o, null, "/pod", "active_anon")).isEqualTo(8 * M);
        assertThat(stat(o, null, "/pod", "inactive_anon")).isEqualTo(8 * M);
        assertThat(stat(o, null, "/pod", "swap")).isZero();
        assertThat(vmstat(o, null, "pswpout")).isZero();
        assertThat(vmstat(o, null, "pgdeactivate")).isEqualTo(2048);
    }

    @Test
    @DisplayName("inactive_anon_is_low: without swap it is never low, so anon is never deactivated")
    void noSwapNoDeactivation() {
        Outcome o = run(rebalance("0"));
        assertThat(stat(o, null, "/pod", "active_anon")).isEqualTo(16 * M);
        assertThat(stat(o, null, "/pod", "inactive_anon")).isZero();
        assertThat(vmstat(o, null, "pgdeactivate")).isZero();
    }

    @Test
    @DisplayName(
            "page_check_references / shrink_active_list: referenced VM_EXEC file pages are activated and stay active; other mapped file pages are reclaimed")
    void execPagesStayActive() {
        Outcome o = run("""
            name: exec
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 24M}
            tasks:
              a: {cgroup: /pod, pid: 100}
              b: {cgroup: /pod, pid: 101}
            steps:
              - mmap: {task: a, file: /data/lib.so, size: 4M}
              - mmap: {task: a, file: /data/table.bin, size: 4M}
              - read: {task: b, file: /data/big, size: 64M}
            """);
        assertThat(stat(o, null, "/pod", "active_file")).isEqualTo(4 * M);
        assertThat(stat(o, null, "/pod", "mapped_file")).isEqualTo(4 * M);
    }
}
