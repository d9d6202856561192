package dev.memcgdiff.linux418;

import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.event;
import static dev.memcgdiff.testing.ScenarioHarness.file;
import static dev.memcgdiff.testing.ScenarioHarness.key;
import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static dev.memcgdiff.testing.ScenarioHarness.raw;
import static dev.memcgdiff.testing.ScenarioHarness.result;
import static dev.memcgdiff.testing.ScenarioHarness.snapshot;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The memory controller files of 4.18.0-147 (mem_cgroup_legacy_files, memory_files, swap_files) and their writes. */
class CgroupFilesTest {

    @Test
    @DisplayName(
            "memcg_stat_show (v1): memcg1_stats with shmem/dirty/writeback/swap, the events, the LRUs, the hierarchical limits, then total_* in the same order")
    void v1StatOrder() {
        Outcome o = Model.run("""
            name: v1-stat
            host: {memory: 256M, swap: 64M}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 64M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 1M}
            """);
        assertThat(keyed(o, null, "/a", "memory.stat").keySet())
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
        assertThat(stat(o, null, "/a", "hierarchical_memory_limit")).isEqualTo(64 * M);
        assertThat(stat(o, null, "/a", "rss")).isEqualTo(1 * M);
        assertThat(stat(o, null, "/a", "pgpgin")).as("one per charged page").isEqualTo(256);
        assertThat(keyed(o, null, "/a", "memory.oom_control").keySet())
                .containsExactly("oom_kill_disable", "under_oom", "oom_kill");
    }

    @Test
    @DisplayName(
            "memory_stat_show (v2, RHEL 8.1 order): anon file kernel_stack slab sock shmem file_* LRUs slab_* pgfault pgmajfault workingset_* pgrefill pgscan pgsteal pgactivate pgdeactivate pglazyfree pglazyfreed")
    void v2StatOrder() {
        Outcome o = Model.run("""
            name: v2-stat
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 1M}
            """);
        assertThat(keyed(o, null, "/a", "memory.stat").keySet())
                .containsExactly(
                        "anon",
                        "file",
                        "kernel_stack",
                        "slab",
                        "sock",
                        "shmem",
                        "file_mapped",
                        "file_dirty",
                        "file_writeback",
                        "inactive_anon",
                        "active_anon",
                        "inactive_file",
                        "active_file",
                        "unevictable",
                        "slab_reclaimable",
                        "slab_unreclaimable",
                        "pgfault",
                        "pgmajfault",
                        "workingset_refault",
                        "workingset_activate",
                        "workingset_nodereclaim",
                        "pgrefill",
                        "pgscan",
                        "pgsteal",
                        "pgactivate",
                        "pgdeactivate",
                        "pglazyfree",
                        "pglazyfreed");
    }

    @Test
    @DisplayName(
            "memory_files + swap_files (v2): eleven files, all CFTYPE_NOT_ON_ROOT; memory.events has no oom_group_kill and there is no memory.events.local")
    void v2Files() {
        Outcome o = Model.run("""
            name: v2-files
            host: {memory: 256M, swap: 64M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks: {}
            steps:
              - snapshot: s
            """);
        assertThat(snapshot(o, null).cgroups().get("/a").files().keySet())
                .containsExactlyInAnyOrder(
                        "memory.current",
                        "memory.min",
                        "memory.low",
                        "memory.high",
                        "memory.max",
                        "memory.events",
                        "memory.stat",
                        "memory.oom.group",
                        "memory.swap.current",
                        "memory.swap.max",
                        "memory.swap.events");
        assertThat(snapshot(o, null).cgroups().get("/").files()).isEmpty();
        assertThat(keyed(o, null, "/a", "memory.events").keySet())
                .containsExactly("low", "high", "max", "oom", "oom_kill");
        assertThat(keyed(o, null, "/a", "memory.swap.events").keySet()).containsExactly("max", "fail");
        assertThat(raw(o, null, "/a", "memory.max")).isEqualTo("max");
        assertThat(raw(o, null, "/a", "memory.high")).isEqualTo("max");
    }

    @Test
    @DisplayName(
            "memory_min_show / memory_low_show: PAGE_COUNTER_MAX reads back as the word max, like memory.high and memory.max; other values in bytes")
    void minLowShowMax() {
        Outcome o = Model.run("""
            name: min-low-max
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.min: max, memory.low: max, memory.high: 8M, memory.swap.max: max}
              /b: {memory.min: 4M, memory.low: 8M}
            tasks: {}
            steps:
              - snapshot: s
            """);
        assertThat(raw(o, null, "/a", "memory.min")).isEqualTo("max");
        assertThat(raw(o, null, "/a", "memory.low")).isEqualTo("max");
        assertThat(raw(o, null, "/a", "memory.high")).isEqualTo(8 * M);
        assertThat(raw(o, null, "/a", "memory.swap.max")).isEqualTo("max");
        assertThat(raw(o, null, "/b", "memory.min")).isEqualTo(4 * M);
        assertThat(raw(o, null, "/b", "memory.low")).isEqualTo(8 * M);
    }

