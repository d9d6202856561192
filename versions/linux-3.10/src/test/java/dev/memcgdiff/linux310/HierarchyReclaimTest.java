package dev.memcgdiff.linux310;

import static dev.memcgdiff.linux310.Model.run;
import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.file;
import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static dev.memcgdiff.testing.ScenarioHarness.result;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static dev.memcgdiff.testing.ScenarioHarness.vmstat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Reclaim across the hierarchy (shrink_zone with mem_cgroup_iter) and what it counts (3.10.0-1160). */
class HierarchyReclaimTest {

    private static final String ROUND_ROBIN = """
        name: round-robin
        host: {memory: 512M}
        cgroup: v1
        cgroups:
          /p: {memory.use_hierarchy: 1, memory.limit_in_bytes: 12M}
          /p/a: {}
          /p/b: {}
        tasks:
          ta: {cgroup: /p/a, pid: 100}
          tb: {cgroup: /p/b, pid: 101}
        steps:
          - read: {task: ta, file: /data/a, size: 6M}
          - read: {task: tb, file: /data/b, size: 6M}
          - read: {task: tb, file: /data/b2, size: 4M}
        """;

    @Test
    @DisplayName(
            "mem_cgroup_iter: a parent's limit reclaim takes turns over its children with the cursor shared per priority")
    void parentReclaimTakesTurns() {
        // /p is exactly full after the first two reads (2 x 1536 pages, no stock left). The third
        // read needs 1024 pages: one limit reclaim per 32 pages. Each lruvec stays below 4096
        // pages, so at priority 12 size >> 12 is 0 and force_scan scans min(size, 32): 32 clean
        // pages freed from one memcg, and the walk stops there. The cursor resumes after the
        // last memcg: /p (empty), /p/a, then /p/b, then around again: each child loses 16 x 32.
        Outcome o = run(ROUND_ROBIN);
        assertThat(result(o, 2)).isEqualTo("ok");
        assertThat(stat(o, null, "/p/a", "inactive_file")).isEqualTo(4 * M);
        assertThat(stat(o, null, "/p/b", "inactive_file")).isEqualTo(8 * M);
        assertThat(file(o, null, "/p", "memory.usage_in_bytes")).isEqualTo(12 * M);
    }

    @Test
    @DisplayName(
            "shrink_inactive_list: memcg limit reclaim counts no pgscan or pgsteal, neither in /proc/vmstat nor in memory.stat")
    void limitReclaimCountsNoScans() {
        Outcome o = run(ROUND_ROBIN);
        assertThat(vmstat(o, null, "pgscan_direct_normal")).isZero();
        assertThat(vmstat(o, null, "pgsteal_direct_normal")).isZero();
        assertThat(vmstat(o, null, "pgscan_kswapd_normal")).isZero();
        assertThat(vmstat(o, null, "allocstall")).as("the host had no pressure").isZero();
        assertThat(keyed(o, null, "/p", "memory.stat")).doesNotContainKeys("pgscan", "pgsteal", "total_pgscan");
    }

    @Test
    @DisplayName(
            "mem_cgroup_css_online: with use_hierarchy=0 a child has no parent counter: the parent's limit does not apply")
    void noHierarchyNoParentCharge() {
        Outcome o = run("""
            name: flat
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /p: {memory.limit_in_bytes: 16M}
              /p/c: {}
            tasks:
              a: {cgroup: /p/c, pid: 100}
            steps:
              - anon: {task: a, size: 32M}
            """);
        assertThat(result(o, 0)).isEqualTo("ok");
        assertThat(file(o, null, "/p", "memory.usage_in_bytes")).isZero();
        assertThat(file(o, null, "/p/c", "memory.usage_in_bytes")).isEqualTo(32 * M);
        assertThat(stat(o, null, "/p/c", "hierarchical_memory_limit")).isEqualTo(9223372036854771712L);
        assertThat(stat(o, null, "/p", "total_rss"))
                .as("use_hierarchy=0: total_* is the memcg alone")
                .isZero();
    }

    private static String softLimit(String knobs) {
        return """
            name: soft-limit
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /a: {%s}
              /b: {}
            tasks:
              ta: {cgroup: /a, pid: 100}
              tb: {cgroup: /b, pid: 101}
            steps:
              - read: {task: ta, file: /data/a, size: 64M}
              - read: {task: tb, file: /data/b, size: 64M}
              - host: {size: 160M}
            """.formatted(knobs);
    }

    @Test
    @DisplayName("mem_cgroup_soft_limit_reclaim: global reclaim takes from the memcg over its soft limit first")
    void softLimitReclaimFirst() {
        Outcome plain = run(softLimit(""));
        Outcome soft = run(softLimit("memory.soft_limit_in_bytes: 16M"));
        long lostPlain = 64 * M - stat(plain, null, "/a", "cache");
        long lostSoft = 64 * M - stat(soft, null, "/a", "cache");
        assertThat(lostSoft).isGreaterThan(lostPlain);
        assertThat(stat(soft, null, "/a", "cache")).isLessThan(stat(soft, null, "/b", "cache"));
        assertThat(vmstat(plain, null, "pgsteal_kswapd_normal") + vmstat(plain, null, "pgsteal_direct_normal"))
                .as("global reclaim counts its steals host-wide")
                .isPositive();
    }

    @Test
    @DisplayName(
            "mem_cgroup_iter: the limit reclaim of a use_hierarchy=0 memcg walks that memcg alone, never its children")
    void flatLimitReclaimSparesChildren() {
        // /p/c's 16M of cache is charged to /p/c only (no parent counter). pp's 16M read in /p
        // hits /p's 8M limit 64 times: each reclaim walks /p alone and frees 32 of /p's own pages.
        Outcome o = run("""
            name: flat-reclaim
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /p: {memory.limit_in_bytes: 8M}
              /p/c: {}
            tasks:
              pc: {cgroup: /p/c, pid: 100}
              pp: {cgroup: /p, pid: 101}
            steps:
              - read: {task: pc, file: /data/c, size: 16M}
              - read: {task: pp, file: /data/p, size: 16M}
            """);
        assertThat(result(o, 1)).isEqualTo("ok");
        assertThat(stat(o, null, "/p/c", "cache")).isEqualTo(16 * M);
        assertThat(stat(o, null, "/p", "cache")).isEqualTo(8 * M);
        assertThat(o.events(TracePoints.SHRINK_LRUVEC_LIMIT))
                .as("/p's limit reclaim shrank /p's own lruvec")
                .extracting(TraceEvent::memcg)
                .containsOnly("/p");
        for (TracePoint shrink : new TracePoint[] {
            TracePoints.SHRINK_LRUVEC_LIMIT, TracePoints.SHRINK_LRUVEC_GLOBAL, TracePoints.SHRINK_LRUVEC_KSWAPD
        }) {
            assertThat(o.events(shrink))
                    .as(shrink + " never visits /p/c")
                    .extracting(TraceEvent::memcg)
                    .doesNotContain("/p/c");
        }
    }
}
