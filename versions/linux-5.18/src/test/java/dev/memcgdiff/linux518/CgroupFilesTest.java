package dev.memcgdiff.linux518;

import static dev.memcgdiff.mm.TracePoints.CGROUP_WRITE;
import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static dev.memcgdiff.testing.ScenarioHarness.raw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.outcome.GoldenText;
import dev.memcgdiff.outcome.Outcome;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The files of 5.18's memory controller, v1 and v2, and /proc/vmstat names. */
class CgroupFilesTest {
    private static final long MB = 1 << 20;

    private static final String V2 = """
        name: files-v2
        host: {memory: 256M, swap: 64M}
        cgroup: v2
        cgroups:
          /a: {memory.max: 64M, memory.swap.high: 8M, memory.oom.group: 1}
        tasks:
          t: {cgroup: /a, pid: 100}
        steps:
          - anon: {task: t, size: 4M}
        """;

    @Test
    @DisplayName("memory_files + swap_files (5.18): the v2 files of a memcg, and memory.stat alone on the root")
    void v2Files() {
        Outcome o = Model.run(V2);
        assertThat(o.snapshot(null).cgroups().get("/a").files().keySet())
                .containsExactly(
                        "memory.current",
                        "memory.min",
                        "memory.low",
                        "memory.high",
                        "memory.max",
                        "memory.events",
                        "memory.events.local",
                        "memory.stat",
                        "memory.oom.group",
                        "memory.swap.current",
                        "memory.swap.high",
                        "memory.swap.max",
                        "memory.swap.events");
        assertThat(o.snapshot(null).cgroups().get("/").files().keySet()).containsExactly("memory.stat");
        assertThat(raw(o, null, "/a", "memory.swap.high")).isEqualTo(8 * MB);
        assertThat(raw(o, null, "/a", "memory.high")).isEqualTo("max");
        assertThat(raw(o, null, "/a", "memory.oom.group")).isEqualTo(1L);
        assertThat(keyed(o, null, "/a", "memory.events").keySet())
                .containsExactly("low", "high", "max", "oom", "oom_kill", "oom_group_kill");
        assertThat(keyed(o, null, "/a", "memory.swap.events").keySet()).containsExactly("high", "max", "fail");
    }

    @Test
    @DisplayName(
            "memory_stat_format (5.18): the v2 memory.stat keys in memory_stats[] order, slab after slab_unreclaimable, then the events")
    void v2StatOrder() {
        Outcome o = Model.run(V2);
        assertThat(keyed(o, null, "/a", "memory.stat").keySet())
                .containsExactly(
                        "anon",
                        "file",
                        "kernel",
                        "kernel_stack",
                        "pagetables",
                        "percpu",
                        "sock",
                        "vmalloc",
                        "shmem",
                        "file_mapped",
                        "file_dirty",
                        "file_writeback",
                        "swapcached",
                        "anon_thp",
                        "file_thp",
                        "shmem_thp",
                        "inactive_anon",
                        "active_anon",
                        "inactive_file",
                        "active_file",
                        "unevictable",
                        "slab_reclaimable",
                        "slab_unreclaimable",
                        "slab",
                        "workingset_refault_anon",
                        "workingset_refault_file",
                        "workingset_activate_anon",
                        "workingset_activate_file",
                        "workingset_restore_anon",
                        "workingset_restore_file",
                        "workingset_nodereclaim",
                        "pgfault",
                        "pgmajfault",
                        "pgrefill",
                        "pgscan",
                        "pgsteal",
                        "pgactivate",
                        "pgdeactivate",
                        "pglazyfree",
                        "pglazyfreed",
                        "thp_fault_alloc",
                        "thp_collapse_alloc");
        Map<String, Long> stat = keyed(o, null, "/a", "memory.stat");
        assertThat(stat).containsEntry("anon", 4 * MB).containsEntry("pgfault", 1024L);
        // The root's memory.stat is hierarchical: it includes /a.
        assertThat(keyed(o, null, "/", "memory.stat")).containsEntry("anon", 4 * MB);
    }

    private static final String V1 = """
        name: files-v1
        host: {memory: 256M, swap: 64M}
        cgroup: v1
        cgroups:
          /p: {memory.swappiness: 30}
          /p/c: {memory.limit_in_bytes: 64M}
        tasks:
          t: {cgroup: /p/c, pid: 100}
        steps:
          - anon: {task: t, size: 4M}
          - set: {cgroup: /p/c, memory.use_hierarchy: 1}
          - set: {cgroup: /p/c, memory.use_hierarchy: 0}
        """;

