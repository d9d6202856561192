package dev.memcgdiff.linux310;

import static dev.memcgdiff.linux310.Model.run;
import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.file;
import static dev.memcgdiff.testing.ScenarioHarness.key;
import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static dev.memcgdiff.testing.ScenarioHarness.result;
import static dev.memcgdiff.testing.ScenarioHarness.snapshot;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.HostSpec;
import dev.memcgdiff.scenario.ThpMode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The v1 files of 3.10.0-1160 and their write rules (mm/memcontrol.c), /proc/vmstat names, watermarks. */
class MemcgFilesTest {

    private static final String EMPTY = """
        name: files
        host: {memory: 512M, swap: 64M}
        cgroup: v1
        cgroups:
          /pod: {}
        tasks: {}
        steps:
          - snapshot: s
        """;

    @Test
    @DisplayName("memcg_stat_show: the 3.10 keys in print order, swap included with swap accounting")
    void statKeysInOrder() {
        Outcome o = run(EMPTY);
        assertThat(keyed(o, "s", "/pod", "memory.stat").keySet())
                .containsExactly(
                        "cache",
                        "rss",
                        "rss_huge",
                        "mapped_file",
                        "swap",
                        "pgpgin",
                        "pgpgout",
                        "pgfault",
                        "pgmajfault",
                        "inactive_anon",
                        "active_anon",
                        "inactive_file",
                        "active_file",
                        "unevictable",
                        "hierarchical_memory_limit",
                        "hierarchical_memsw_limit",
                        "total_cache",
                        "total_rss",
                        "total_rss_huge",
                        "total_mapped_file",
                        "total_swap",
                        "total_pgpgin",
                        "total_pgpgout",
                        "total_pgfault",
                        "total_pgmajfault",
                        "total_inactive_anon",
                        "total_active_anon",
                        "total_inactive_file",
                        "total_active_file",
                        "total_unevictable");
    }

    @Test
    @DisplayName("mem_cgroup_oom_control_read: oom_kill_disable and under_oom, no oom_kill line in 3.10")
    void oomControlKeys() {
        Outcome o = run(EMPTY);
        assertThat(keyed(o, "s", "/pod", "memory.oom_control").keySet())
                .containsExactly("oom_kill_disable", "under_oom");
    }

