package dev.memcgdiff.linux418;

import static dev.memcgdiff.mm.TracePoints.SOFT_LIMIT_RECLAIM;
import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.event;
import static dev.memcgdiff.testing.ScenarioHarness.events;
import static dev.memcgdiff.testing.ScenarioHarness.file;
import static dev.memcgdiff.testing.ScenarioHarness.meminfo;
import static dev.memcgdiff.testing.ScenarioHarness.result;
import static dev.memcgdiff.testing.ScenarioHarness.snapshot;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static dev.memcgdiff.testing.ScenarioHarness.times;
import static dev.memcgdiff.testing.ScenarioHarness.vmstat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Reclaim in mm/vmscan.c of 4.18.0-147: get_scan_count, page_check_references, the shared iterator, counters, kswapd, soft limit. */
class ReclaimTest {

    /** /a (16M) holds file cache and anon; v1 so memory.swappiness is the memcg's own. */
    private static final String SCAN = """
        name: scan-count
        host: {memory: 512M, swap: 256M}
        cgroup: v1
        cgroups:
          /a: {memory.limit_in_bytes: 16M, memory.swappiness: %d}
        tasks:
          t: {cgroup: /a, pid: 100}
        steps:
        %s
        """;

    private static final String ACTIVE_FILE_THEN_ANON = """
          - read: {task: t, file: /data/f, size: 4M}
          - read: {task: t, file: /data/f, size: 4M}
          - anon: {task: t, size: 14M}
        """;

    @Test
    @DisplayName(
            "get_scan_count: limit reclaim with memory.swappiness 0 is SCAN_FILE: the page cache goes, nothing is swapped")
    void swappinessZeroScansFileOnly() {
        Outcome o = Model.run(SCAN.formatted(0, ACTIVE_FILE_THEN_ANON));
        assertThat(result(o, 2)).isEqualTo("ok");
        assertThat(stat(o, null, "/a", "swap")).isZero();
        assertThat(vmstat(o, null, "pswpout")).isZero();
        assertThat(stat(o, null, "/a", "rss")).isEqualTo(14 * M);
        assertThat(stat(o, null, "/a", "cache")).isLessThanOrEqualTo(2 * M);
    }

    @Test
    @DisplayName(
            "get_scan_count: with swappiness 60 and the inactive file list low (all cache active) the balance is SCAN_FRACT: anon is swapped too")
    void activeCacheGivesFract() {
        Outcome o = Model.run(SCAN.formatted(60, ACTIVE_FILE_THEN_ANON));
        assertThat(result(o, 2)).isEqualTo("ok");
        assertThat(stat(o, null, "/a", "swap")).isPositive();
        assertThat(vmstat(o, null, "pswpout")).isPositive();
    }

    @Test
    @DisplayName(
            "get_scan_count: with swappiness 60 and enough inactive file (not low, size >> priority > 0) the balance is SCAN_FILE: no swap")
    void inactiveCacheGivesFile() {
        // 8M of once-read cache stays at least 6M: at priority 10 and below 1536 >> prio > 0,
        // so anon is only aged (priorities 12 and 11 fall to FRACT, where 1280 inactive anon
        // pages >> 11 is 0), never scanned on the inactive list, never swapped.
        Outcome o = Model.run(SCAN.formatted(60, """
              - read: {task: t, file: /data/f, size: 8M}
              - anon: {task: t, size: 10M}
            """));
        assertThat(result(o, 1)).isEqualTo("ok");
        assertThat(stat(o, null, "/a", "swap")).isZero();
        assertThat(vmstat(o, null, "pswpout")).isZero();
        assertThat(stat(o, null, "/a", "rss")).isEqualTo(10 * M);
    }

    /** t and u map a 2M file in /a (or u in /b), then t streams a 16M file through /a's 8M. */
    private static final String SHARED = """
        name: shared-mapping
        host: {memory: 512M}
        cgroup: v2
        cgroups:
          /a: {memory.max: 8M}
          /b: {}
        tasks:
          t: {cgroup: /a, pid: 100}
          u: {cgroup: %s, pid: 101}
        steps:
          - mmap: {task: t, file: %s, size: 2M}
        %s
          - read: {task: t, file: /data/stream, size: 16M}
        """;

