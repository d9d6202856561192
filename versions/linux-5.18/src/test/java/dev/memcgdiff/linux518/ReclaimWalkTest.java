package dev.memcgdiff.linux518;

import static dev.memcgdiff.mm.TracePoints.SOFT_LIMIT_RECLAIM;
import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static dev.memcgdiff.testing.ScenarioHarness.raw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Trace;
import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.vmscan.ScanBalance;
import dev.memcgdiff.mm.vmscan.ScanControl;
import dev.memcgdiff.mm.vmscan.VmscanConstants;
import dev.memcgdiff.outcome.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The reclaim walk of 5.18: shrink_node_memcgs over the whole subtree, effective protection,
 * do_try_to_free_pages' retries, shrink_node's preamble, kswapd and v1 soft limit reclaim.
 */
class ReclaimWalkTest {
    private static final long MB = 1 << 20;

    @Test
    @DisplayName(
            "shrink_node_memcgs: limit reclaim visits every memcg of the subtree on every pass (no shared iterator cursor)")
    void wholeSubtreeEveryPass() {
        // Both children hold more than 4096 file pages, so at every priority both get a scan
        // target: each shrink_node scans /p/a and /p/b once, the same number of times.
        Outcome o = Model.run("""
            name: subtree
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /p: {memory.max: 64M}
              /p/a: {}
              /p/b: {}
            tasks:
              x: {cgroup: /p/a, pid: 100}
              y: {cgroup: /p/b, pid: 101}
            steps:
              - read: {task: y, file: /data/b, size: 30M}
              - read: {task: x, file: /data/a, size: 30M}
              - read: {task: x, file: /data/c, size: 8M}
            """);
        assertThat(keyed(o, null, "/p/a", "memory.stat").get("pgscan")).isPositive();
        assertThat(keyed(o, null, "/p/b", "memory.stat").get("pgscan")).isPositive();
        // Step 2 has one reclaim: /p's limit (the host has room, kswapd stays asleep).
        assertThat(o.snapshot(null).vmstat()).containsEntry("pageoutrun", 0L);
        assertThat(shrinkLruvecTimes(o.events(), 2, "/p/a"))
                .isPositive()
                .isEqualTo(shrinkLruvecTimes(o.events(), 2, "/p/b"));
    }

    private static final List<TracePoint> SHRINK_LRUVEC =
            List.of(TracePoints.SCAN_EQUAL, TracePoints.SCAN_FRACT, TracePoints.SCAN_ANON, TracePoints.SCAN_FILE);

    /** How many times shrink_lruvec ran on a memcg's lruvec in a step, whatever get_scan_count's balance. */
    private static long shrinkLruvecTimes(List<TraceEvent> events, int step, String memcg) {
        long n = 0;
        for (TracePoint point : SHRINK_LRUVEC) {
            for (TraceEvent e : Trace.of(events, point)) {
                if (e.step() == step && memcg.equals(e.memcg())) {
                    n += e.times();
                }
            }
        }
        return n;
    }

    @Test
    @DisplayName(
            "mem_cgroup_calculate_protection: under the reclaim target a child's memory.min applies as set; the memcg is never reclaimed, no event")
    void memoryMinShields() {
        Outcome o = Model.run("""
            name: min
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /p: {memory.max: 40M}
              /p/a: {memory.min: 20M}
              /p/b: {}
            tasks:
              x: {cgroup: /p/a, pid: 100}
              y: {cgroup: /p/b, pid: 101}
            steps:
              - read: {task: x, file: /data/a, size: 20M}
              - read: {task: y, file: /data/b, size: 40M}
            """);
        assertThat(raw(o, null, "/p/a", "memory.current")).isEqualTo(20 * MB);
        assertThat(keyed(o, null, "/p/a", "memory.stat")).containsEntry("pgscan", 0L);
        assertThat(keyed(o, null, "/p/a", "memory.events")).containsEntry("low", 0L);
        assertThat(keyed(o, null, "/p/b", "memory.stat").get("pgsteal")).isPositive();
    }