    @Test
    @DisplayName(
            "mem_cgroup_css_online: root's use_hierarchy is 0; children copy use_hierarchy, swappiness and oom_kill_disable")
    void inheritance() {
        Outcome o = run("""
            name: inherit
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /flat: {}
              /p: {memory.use_hierarchy: 1, memory.swappiness: 30, memory.oom_control: 1}
              /p/c: {}
            tasks: {}
            steps:
              - snapshot: s
            """);
        assertThat(file(o, "s", "/", "memory.use_hierarchy")).isZero();
        assertThat(file(o, "s", "/flat", "memory.use_hierarchy")).isZero();
        assertThat(file(o, "s", "/flat", "memory.swappiness")).isEqualTo(60);
        assertThat(file(o, "s", "/p/c", "memory.use_hierarchy")).isEqualTo(1);
        assertThat(file(o, "s", "/p/c", "memory.swappiness")).isEqualTo(30);
        assertThat(key(o, "s", "/p/c", "memory.oom_control", "oom_kill_disable"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("mem_cgroup_hierarchy_write: EBUSY with children; EINVAL under a hierarchical parent")
    void useHierarchyWriteRules() {
        Outcome o = run("""
            name: hierarchy-write
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /p: {}
              /p/c: {}
              /q: {memory.use_hierarchy: 1}
              /q/c: {}
            tasks: {}
            steps:
              - set: {cgroup: /p, memory.use_hierarchy: 1}
              - set: {cgroup: /q/c, memory.use_hierarchy: 0}
              - set: {cgroup: /p/c, memory.use_hierarchy: 1}
            """);
        assertThat(result(o, 0)).isEqualTo("ebusy");
        assertThat(result(o, 1)).isEqualTo("einval");
        assertThat(result(o, 2)).as("a leaf under a flat parent may change").isEqualTo("ok");
    }

    @Test
    @DisplayName(
            "mem_cgroup_resize_limit / _memsw_limit: memory.limit may not exceed memsw.limit, nor memsw go below memory")
    void limitOrder() {
        Outcome o = run("""
            name: limit-order
            host: {memory: 512M, swap: 64M}
            cgroup: v1
            cgroups:
              /pod: {}
            tasks: {}
            steps:
              - set: {cgroup: /pod, memory.memsw.limit_in_bytes: 16M}
              - set: {cgroup: /pod, memory.limit_in_bytes: 16M}
              - set: {cgroup: /pod, memory.memsw.limit_in_bytes: 32M}
              - set: {cgroup: /pod, memory.limit_in_bytes: 64M}
              - set: {cgroup: /pod, memory.limit_in_bytes: 32M}
            """);
        assertThat(o.steps()).extracting(s -> s.result()).containsExactly("einval", "ok", "ok", "einval", "ok");
        assertThat(file(o, null, "/pod", "memory.limit_in_bytes")).isEqualTo(32 * M);
        assertThat(file(o, null, "/pod", "memory.memsw.limit_in_bytes")).isEqualTo(32 * M);
    }

    @Test
    @DisplayName(
            "mem_cgroup_resize_limit: below unreclaimable usage it gives up with EBUSY; reclaimable cache is reclaimed instead")
    void shrinkLimit() {
        Outcome o = run("""
            name: shrink-limit
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /anon: {}
              /cache: {}
            tasks:
              a: {cgroup: /anon, pid: 100}
              c: {cgroup: /cache, pid: 101}
            steps:
              - anon: {task: a, size: 16M}
              - read: {task: c, file: /data/f, size: 16M}
              - set: {cgroup: /anon, memory.limit_in_bytes: 8M}
              - set: {cgroup: /cache, memory.limit_in_bytes: 8M}
            """);
        assertThat(result(o, 2)).isEqualTo("ebusy");
        assertThat(file(o, null, "/anon", "memory.limit_in_bytes")).isEqualTo(9223372036854771712L);
        assertThat(result(o, 3)).isEqualTo("ok");
        assertThat(file(o, null, "/cache", "memory.limit_in_bytes")).isEqualTo(8 * M);
        assertThat(file(o, null, "/cache", "memory.usage_in_bytes")).isLessThanOrEqualTo(8 * M);
    }

    @Test
    @DisplayName("vmstat_text: per-zone pgscan/pgsteal/pgrefill names, workingset zone items, no oom_kill line")
    void vmstatNames() {
        Outcome o = run(EMPTY);
        assertThat(snapshot(o, "s").vmstat())
                .containsKeys(
                        "pgscan_kswapd_normal",
                        "pgscan_direct_normal",
                        "pgsteal_kswapd_normal",
                        "pgsteal_direct_normal",
                        "pgrefill_normal",
                        "allocstall",
                        "pageoutrun",
                        "workingset_refault",
                        "workingset_activate",
                        "workingset_nodereclaim")
                .doesNotContainKeys(
                        "oom_kill", "pgscan_kswapd", "pgsteal_direct", "workingset_restore", "allocstall_normal");
    }

    @Test
    @DisplayName(
            "root memory.limit_in_bytes reads PAGE_COUNTER_MAX pages in bytes; the hierarchical limits take the minimum up the chain")
    void limitsAsPrinted() {
        Outcome o = run("""
            name: hierarchical-limit
            host: {memory: 512M, swap: 64M}
            cgroup: v1
            cgroups:
              /p: {memory.use_hierarchy: 1, memory.limit_in_bytes: 64M}
              /p/c: {memory.limit_in_bytes: 128M}
            tasks: {}
            steps:
              - snapshot: s
            """);
        assertThat(file(o, "s", "/", "memory.limit_in_bytes")).isEqualTo(9223372036854771712L);
        assertThat(stat(o, "s", "/p/c", "hierarchical_memory_limit")).isEqualTo(64 * M);
        assertThat(stat(o, "s", "/p/c", "hierarchical_memsw_limit")).isEqualTo(9223372036854771712L);
    }

    @Test
    @DisplayName("init_per_zone_wmark_min: RHEL 7.9 clamps min_free_kbytes at 262144, not upstream's 65536")
    void minFreeKbytesClamp() {
        // 260 GiB: int_sqrt(260 * 2^20 kB * 16) = int_sqrt(4362076160) = 66046 (66046^2 = 4362074116),
        // above upstream's 65536 cap and below RHEL's 262144.
        Machine m = new Machine(new HostSpec(260L << 30, 0, 1, -1, 60, ThpMode.NEVER, null), CgroupInterface.V1);
        KernelOps ops = new Linux310().boot(m);
        m.attach(ops);
        assertThat(m.minFreeKbytes).isEqualTo(66046);
        long pagesMin = 66046 / 4;
        assertThat(m.nodes[0].wmarkMin()).isEqualTo(pagesMin);
        assertThat(m.nodes[0].wmarkLow()).isEqualTo(pagesMin + pagesMin / 4);
        assertThat(m.nodes[0].wmarkHigh()).isEqualTo(pagesMin + pagesMin / 2);
    }
}