    @Test
    @DisplayName(
            "memcg_memory_event (4.18): max, oom and oom_kill count on the memcg that hit its limit only, never on its ancestors")
    void eventsNotPropagated() {
        Outcome o = Model.run("""
            name: no-propagation
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /p: {}
              /p/c: {memory.max: 4M}
            tasks:
              t: {cgroup: /p/c, pid: 100}
            steps:
              - anon: {task: t, size: 8M}
            """);
        assertThat(event(o, null, "/p/c", "max")).isEqualTo(7);
        assertThat(event(o, null, "/p/c", "oom")).isEqualTo(1);
        assertThat(event(o, null, "/p/c", "oom_kill")).isEqualTo(1);
        assertThat(keyed(o, null, "/p", "memory.events"))
                .containsEntry("max", 0L)
                .containsEntry("oom", 0L)
                .containsEntry("oom_kill", 0L);
    }

    @Test
    @DisplayName(
            "mem_cgroup_try_charge_swap (v2): an ancestor's swap.max refuses the slot; swap.events max and fail count on the page's memcg, not on the ancestor")
    void swapEventsOnPageMemcg() {
        Outcome o = Model.run("""
            name: swap-max-ancestor
            host: {memory: 256M, swap: 64M}
            cgroup: v2
            cgroups:
              /p: {memory.swap.max: 2M}
              /p/c: {memory.max: 8M}
            tasks:
              t: {cgroup: /p/c, pid: 100}
            steps:
              - anon: {task: t, size: 16M}
            """);
        assertThat(key(o, null, "/p/c", "memory.swap.events", "max")).isPositive();
        assertThat(key(o, null, "/p/c", "memory.swap.events", "fail"))
                .isGreaterThanOrEqualTo(key(o, null, "/p/c", "memory.swap.events", "max"));
        assertThat(keyed(o, null, "/p", "memory.swap.events"))
                .containsEntry("max", 0L)
                .containsEntry("fail", 0L);
        assertThat(file(o, null, "/p", "memory.swap.current")).isLessThanOrEqualTo(2 * M);
    }

    @Test
    @DisplayName("memory.swap.high does not exist in 4.18 (added in 5.8): the scenario is unsupported")
    void swapHighUnsupported() {
        Outcome o = Model.run("""
            name: swap-high
            host: {memory: 256M, swap: 64M}
            cgroup: v2
            cgroups:
              /a: {memory.swap.high: 8M}
            tasks: {}
            steps:
              - snapshot: s
            """);
        assertThat(o.status()).isEqualTo("unsupported");
        assertThat(o.reason()).isEqualTo("memory.swap.high: not in 4.18 (added in 5.8)");
        Outcome set = Model.run("""
            name: swap-high-set
            host: {memory: 256M, swap: 64M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks: {}
            steps:
              - set: {cgroup: /a, memory.swap.high: 8M}
            """);
        assertThat(set.status()).isEqualTo("unsupported");
    }

    @Test
    @DisplayName(
            "mem_cgroup_bind / mem_cgroup_css_alloc (v1): root use_hierarchy 0; a child of a use_hierarchy parent inherits 1 and charges it, others do not")
    void useHierarchyDefaults() {
        Outcome o = Model.run("""
            name: hierarchy-defaults
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /h: {memory.use_hierarchy: 1, memory.limit_in_bytes: 64M}
              /h/c: {}
              /f: {memory.limit_in_bytes: 64M}
              /f/c: {}
            tasks:
              t: {cgroup: /h/c, pid: 100}
              u: {cgroup: /f/c, pid: 101}
            steps:
              - anon: {task: t, size: 1M}
              - anon: {task: u, size: 1M}
            """);
        assertThat(file(o, null, "/", "memory.use_hierarchy")).isZero();
        assertThat(file(o, null, "/h/c", "memory.use_hierarchy")).isEqualTo(1);
        assertThat(file(o, null, "/f/c", "memory.use_hierarchy")).isZero();
        assertThat(file(o, null, "/h", "memory.usage_in_bytes"))
                .isEqualTo(file(o, null, "/h/c", "memory.usage_in_bytes"))
                .isPositive();
        assertThat(file(o, null, "/f", "memory.usage_in_bytes")).isZero();
        assertThat(stat(o, null, "/h/c", "hierarchical_memory_limit")).isEqualTo(64 * M);
        assertThat(stat(o, null, "/f/c", "hierarchical_memory_limit"))
                .as("not linked to /f")
                .isEqualTo(stat(o, null, "/", "hierarchical_memory_limit"));
    }