    @Test
    @DisplayName(
            "shrink_node_memcgs: memory.low is skipped in the first pass; the memcg_low_reclaim retry raises MEMCG_LOW and reclaims it")
    void memoryLowSecondPass() {
        // /p/b's anon cannot go anywhere (no swap): only /p/a's page cache can be reclaimed, and
        // it is below memory.low.
        Outcome o = Model.run("""
            name: low
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /p: {memory.max: 40M}
              /p/a: {memory.low: 30M}
              /p/b: {}
            tasks:
              x: {cgroup: /p/a, pid: 100}
              y: {cgroup: /p/b, pid: 101}
            steps:
              - read: {task: x, file: /data/a, size: 30M}
              - anon: {task: y, size: 20M}
            """);
        assertThat(o.steps().get(1).result()).isEqualTo("ok");
        assertThat(o.oomKills()).isEmpty();
        assertThat(keyed(o, null, "/p/a", "memory.events").get("low")).isPositive();
        assertThat((Long) raw(o, null, "/p/a", "memory.current")).isLessThan(30 * MB);
        assertThat(o.events(TracePoints.RETRY_MEMCG_LOW_RECLAIM))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.memcg()).isEqualTo("/p"));
    }

    @Test
    @DisplayName(
            "mem_cgroup_below_min: an empty memcg counts as below min (emin 0 >= usage 0): skipped before the low test, no MEMCG_LOW")
    void emptyMemcgBelowMin() {
        // The spec's "usage 0 gets MEMCG_LOW" does not hold: shrink_node_memcgs tests
        // mem_cgroup_below_min first, and 0 >= 0 is true there too.
        Outcome o = Model.run("""
            name: empty-low
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /p: {memory.max: 20M}
              /p/empty: {}
              /p/b: {}
            tasks:
              y: {cgroup: /p/b, pid: 101}
            steps:
              - anon: {task: y, size: 24M}
            """);
        assertThat(o.oomKills()).hasSize(1);
        assertThat(keyed(o, null, "/p/empty", "memory.events")).containsEntry("low", 0L);
        assertThat(keyed(o, null, "/p/empty", "memory.stat")).containsEntry("pgscan", 0L);
        // Limit reclaim of /p did run for /p/b's charges (reclaiming nothing: no swap, no file),
        // and it never retried with memcg_low_reclaim.
        assertThat(o.events(TracePoints.CHARGE_RECLAIM)).isNotEmpty().allSatisfy(e -> {
            assertThat(e.memcg()).isEqualTo("/p/b");
            assertThat(e.number("reclaimed")).isZero();
        });
        assertThat(o.times(TracePoints.RETRY_MEMCG_LOW_RECLAIM)).isZero();
    }

    @Test
    @DisplayName(
            "shrink_lruvec: once nr_to_reclaim is met the smaller type stops and the other is cut to the same proportion, once")
    void proportionalCut() {
        Model.Booted b = Model.boot("""
            name: cut
            host: {memory: 256M, swap: 256M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup a = b.memcg("/a");
        for (int pfn : b.faultAnon(b.task("t"), 3000)) {
            b.clearYoung(pfn);
        }
        b.readFile(b.task("t"), "/data/f", 3000);
        ScanControl sc = new ScanControl(Gfp.GFP_HIGHUSER_MOVABLE, a, false);
        sc.nrToReclaim = 32;
        sc.priority = 1;
        sc.maySwap = true;
        sc.mayWritepage = true;
        b.c.vmscan().shrinkLruvec(0, a, sc);
        // SCAN_FRACT with no cost yet: ap 60, fp 140. Targets: anon 1500*60/200 = 450, file
        // 1500*140/200 = 1050. The first round reclaims 32 + 32; then anon (418 left of 451)
        // is the smaller: it stops at 92%; file is cut to 1050*8/100 = 84, of which 32 are done.
        assertThat(b.m.vmEvent(VmEvent.PGSCAN_ANON)).isEqualTo(32);
        assertThat(b.m.vmEvent(VmEvent.PGSCAN_FILE)).isEqualTo(84);
        assertThat(a.event(VmEvent.PGSCAN_DIRECT)).isEqualTo(116);
        assertThat(sc.nrReclaimed).isEqualTo(116);
    }

    @Test
    @DisplayName("effective_protection: siblings share the parent's memory.low in proportion to their protected usage")
    void effectiveProtectionShares() {
        // Children claim min(usage, low): 100 and 50; the parent affords 100: 100*100/150, 50*100/150.
        assertThat(Protection.effectiveProtection(100, 150, 200, 100, 150)).isEqualTo(66);
        assertThat(Protection.effectiveProtection(50, 150, 50, 100, 150)).isEqualTo(33);
        // Within what the parent affords: min(usage, setting), no share of the unclaimed rest
        // (memory_recursiveprot is off by default).
        assertThat(Protection.effectiveProtection(100, 150, 60, 200, 110)).isEqualTo(60);
        assertThat(Protection.effectiveProtection(40, 150, 60, 200, 110)).isEqualTo(40);
    }

    @Test
    @DisplayName(
            "mem_cgroup_calculate_protection: in global reclaim a grandchild's memory.low is bounded by its parent's effective low")
    void protectionDistributedDownTheTree() {
        Model.Booted b = Model.boot("""
            name: elow
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /p: {memory.low: 30M}
              /p/a: {memory.low: 30M}
              /p/b: {memory.low: 30M}
              /q: {memory.min: 8M}
              /q/c: {memory.min: 16M}
            tasks:
              x: {cgroup: /p/a, pid: 100}
              y: {cgroup: /p/b, pid: 101}
              z: {cgroup: /q/c, pid: 102}
            steps:
              - snapshot: start
            """);
        b.faultAnon(b.task("x"), 5120); // 20M
        b.faultAnon(b.task("y"), 10240); // 40M
        b.faultAnon(b.task("z"), 4096); // 16M
        b.m.stock.drain();
        MemCgroup p = b.memcg("/p");
        MemCgroup a = b.memcg("/p/a");
        MemCgroup bb = b.memcg("/p/b");
        MemCgroup c = b.memcg("/q/c");
        for (MemCgroup memcg : b.m.root().subtree()) {
            Protection.calculate(null, memcg);
        }
        // /p's parent is the root: elow = low = 7680 pages. Its children claim
        // min(5120, 7680) + min(10240, 7680) = 12800 > 7680: shares 5120*7680/12800 and 7680*7680/12800.
        assertThat(p.memory.elow).isEqualTo(7680);
        assertThat(p.memory.childrenLowUsage()).isEqualTo(12800);
        assertThat(a.memory.elow).isEqualTo(3072);
        assertThat(bb.memory.elow).isEqualTo(4608);
        // /q affords 2048 pages of memory.min; /q/c claims 4096: it gets 4096*2048/4096.
        assertThat(c.memory.emin).isEqualTo(2048);
        assertThat(Protection.belowMin(c)).isFalse();
        // For limit reclaim of /p, /p/a's own setting applies.
        Protection.calculate(p, a);
        assertThat(a.memory.elow).isEqualTo(7680);
        assertThat(Protection.belowLow(a)).isTrue();
    }

    @Test
    @DisplayName(
            "propagate_protected_usage (5.18): every level's protected usage is min(usage, low), summed into the parent")
    void protectedUsagePerLevel() {
        Model.Booted b = Model.boot("""
            name: prot-usage
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /p: {}
              /p/a: {memory.low: 10M}
              /p/b: {memory.low: 10M}
            tasks:
              x: {cgroup: /p/a, pid: 100}
              y: {cgroup: /p/b, pid: 101}
            steps:
              - snapshot: start
            """);
        b.faultAnon(b.task("x"), 5120);
        b.faultAnon(b.task("y"), 1280);
        b.m.stock.drain();
        // a is over its low (counts 2560), b under it (counts its usage, 1280).
        assertThat(b.memcg("/p").memory.childrenLowUsage()).isEqualTo(2560 + 1280);
    }

    @Test
    @DisplayName(
            "do_try_to_free_pages: nothing reclaimed and an active list skipped for want of may_deactivate: retry with force_deactivate")
    void forceDeactivateRetry() {
        Model.Booted b = Model.boot("""
            name: force-deactivate
            host: {memory: 128M, swap: 128M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup a = b.memcg("/a");
        int[] pfns = b.faultAnon(b.task("t"), 600);
        for (int i = 0; i < 300; i++) {
            b.activate(pfns[i]);
        }
        // 300 inactive, 300 active anon: not low, no refaults: DEACTIVATE_ANON is off and the
        // active list is skipped. may_unmap = 0 keeps every (mapped) inactive page.
        ScanControl sc = new ScanControl(Gfp.GFP_HIGHUSER_MOVABLE, a, false);
        sc.nrToReclaim = 32;
        sc.priority = VmscanConstants.DEF_PRIORITY;
        sc.mayWritepage = true;
        sc.maySwap = true;
        sc.mayUnmap = false;
        assertThat(b.c.vmscan().doTryToFreePages(0, sc)).isZero();
        assertThat(Trace.of(b.m.trace.events(), TracePoints.RETRY_FORCE_DEACTIVATE))
                .singleElement()
                .satisfies(e -> assertThat(e.memcg()).isEqualTo("/a"));
        assertThat(sc.forceDeactivate).isTrue();
        assertThat(a.event(VmEvent.PGDEACTIVATE)).isPositive();
    }

    @Test
    @DisplayName(
            "shrink_node: may_deactivate follows file activations since snapshot_refaults, even when inactive file is not low")
    void mayDeactivateOnRefaults() {
        Model.Booted b = Model.boot("""
            name: refaults
            host: {memory: 128M, swap: 128M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup a = b.memcg("/a");
        int[] file = b.readFile(b.task("t"), "/data/f", 500);
        for (int i = 0; i < 100; i++) {
            b.activate(file[i]);
        }
        b.c.vmscan().snapshotRefaults(a, 0);
        ScanControl sc = new ScanControl(Gfp.GFP_HIGHUSER_MOVABLE, a, false);
        sc.priority = VmscanConstants.DEF_PRIORITY; // 400 >> 12 = 0: nothing is scanned
        sc.nrToReclaim = 32;
        b.c.vmscan().shrinkNode(0, sc);
        assertThat(sc.mayDeactivate & ScanControl.DEACTIVATE_FILE).isZero();
        assertThat(sc.mayDeactivate & ScanControl.DEACTIVATE_ANON).isZero();
        b.m.countEvent(VmEvent.WORKINGSET_ACTIVATE_FILE, a, 1);
        b.c.vmscan().shrinkNode(0, sc);
        assertThat(sc.mayDeactivate & ScanControl.DEACTIVATE_FILE).isEqualTo(ScanControl.DEACTIVATE_FILE);
        b.c.vmscan().snapshotRefaults(a, 0);
        b.c.vmscan().shrinkNode(0, sc);
        assertThat(sc.mayDeactivate & ScanControl.DEACTIVATE_FILE).isZero();
    }

    @Test
    @DisplayName(
            "shrink_node: file + free at or under the high watermark and anon not low: file_is_tiny, get_scan_count says SCAN_ANON")
    void fileIsTiny() {
        Model.Booted b = Model.boot("""
            name: tiny
            host: {memory: 64M, swap: 64M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup a = b.memcg("/a");
        b.faultAnon(b.task("t"), 500);
        Node n = b.m.nodes[0];
        while (n.nrFree() > 100) {
            n.takeFree(); // memory the model does not track (kernel, other users)
        }
        assertThat(n.nrFree()).isLessThanOrEqualTo(n.wmarkHigh());
        b.c.vmscan().snapshotRefaults(null, 0);
        ScanControl sc = new ScanControl(Gfp.GFP_HIGHUSER_MOVABLE, null, false);
        sc.priority = 8; // 500 inactive anon >> 8 = 1
        sc.nrToReclaim = 32;
        sc.maySwap = true;
        sc.mayWritepage = true;
        b.c.vmscan().shrinkNode(0, sc);
        assertThat(sc.fileIsTiny).isTrue();
        assertThat(b.c.vmscan().getScanCount(a.lruvec(0), a, sc).balance()).isEqualTo(ScanBalance.SCAN_ANON);
    }

    @Test
    @DisplayName(
            "shrink_inactive_list: memcg limit reclaim counts pgscan/pgsteal in memory.stat, not in /proc/vmstat's direct items; pgscan_file always")
    void memcgReclaimNotInVmstat() {
        Outcome o = Model.run("""
            name: vmstat
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 16M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - read: {task: t, file: /data/f, size: 32M}
            """);
        assertThat(keyed(o, null, "/a", "memory.stat").get("pgscan")).isPositive();
        Map<String, Long> vmstat = o.snapshot(null).vmstat();
        assertThat(vmstat)
                .containsEntry("pgscan_direct", 0L)
                .containsEntry("pgsteal_direct", 0L)
                .containsEntry("pgscan_kswapd", 0L);
        // __count_vm_events(PGSCAN_ANON + file, ...) has no cgroup_reclaim() test.
        Map<String, Long> stat = keyed(o, null, "/a", "memory.stat");
        assertThat(vmstat)
                .containsEntry("pgscan_file", stat.get("pgscan"))
                .containsEntry("pgsteal_file", stat.get("pgsteal"))
                .containsEntry("pgscan_anon", 0L);
    }

    @Test
    @DisplayName("balance_pgdat: kswapd reclaims page cache for the host when free pages fall under the low watermark")
    void kswapdReclaims() {
        Outcome o = Model.run("""
            name: kswapd
            host: {memory: 128M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - read: {task: t, file: /data/f, size: 100M}
              - anon: {task: t, size: 40M}
            """);
        Map<String, Long> vmstat = o.snapshot(null).vmstat();
        assertThat(vmstat.get("pageoutrun")).isPositive();
        assertThat(vmstat.get("pgscan_kswapd")).isPositive();
        assertThat(vmstat.get("pgsteal_kswapd")).isPositive();
        assertThat(o.steps().get(1).result()).isEqualTo("ok");
        assertThat(o.oomKills()).isEmpty();
    }

    @Test
    @DisplayName("mem_cgroup_soft_limit_reclaim (v1): global reclaim takes from the memcg over its soft limit first")
    void softLimitFirst() {
        Outcome o = Model.run("""
            name: soft-limit
            host: {memory: 160M}
            cgroup: v1
            cgroups:
              /a: {memory.soft_limit_in_bytes: 8M}
              /b: {}
            tasks:
              x: {cgroup: /a, pid: 100}
              y: {cgroup: /b, pid: 101}
              h: {cgroup: /, pid: 102}
            steps:
              - read: {task: x, file: /data/a, size: 50M}
              - read: {task: y, file: /data/b, size: 50M}
              - anon: {task: h, size: 80M}
            """);
        assertThat(o.events(SOFT_LIMIT_RECLAIM)).anySatisfy(e -> {
            assertThat(e.step()).isEqualTo(2);
            assertThat(e.number("reclaimed")).isPositive();
        });
        long a = (Long) raw(o, null, "/a", "memory.usage_in_bytes");
        long b = (Long) raw(o, null, "/b", "memory.usage_in_bytes");
        assertThat(a).isLessThan(b);
    }
}
