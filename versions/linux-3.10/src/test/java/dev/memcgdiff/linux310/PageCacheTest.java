package dev.memcgdiff.linux310;

import static dev.memcgdiff.linux310.Model.run;
import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.PAGE;
import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Page cache and tmpfs in 3.10.0-1160: mem_cgroup_cache_charge, add_to_page_cache_lru, shmem, swap-in. */
class PageCacheTest {

    @Test
    @DisplayName(
            "memcg_stat_show: no shmem key; tmpfs pages are charged as cache and start on inactive_anon (lru_cache_add_anon)")
    void tmpfsIsCacheOnTheAnonLru() {
        Outcome o = run("""
            name: tmpfs
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {}
            tasks:
              a: {cgroup: /pod, pid: 100}
            steps:
              - shmem: {task: a, file: /dev/shm/x, size: 8M}
            """);
        assertThat(stat(o, null, "/pod", "cache")).isEqualTo(8 * M);
        assertThat(stat(o, null, "/pod", "rss")).isZero();
        assertThat(stat(o, null, "/pod", "inactive_anon")).isEqualTo(8 * M);
        assertThat(stat(o, null, "/pod", "active_anon")).isZero();
        assertThat(stat(o, null, "/pod", "inactive_file")).isZero();
        assertThat(keyed(o, null, "/pod", "memory.stat"))
                .doesNotContainKeys("shmem", "dirty", "writeback", "total_shmem");
    }

    @Test
    @DisplayName(
            "add_to_page_cache_lru: a read page starts on inactive_file; mark_page_accessed on the second read activates it")
    void secondReadActivates() {
        Outcome o = run("""
            name: read-twice
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {}
            tasks:
              a: {cgroup: /pod, pid: 100}
            steps:
              - read: {task: a, file: /data/f, size: 4M}
              - snapshot: once
              - touch: {task: a, what: "file:/data/f", size: 4M}
            """);
        assertThat(stat(o, "once", "/pod", "inactive_file")).isEqualTo(4 * M);
        assertThat(stat(o, "once", "/pod", "active_file")).isZero();
        assertThat(stat(o, "once", "/pod", "cache")).isEqualTo(4 * M);
        assertThat(stat(o, null, "/pod", "active_file")).isEqualTo(4 * M);
        assertThat(stat(o, null, "/pod", "inactive_file")).isZero();
    }

    @Test
    @DisplayName("generic_perform_write: mark_page_accessed after each write, so a written page read once is activated")
    void writeMarksAccessed() {
        // The write leaves PG_referenced on each inactive page; the read's mark_page_accessed then
        // finds inactive + referenced and activates.
        Outcome o = run("""
            name: write-then-read
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {}
            tasks:
              a: {cgroup: /pod, pid: 100}
            steps:
              - write: {task: a, file: /data/out, size: 4M}
              - snapshot: written
              - touch: {task: a, what: "file:/data/out", size: 4M}
            """);
        assertThat(stat(o, "written", "/pod", "inactive_file")).isEqualTo(4 * M);
        assertThat(stat(o, null, "/pod", "active_file")).isEqualTo(4 * M);
        assertThat(stat(o, null, "/pod", "inactive_file")).isZero();
    }

    @Test
    @DisplayName(
            "do_swap_page: a swapped-in anon page stays on inactive_anon (no activate_page in 3.10) and gives its swap charge back")
    void swapinStaysInactive() {
        Outcome o = run("""
            name: swapin
            host: {memory: 512M, swap: 64M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 16M}
            tasks:
              a: {cgroup: /pod, pid: 100}
            steps:
              - anon: {task: a, size: 20M}
              - set: {cgroup: /pod, memory.limit_in_bytes: 64M}
              - snapshot: before
              - touch: {task: a, what: anon, size: 20M}
            """);
        long swapped = stat(o, "before", "/pod", "swap") / PAGE;
        assertThat(swapped).as("the fill went through swap").isPositive();
        long majfaults = stat(o, null, "/pod", "pgmajfault") - stat(o, "before", "/pod", "pgmajfault");
        assertThat(majfaults).isEqualTo(swapped);
        assertThat(stat(o, null, "/pod", "inactive_anon") - stat(o, "before", "/pod", "inactive_anon"))
                .isEqualTo(swapped * PAGE);
        assertThat(stat(o, null, "/pod", "active_anon")).isEqualTo(stat(o, "before", "/pod", "active_anon"));
        assertThat(stat(o, null, "/pod", "swap")).isZero();
        assertThat(stat(o, null, "/pod", "rss")).isEqualTo(20 * M);
    }
}