    @Test
    @DisplayName(
            "page_check_references: one young pte marks a mapped file page and keeps it; on the next trip, unreferenced, it is reclaimed")
    void oneMappingEvicted() {
        Outcome o = Model.run(SHARED.formatted("/a", "/data/lib.dat", ""));
        assertThat(stat(o, null, "/a", "file_mapped")).isZero();
    }

    @Test
    @DisplayName(
            "page_referenced (notes §13): the physical page is checked through every pte; two young mappings activate it at once and it stays")
    void twoMappingsActivated() {
        Outcome o = Model.run(
                SHARED.formatted("/a", "/data/lib.dat", "  - mmap: {task: u, file: /data/lib.dat, size: 2M}"));
        assertThat(stat(o, null, "/a", "file_mapped")).isEqualTo(2 * M);
        assertThat(stat(o, null, "/a", "active_file")).isEqualTo(2 * M);
    }

    @Test
    @DisplayName(
            "page_referenced: in limit reclaim only the target memcg's mappings count (mm_match_cgroup): a second mapping from /b does not save the page")
    void otherMemcgMappingIgnored() {
        Outcome o = Model.run(
                SHARED.formatted("/b", "/data/lib.dat", "  - mmap: {task: u, file: /data/lib.dat, size: 2M}"));
        assertThat(stat(o, null, "/a", "file_mapped")).isZero();
    }

    @Test
    @DisplayName("page_check_references: a VM_EXEC file page is activated after its first use, with one mapping")
    void execActivated() {
        Outcome o = Model.run(SHARED.formatted("/a", "/data/lib.so", ""));
        assertThat(stat(o, null, "/a", "file_mapped")).isEqualTo(2 * M);
    }

    @Test
    @DisplayName(
            "mem_cgroup_iter: limit reclaims share one cursor per (root, node, priority), so successive reclaims of /p resume after the child the last one stopped at")
    void sharedCursorRotates() {
        Model.Booted b = Model.boot("""
            name: cursor
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /p: {}
              /p/a: {}
              /p/b: {}
            tasks:
              x: {cgroup: /p/a, pid: 100}
              y: {cgroup: /p/b, pid: 101}
            steps:
              - snapshot: start
            """);
        b.readFile(b.task("x"), "/data/a", 16384);
        b.readFile(b.task("y"), "/data/b", 16384);
        MemCgroup p = b.memcg("/p");
        MemCgroup a = b.memcg("/p/a");
        MemCgroup bb = b.memcg("/p/b");
        // No swap: SCAN_FILE, size >> priority from each list, reclaim stops once 32 are in.
        // Call 1: prio 12: a 4, b 4; prio 11: a 7, b 7; prio 10: a 15 -> 37, stop at /p/a.
        long r1 = b.c.vmscan().tryToFreeMemCgroupPages(p, 1, Gfp.GFP_KERNEL, true);
        assertThat(r1).isEqualTo(37);
        assertThat(a.event(VmEvent.PGSTEAL_DIRECT)).isEqualTo(26);
        assertThat(bb.event(VmEvent.PGSTEAL_DIRECT)).isEqualTo(11);
        // Call 2: prio 12 and 11 walk everything again (those walks ended): 3+3, 7+7; prio 10
        // resumes after /p/a: b 15 -> 35, stop at /p/b.
        long r2 = b.c.vmscan().tryToFreeMemCgroupPages(p, 1, Gfp.GFP_KERNEL, true);
        assertThat(r2).isEqualTo(35);
        assertThat(a.event(VmEvent.PGSTEAL_DIRECT)).isEqualTo(36);
        assertThat(bb.event(VmEvent.PGSTEAL_DIRECT)).isEqualTo(36);
        // Call 3: prio 10 resumes after /p/b, the end of the tree, wraps to /p and then /p/a.
        b.c.vmscan().tryToFreeMemCgroupPages(p, 1, Gfp.GFP_KERNEL, true);
        assertThat(a.event(VmEvent.PGSTEAL_DIRECT)).isEqualTo(61);
        assertThat(bb.event(VmEvent.PGSTEAL_DIRECT)).isEqualTo(46);
        assertThat(b.m.vmEvent(VmEvent.PGSTEAL_DIRECT))
                .as("limit reclaim: not in /proc/vmstat")
                .isZero();
    }

