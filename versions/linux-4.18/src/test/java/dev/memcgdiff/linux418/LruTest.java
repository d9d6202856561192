package dev.memcgdiff.linux418;

import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.events;
import static dev.memcgdiff.testing.ScenarioHarness.file;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static dev.memcgdiff.testing.ScenarioHarness.vmstat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.vmscan.IntSqrt;
import dev.memcgdiff.mm.vmscan.ScanControl;
import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** LRU placement (mm/swap.c) and inactive_list_is_low / the anon rebalance (mm/vmscan.c) of 4.18.0-147. */
class LruTest {

    @Test
    @DisplayName("lru_cache_add_active_or_unevictable: a new anonymous page starts on the active anon list")
    void newAnonActive() {
        Outcome o = Model.run("""
            name: anon-active
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 1M}
            """);
        assertThat(stat(o, null, "/a", "active_anon")).isEqualTo(1 * M);
        assertThat(stat(o, null, "/a", "inactive_anon")).isZero();
        assertThat(stat(o, null, "/a", "anon")).isEqualTo(1 * M);
    }

    @Test
    @DisplayName(
            "mark_page_accessed: a read page cache page starts inactive and referenced; the second read activates it (host PGACTIVATE only)")
    void secondReadActivates() {
        Outcome o = Model.run("""
            name: read-twice
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - read: {task: t, file: /data/f, size: 1M}
              - snapshot: once
              - read: {task: t, file: /data/f, size: 1M}
            """);
        assertThat(stat(o, "once", "/a", "inactive_file")).isEqualTo(1 * M);
        assertThat(stat(o, "once", "/a", "active_file")).isZero();
        assertThat(stat(o, null, "/a", "active_file")).isEqualTo(1 * M);
        assertThat(stat(o, null, "/a", "inactive_file")).isZero();
        // __activate_page counts PGACTIVATE with __count_vm_event only: not in the memcg.
        assertThat(vmstat(o, null, "pgactivate")).isEqualTo(256);
        assertThat(stat(o, null, "/a", "pgactivate")).isZero();
    }

    @Test
    @DisplayName(
            "generic_perform_write: a buffered write does not mark its page accessed, so one later read leaves it inactive")
    void writeDoesNotMarkAccessed() {
        Outcome o = Model.run("""
            name: write-then-read
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - write: {task: t, file: /data/f, size: 1M}
              - snapshot: written
              - read: {task: t, file: /data/f, size: 1M}
            """);
        assertThat(stat(o, "written", "/a", "inactive_file")).isEqualTo(1 * M);
        assertThat(stat(o, null, "/a", "inactive_file")).isEqualTo(1 * M);
        assertThat(stat(o, null, "/a", "active_file")).isZero();
    }

    @Test
    @DisplayName(
            "inactive_list_is_low: the ratio is int_sqrt(10 * GB), 1 below 1 GiB: 1GB 3, 10GB 10, 100GB 31, 1TB 101")
    void ratioTable() {
        long gb = 1L << 18; // pages
        assertThat(IntSqrt.inactiveRatio(10 * M / 4096)).isEqualTo(1);
        assertThat(IntSqrt.inactiveRatio(gb - 1)).isEqualTo(1);
        assertThat(IntSqrt.inactiveRatio(gb)).isEqualTo(3);
        assertThat(IntSqrt.inactiveRatio(10 * gb)).isEqualTo(10);
        assertThat(IntSqrt.inactiveRatio(100 * gb)).isEqualTo(31);
        assertThat(IntSqrt.inactiveRatio(1024 * gb)).isEqualTo(101);
        assertThat(IntSqrt.inactiveRatio(10240 * gb)).isEqualTo(320);
    }

    @Test
    @DisplayName("inactive_list_is_low: at 1 GiB of file LRU the list is low while inactive * 3 < active")
    void ratioOnALruvec() {
        Model.Booted b = Model.boot("""
            name: one-gig
            host: {memory: 1100M}
            cgroup: v2
            tasks: {}
            steps:
              - snapshot: start
            """);
        MemCgroup root = b.m.root();
        Lruvec lruvec = root.lruvec(0);
        int total = 1 << 18;
        int inactive = 65536;
        for (int pfn = 0; pfn < total; pfn++) {
            lruvec.addHead(pfn, pfn < inactive ? Lru.INACTIVE_FILE : Lru.ACTIVE_FILE);
        }
        Vmscan vmscan = b.c.vmscan();
        ScanControl sc = new ScanControl(Gfp.GFP_KERNEL, null, false);
        // 65536 * 3 = 196608 < 196608 is false: not low.
        assertThat(vmscan.inactiveListIsLow(lruvec, true, root, sc, false)).isFalse();
        lruvec.addHead(total, Lru.ACTIVE_FILE); // active 196609
        assertThat(vmscan.inactiveListIsLow(lruvec, true, root, sc, false)).isTrue();
    }