    @Test
    @DisplayName(
            "mem_cgroup_hierarchy_write: under a use_hierarchy parent EINVAL; with children EBUSY; a childless memcg of a flat parent may change")
    void useHierarchyWrites() {
        Outcome o = Model.run("""
            name: hierarchy-writes
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /h: {memory.use_hierarchy: 1}
              /h/c: {}
              /f: {}
            tasks: {}
            steps:
              - set: {cgroup: /h/c, memory.use_hierarchy: 0}
              - set: {cgroup: /h, memory.use_hierarchy: 0}
              - set: {cgroup: /f, memory.use_hierarchy: 1}
              - set: {cgroup: /h, memory.use_hierarchy: 1}
            """);
        assertThat(result(o, 0)).isEqualTo("einval");
        assertThat(result(o, 1)).isEqualTo("ebusy");
        assertThat(result(o, 2)).isEqualTo("ok");
        assertThat(result(o, 3)).as("same value: nothing to do").isEqualTo("ok");
        assertThat(file(o, null, "/f", "memory.use_hierarchy")).isEqualTo(1);
    }

    @Test
    @DisplayName(
            "mem_cgroup_resize_max: memory.limit_in_bytes above memsw.limit_in_bytes, or memsw below memory, is EINVAL; limits round down to pages")
    void limitInvariant() {
        Outcome o = Model.run("""
            name: limit-invariant
            host: {memory: 256M, swap: 64M}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 10M, memory.memsw.limit_in_bytes: 10M}
            tasks: {}
            steps:
              - set: {cgroup: /a, memory.limit_in_bytes: 20M}
              - set: {cgroup: /a, memory.memsw.limit_in_bytes: 8M}
              - set: {cgroup: /a, memory.memsw.limit_in_bytes: 20M}
              - set: {cgroup: /a, memory.limit_in_bytes: 4097}
            """);
        assertThat(result(o, 0)).isEqualTo("einval");
        assertThat(result(o, 1)).isEqualTo("einval");
        assertThat(result(o, 2)).isEqualTo("ok");
        assertThat(result(o, 3)).isEqualTo("ok");
        assertThat(file(o, null, "/a", "memory.limit_in_bytes")).isEqualTo(4096);
        assertThat(file(o, null, "/a", "memory.memsw.limit_in_bytes")).isEqualTo(20 * M);
    }

    @Test
    @DisplayName(
            "mem_cgroup_resize_max: a limit below usage reclaims until it fits; when reclaim frees nothing the write fails with EBUSY and the old limit stays")
    void shrinkLimit() {
        Outcome o = Model.run("""
            name: shrink-limit
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /a: {}
              /b: {}
            tasks:
              t: {cgroup: /a, pid: 100}
              u: {cgroup: /b, pid: 101}
            steps:
              - read: {task: t, file: /data/f, size: 10M}
              - set: {cgroup: /a, memory.limit_in_bytes: 4M}
              - anon: {task: u, size: 10M}
              - set: {cgroup: /b, memory.limit_in_bytes: 4M}
            """);
        assertThat(result(o, 1)).isEqualTo("ok");
        assertThat(file(o, null, "/a", "memory.usage_in_bytes")).isLessThanOrEqualTo(4 * M);
        assertThat(file(o, null, "/a", "memory.limit_in_bytes")).isEqualTo(4 * M);
        assertThat(result(o, 3)).isEqualTo("ebusy");
        assertThat(file(o, null, "/b", "memory.limit_in_bytes")).isEqualTo(file(o, null, "/", "memory.limit_in_bytes"));
        assertThat(o.oomKills()).as("a v1 limit write never OOM-kills").isEmpty();
    }

    @Test
    @DisplayName("memory_high_write (v2): setting memory.high below usage reclaims the excess once, with no high event")
    void memoryHighWrite() {
        Outcome o = Model.run("""
            name: high-write
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - read: {task: t, file: /data/f, size: 10M}
              - set: {cgroup: /a, memory.high: 4M}
            """);
        assertThat(result(o, 1)).isEqualTo("ok");
        assertThat(file(o, null, "/a", "memory.current")).isLessThanOrEqualTo(4 * M);
        assertThat(event(o, null, "/a", "high")).isZero();
        assertThat(raw(o, null, "/a", "memory.high")).isEqualTo(4 * M);
    }
}