    @Test
    @DisplayName(
            "try_to_free_mem_cgroup_pages: the charge's gfp keeps its reclaim bits (GFP_RECLAIM_MASK); only HIGHMEM/MOVABLE come from GFP_HIGHUSER_MOVABLE, so a GFP_NOIO charge swaps nothing")
    void reclaimKeepsChargeGfp() {
        Model.Booted b = Model.boot("""
            name: noio
            host: {memory: 256M, swap: 64M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup a = b.memcg("/a");
        b.faultAnon(b.task("t"), 2048);
        // GFP_NOIO: __GFP_RECLAIM without __GFP_IO and __GFP_FS. shrink_page_list keeps an anon
        // page that is not in the swap cache when the mask has no __GFP_IO.
        long noio = b.c.vmscan().tryToFreeMemCgroupPages(a, 32, Gfp.DIRECT_RECLAIM, true);
        assertThat(noio).isZero();
        assertThat(b.m.swap.inuse()).isZero();
        long kernel = b.c.vmscan().tryToFreeMemCgroupPages(a, 32, Gfp.GFP_KERNEL, true);
        assertThat(kernel).isPositive();
        assertThat(b.m.swap.inuse()).isPositive();
    }

    @Test
    @DisplayName("shrink_inactive_list: limit reclaim counts pgscan/pgsteal on the memcg only; /proc/vmstat stays 0")
    void limitReclaimMemcgCountersOnly() {
        Outcome o = Model.run("""
            name: limit-counters
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 4M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - read: {task: t, file: /data/f, size: 16M}
            """);
        long scan = stat(o, null, "/a", "pgscan");
        assertThat(scan).isPositive();
        assertThat(stat(o, null, "/a", "pgsteal"))
                .as("once-read clean cache: all reclaimed")
                .isEqualTo(scan);
        assertThat(vmstat(o, null, "pgscan_direct")).isZero();
        assertThat(vmstat(o, null, "pgsteal_direct")).isZero();
        assertThat(vmstat(o, null, "pgscan_kswapd")).isZero();
    }

    @Test
    @DisplayName(
            "init_per_zone_wmark_min / __setup_per_zone_wmarks (4.18): min_free_kbytes = int_sqrt(lowmem_kb * 16); low and high min + gap and min + 2 gap, gap = max(min/4, managed * 10/10000)")
    void watermarks() {
        Model.Booted small = Model.boot("""
            name: wmark-64m
            host: {memory: 64M}
            cgroup: v2
            tasks: {}
            steps:
              - snapshot: s
            """);
        // 65536 kB * 16 -> int_sqrt 1024 kB = 256 pages; gap max(64, 16384 * 10 / 10000 = 16) = 64.
        assertThat(small.m.minFreeKbytes).isEqualTo(1024);
        assertThat(small.m.nodes[0].wmarkMin()).isEqualTo(256);
        assertThat(small.m.nodes[0].wmarkLow()).isEqualTo(320);
        assertThat(small.m.nodes[0].wmarkHigh()).isEqualTo(384);
        Model.Booted big = Model.boot("""
            name: wmark-4g
            host: {memory: 4G}
            cgroup: v2
            tasks: {}
            steps:
              - snapshot: s
            """);
        // 4194304 kB * 16 -> 8192 kB = 2048 pages; gap max(512, 1048576 * 10 / 10000 = 1048) = 1048.
        assertThat(big.m.minFreeKbytes).isEqualTo(8192);
        assertThat(big.m.nodes[0].wmarkMin()).isEqualTo(2048);
        assertThat(big.m.nodes[0].wmarkLow()).isEqualTo(2048 + 1048);
        assertThat(big.m.nodes[0].wmarkHigh()).isEqualTo(2048 + 2 * 1048);
        assertThat(Linux418.TRAITS.minFreeKbytesMax())
                .as("the 4.18 clamp, 64 MiB")
                .isEqualTo(65536);
    }

    @Test
    @DisplayName(
            "balance_pgdat: host pressure wakes kswapd, which reclaims to the high watermark; global reclaim counts in /proc/vmstat and in the memcg")
    void kswapdGlobalCounters() {
        // 64M: min_free_kbytes = int_sqrt(65536 * 16) = 1024 kB, 256 pages of min.
        Outcome o = Model.run("""
            name: kswapd
            host: {memory: 64M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - read: {task: t, file: /data/f, size: 128M}
            """);
        assertThat(result(o, 0)).isEqualTo("ok");
        assertThat(vmstat(o, null, "pageoutrun")).isPositive();
        assertThat(vmstat(o, null, "pgsteal_kswapd")).isPositive();
        assertThat(stat(o, null, "/a", "pgsteal"))
                .isEqualTo(vmstat(o, null, "pgsteal_kswapd") + vmstat(o, null, "pgsteal_direct"));
        assertThat(stat(o, null, "/a", "pgscan"))
                .isEqualTo(vmstat(o, null, "pgscan_kswapd") + vmstat(o, null, "pgscan_direct"));
        assertThat(meminfo(o, null, "MemFree")).isGreaterThanOrEqualTo(1024);
    }

    @Test
    @DisplayName(
            "do_try_to_free_pages: kswapd skips a memory.low memcg and fails; direct reclaim skips it, finds nothing, retries with memcg_low_reclaim (low++)")
    void directReclaimLowRetry() {
        Outcome o = Model.run("""
            name: direct-low
            host: {memory: 64M}
            cgroup: v2
            cgroups:
              /a: {memory.low: max}
              /b: {}
            tasks:
              t: {cgroup: /a, pid: 100}
              u: {cgroup: /b, pid: 101}
            steps:
              - read: {task: t, file: /data/f, size: 40M}
              - anon: {task: u, size: 40M}
            """);
        assertThat(result(o, 1)).isEqualTo("ok");
        assertThat(o.oomKills()).isEmpty();
        assertThat(event(o, null, "/a", "low")).isPositive();
        // A user page's allocation (GFP_HIGHUSER_MOVABLE) stalls in ZONE_MOVABLE's counter.
        assertThat(vmstat(o, null, "allocstall_movable")).isPositive();
        assertThat(snapshot(o, null).vmstat()).doesNotContainKey("allocstall_normal");
        // ALLOCSTALL is counted at do_try_to_free_pages' retry label: once per call, once more per low retry.
        long calls = times(o, 1, TracePoints.TRY_TO_FREE_PAGES);
        long retries = times(o, 1, TracePoints.LOW_RECLAIM_RETRY);
        assertThat(events(o, 1, TracePoints.LOW_RECLAIM_RETRY))
                .as("global reclaim's retries")
                .allMatch(e -> e.memcg() == null);
        assertThat(retries).isPositive();
        assertThat(vmstat(o, null, "allocstall_movable")).isEqualTo(calls + retries);
        assertThat(vmstat(o, null, "pgsteal_direct")).isPositive();
        assertThat(vmstat(o, null, "pgsteal_kswapd"))
                .as("balance_pgdat never sets memcg_low_reclaim")
                .isZero();
        assertThat(file(o, null, "/a", "memory.current")).isLessThan(40 * M);
    }

    @Test
    @DisplayName(
            "mem_cgroup_swapout under global reclaim (notes §9, §10): kswapd swaps a memsw-limited container past memsw minus limit; memsw itself does not move")
    void globalReclaimSwapsPastMemswMinusLimit() {
        // /a: 20M memory, 24M memory+swap, so its own limit reclaim could swap at most 4M.
        // The host process takes 60M of a 64M host; kswapd swaps /a's tmpfs pages (inactive
        // anon from the start) regardless of memsw: each swapped page moves its charge from
        // memory to the swap entry, memory+swap stays 18M, swap grows past 4M as in the
        // incidents (swap 3.0G with memsw = limit + 2G).
        Outcome o = Model.run("""
            name: global-swap
            host: {memory: 64M, swap: 64M}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 20M, memory.memsw.limit_in_bytes: 24M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - shmem: {task: t, file: /dev/shm/x, size: 18M}
              - host: {size: 60M}
            """);
        long swap = stat(o, null, "/a", "swap");
        long memory = file(o, null, "/a", "memory.usage_in_bytes");
        long memsw = file(o, null, "/a", "memory.memsw.usage_in_bytes");
        assertThat(swap).isGreaterThan(24 * M - 20 * M);
        assertThat(memsw).isEqualTo(18 * M);
        assertThat(memory + swap).isEqualTo(memsw);
        assertThat(file(o, null, "/a", "memory.memsw.failcnt")).isZero();
        assertThat(vmstat(o, null, "pgsteal_kswapd")).isPositive();
    }

    @Test
    @DisplayName(
            "mem_cgroup_swappiness (include/linux/swap.h, 4.18.0-147): cgroup v2 has no per-cgroup swappiness; in v1 the root has vm.swappiness, every other memcg its own, inherited at creation")
    void swappinessRule() {
        Model.Booted v2 = Model.boot("""
            name: v2-swappiness
            host: {memory: 64M, swappiness: 30}
            cgroup: v2
            cgroups:
              /a: {}
            tasks: {}
            steps:
              - snapshot: s
            """);
        MemCgroup a2 = v2.memcg("/a");
        assertThat(a2.swappiness)
                .as("mem_cgroup_css_alloc: mem_cgroup_swappiness(parent)")
                .isEqualTo(30);
        a2.swappiness = 90; // no v2 file writes it: the rule must not read it
        assertThat(Swappiness.memCgroupSwappiness(v2.m, a2)).isEqualTo(30);
        assertThat(Swappiness.memCgroupSwappiness(v2.m, v2.m.root())).isEqualTo(30);

        Model.Booted v1 = Model.boot("""
            name: v1-swappiness
            host: {memory: 64M, swappiness: 30}
            cgroup: v1
            cgroups:
              /a: {memory.swappiness: 90}
              /a/b: {}
            tasks: {}
            steps:
              - snapshot: s
            """);
        assertThat(Swappiness.memCgroupSwappiness(v1.m, v1.m.root())).isEqualTo(30);
        assertThat(Swappiness.memCgroupSwappiness(v1.m, v1.memcg("/a"))).isEqualTo(90);
        assertThat(Swappiness.memCgroupSwappiness(v1.m, v1.memcg("/a/b")))
                .as("inherited from /a at creation")
                .isEqualTo(90);
    }

    private static final String SOFT = """
        name: soft-limit
        host: {memory: 128M}
        cgroup: v1
        cgroups:
          /a: {memory.soft_limit_in_bytes: %s}
          /b: {}
        tasks:
          t: {cgroup: /a, pid: 100}
          u: {cgroup: /b, pid: 101}
        steps:
          - read: {task: t, file: /data/a, size: 48M}
          - read: {task: u, file: /data/b, size: 96M}
        """;

    @Test
    @DisplayName(
            "mem_cgroup_soft_limit_reclaim (v1): global reclaim first squeezes the memcg furthest over its soft limit")
    void softLimitReclaim() {
        Outcome soft = Model.run(SOFT.formatted("8M"));
        Outcome none = Model.run(SOFT.formatted("max"));
        assertThat(soft.events(SOFT_LIMIT_RECLAIM)).isNotEmpty().allMatch(e -> e.number("reclaimed") > 0);
        assertThat(soft.times(TracePoints.SHRINK_SOFT_LIMIT)).isPositive();
        assertThat(none.times(TracePoints.SHRINK_KSWAPD) + none.times(TracePoints.SHRINK_GLOBAL))
                .as("without a soft limit, global reclaim ran all the same")
                .isPositive();
        assertThat(none.times(SOFT_LIMIT_RECLAIM)).isZero();
        assertThat(none.times(TracePoints.SHRINK_SOFT_LIMIT)).isZero();
        long aSoft = file(soft, null, "/a", "memory.usage_in_bytes");
        long aNone = file(none, null, "/a", "memory.usage_in_bytes");
        assertThat(aSoft).isLessThan(aNone);
        assertThat(file(soft, null, "/b", "memory.usage_in_bytes"))
                .isGreaterThan(file(none, null, "/b", "memory.usage_in_bytes"));
    }
}