    @Test
    @DisplayName(
            "inactive_list_is_low: a WORKINGSET_ACTIVATE since the last snapshot_refaults makes the ratio 0 for actual reclaim only")
    void refaultOverride() {
        Model.Booted b = Model.boot("""
            name: override
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - snapshot: start
            """);
        int[] pfns = b.readFile(b.task("t"), "/data/f", 100);
        for (int i = 0; i < 10; i++) {
            b.activate(pfns[i]);
        }
        MemCgroup a = b.memcg("/a");
        Lruvec lruvec = a.lruvec(0);
        Vmscan vmscan = b.c.vmscan();
        ScanControl sc = new ScanControl(Gfp.GFP_KERNEL, a, false);
        // 90 inactive, 10 active: not low by the ratio (90 * 1 < 10 is false).
        assertThat(vmscan.inactiveListIsLow(lruvec, true, a, sc, true)).isFalse();
        a.countEvent(VmEvent.WORKINGSET_ACTIVATE_FILE, 1);
        assertThat(vmscan.inactiveListIsLow(lruvec, true, a, sc, true))
                .as("ratio 0: 0 < active")
                .isTrue();
        assertThat(vmscan.inactiveListIsLow(lruvec, true, a, sc, false))
                .as("get_scan_count's call is not actual")
                .isFalse();
        lruvec.refaults[Lru.FILE] = a.event(VmEvent.WORKINGSET_ACTIVATE_FILE); // snapshot_refaults
        assertThat(vmscan.inactiveListIsLow(lruvec, true, a, sc, true)).isFalse();
    }

    private static final String REBALANCE = """
        name: rebalance
        host: {memory: 512M%s}
        cgroup: v2
        cgroups:
          /a: {memory.max: 20M}
        tasks:
          t: {cgroup: /a, pid: 100}
        steps:
          - anon: {task: t, size: 8M}
          - read: {task: t, file: /data/f, size: 30M}
        """;

    @Test
    @DisplayName(
            "shrink_node_memcg (notes §16): with swap, every limit reclaim ends by deactivating 32 active anon pages while page cache is there, until inactive >= active")
    void anonRebalanceWithPageCache() {
        Outcome o = Model.run(REBALANCE.formatted(", swap: 256M"));
        // get_scan_count picks SCAN_FILE (the inactive file list is never low: nothing is
        // active), so no anon is scanned or swapped; only the final inactive_list_is_low(anon)
        // check moves anon, 32 pages at a time, and stops at 1024 : 1024 (ratio 1 below 1 GiB).
        assertThat(stat(o, null, "/a", "inactive_anon")).isEqualTo(4 * M);
        assertThat(stat(o, null, "/a", "active_anon")).isEqualTo(4 * M);
        assertThat(stat(o, null, "/a", "pgdeactivate")).isEqualTo(1024);
        assertThat(vmstat(o, null, "pswpout")).isZero();
        assertThat(file(o, null, "/a", "memory.swap.current")).isZero();
        assertThat(events(o, 1, TracePoints.SHRINK_LIMIT))
                .as("limit reclaim of /a in the read")
                .anyMatch(e -> e.memcg().equals("/a") && e.number("anon_rebalance") > 0);
    }

    @Test
    @DisplayName("inactive_list_is_low: without a swap device anon is never low, so active anon is never demoted")
    void noDemotionWithoutSwap() {
        Outcome o = Model.run(REBALANCE.formatted(""));
        assertThat(stat(o, null, "/a", "active_anon")).isEqualTo(8 * M);
        assertThat(stat(o, null, "/a", "inactive_anon")).isZero();
        assertThat(stat(o, null, "/a", "pgdeactivate")).isZero();
        assertThat(stat(o, null, "/a", "pgsteal"))
                .as("the page cache was reclaimed")
                .isPositive();
    }
}