    @Test
    @DisplayName("memcg_stat_show (5.18 v1): local keys, hierarchical limits, then total_ keys; no pgscan")
    void v1StatOrder() {
        Outcome o = Model.run(V1);
        assertThat(keyed(o, null, "/p/c", "memory.stat").keySet())
                .containsExactly(
                        "cache",
                        "rss",
                        "rss_huge",
                        "shmem",
                        "mapped_file",
                        "dirty",
                        "writeback",
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
                        "total_shmem",
                        "total_mapped_file",
                        "total_dirty",
                        "total_writeback",
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
        Map<String, Long> parent = keyed(o, null, "/p", "memory.stat");
        assertThat(parent)
                .containsEntry("rss", 0L)
                .containsEntry("total_rss", 4 * MB)
                .containsEntry("hierarchical_memory_limit", (Long.MAX_VALUE / 4096) * 4096);
        assertThat(keyed(o, null, "/p/c", "memory.stat")).containsEntry("hierarchical_memory_limit", 64 * MB);
    }

    @Test
    @DisplayName(
            "mem_cgroup_hierarchy_write (5.18): v1 is always hierarchical: use_hierarchy reads 1, writing 1 succeeds, 0 is -EINVAL")
    void useHierarchy() {
        Outcome o = Model.run(V1);
        assertThat(raw(o, null, "/p/c", "memory.use_hierarchy")).isEqualTo(1L);
        assertThat(raw(o, null, "/", "memory.use_hierarchy")).isEqualTo(1L);
        assertThat(o.steps().get(1).result()).isEqualTo("ok");
        assertThat(o.steps().get(2).result()).isEqualTo("einval");
        // A child's charge is the parent's too, with no use_hierarchy written anywhere.
        assertThat((Long) raw(o, null, "/p", "memory.usage_in_bytes")).isGreaterThanOrEqualTo(4 * MB);
    }

    @Test
    @DisplayName("mem_cgroup_css_alloc: a v1 child inherits its parent's memory.swappiness")
    void swappinessInherited() {
        Outcome o = Model.run(V1);
        assertThat(raw(o, null, "/p/c", "memory.swappiness")).isEqualTo(30L);
        assertThat(raw(o, null, "/", "memory.swappiness")).isEqualTo(60L);
    }

    @Test
    @DisplayName(
            "mem_cgroup_write (5.18): a memory.kmem.limit_in_bytes write fails with EOPNOTSUPP and changes nothing; the scenario runs on")
    void kmemLimitEopnotsupp() {
        Outcome o = Model.run("""
            name: kmem
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /a: {memory.kmem.limit_in_bytes: 64M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - set: {cgroup: /a, memory.kmem.limit_in_bytes: 32M}
              - anon: {task: t, size: 4M}
            """);
        assertThat(o.supported()).isTrue();
        assertThat(o.steps().get(0).result()).isEqualTo("eopnotsupp");
        assertThat(o.steps().get(1).result()).isEqualTo("ok");
        // The setup write and the step's write both fail; the step's is recorded at step 0.
        assertThat(o.events(CGROUP_WRITE))
                .hasSize(2)
                .allSatisfy(e -> assertThat(e.memcg()).isEqualTo("/a"))
                .anySatisfy(e -> assertThat(e.step()).isZero());
        assertThat(raw(o, null, "/a", "memory.usage_in_bytes")).isEqualTo(4 * MB);
        assertThat(raw(o, null, "/a", "memory.limit_in_bytes")).isEqualTo((Long.MAX_VALUE / 4096) * 4096);
    }

    @Test
    @DisplayName(
            "/proc/vmstat (5.18): workingset counters split by type, allocstall_movable (user pages: gfp_zone is ZONE_MOVABLE); no 4.18-style workingset_refault")
    void vmstatNames() {
        Outcome o = Model.run(V2);
        Map<String, Long> vmstat = o.snapshot(null).vmstat();
        assertThat(vmstat)
                .containsKeys(
                        "workingset_refault_anon",
                        "workingset_refault_file",
                        "workingset_activate_anon",
                        "workingset_activate_file",
                        "workingset_restore_anon",
                        "workingset_restore_file",
                        "workingset_nodereclaim",
                        "allocstall_movable",
                        "pgscan_kswapd",
                        "pgsteal_direct",
                        "pgscan_anon",
                        "pgscan_file",
                        "pgsteal_anon",
                        "pgsteal_file",
                        "oom_kill",
                        "pgrotated",
                        "thp_fault_alloc",
                        "thp_fault_fallback",
                        "thp_fault_fallback_charge");
        assertThat(vmstat).doesNotContainKeys("workingset_refault", "workingset_activate", "allocstall");
    }

    @Test
    @DisplayName(
            "init_per_zone_wmark_min (5.18): min_free_kbytes = int_sqrt(16 * lowmem kB); watermark gap max(min/4, 0.1% of the node)")
    void watermarks() {
        Model.Booted b = Model.boot("""
            name: wmark
            host: {memory: 4G}
            cgroup: v2
            cgroups: {}
            tasks: {}
            steps:
              - snapshot: s
            """);
        // 4 GiB = 4194304 kB: int_sqrt(67108864) = 8192 kB, 2048 pages; gap max(512, 1048576*10/10000 = 1048).
        assertThat(b.m.minFreeKbytes).isEqualTo(8192);
        assertThat(b.m.nodes[0].wmarkMin()).isEqualTo(2048);
        assertThat(b.m.nodes[0].wmarkLow()).isEqualTo(2048 + 1048);
        assertThat(b.m.nodes[0].wmarkHigh()).isEqualTo(2048 + 2 * 1048);
    }

    @Test
    @DisplayName("determinism: the same scenario gives the same outcome, byte for byte")
    void deterministic() {
        String yaml = """
            name: det
            seed: 7
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /p: {memory.max: 40M, memory.oom.group: 1}
              /p/a: {memory.low: 8M}
              /p/b: {}
            tasks:
              x: {cgroup: /p/a, pid: 100}
              y: {cgroup: /p/b, pid: 101}
            steps:
              - read: {task: x, file: /data/a, size: 16M}
              - anon: {task: y, size: 20M}
              - touch: {task: y, what: anon, size: 20M, pattern: random}
              - anon: {task: x, size: 24M}
            """;
        // 44M of anon under a 40M limit without swap: an OOM kill with a report is part of it.
        Outcome one = Model.run(yaml);
        Outcome two = Model.run(yaml);
        assertThat(one.oomKills()).isNotEmpty();
        assertThat(GoldenText.lines(two)).isEqualTo(GoldenText.lines(one));
        assertThat(two.oomKills().get(0).report())
                .isEqualTo(one.oomKills().get(0).report());
        assertThat(two.trace()).isEqualTo(one.trace());
        assertThat(two.events()).isEqualTo(one.events());
    }
}
