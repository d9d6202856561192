package dev.memcgdiff.linux518;

import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static dev.memcgdiff.testing.ScenarioHarness.raw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Mm;
import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.task.Vma;
import dev.memcgdiff.mm.vmscan.PageBatch;
import dev.memcgdiff.mm.vmscan.ReclaimStats;
import dev.memcgdiff.mm.vmscan.ScanBalance;
import dev.memcgdiff.mm.vmscan.ScanControl;
import dev.memcgdiff.outcome.Outcome;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LRU placement and balancing of 5.18 (mm/swap.c, mm/vmscan.c). */
class LruBalanceTest {
    private static final long MB = 1 << 20;

    private static final String ONE_MEMCG = """
        name: lru
        host: {memory: 128M, swap: 128M}
        cgroup: v2
        cgroups:
          /a: {}
        tasks:
          t: {cgroup: /a, pid: 100}
        steps:
          - snapshot: start
        """;

    @Test
    @DisplayName("do_anonymous_page: a new anon page goes to inactive_anon (lru_cache_add_inactive_or_unevictable)")
    void newAnonInactive() {
        Outcome o = Model.run("""
            name: new-anon
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 10M}
            """);
        Map<String, Long> stat = keyed(o, null, "/a", "memory.stat");
        assertThat(stat).containsEntry("inactive_anon", 10 * MB).containsEntry("active_anon", 0L);
    }

    @Test
    @DisplayName(
            "folio_mark_accessed: the second read of a cached page activates it (PGACTIVATE on the memcg and host)")
    void secondAccessActivates() {
        Outcome o = Model.run("""
            name: mark-accessed
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
        assertThat(keyed(o, "once", "/a", "memory.stat"))
                .containsEntry("inactive_file", MB)
                .containsEntry("active_file", 0L)
                .containsEntry("pgactivate", 0L);
        Map<String, Long> stat = keyed(o, null, "/a", "memory.stat");
        assertThat(stat)
                .containsEntry("active_file", MB)
                .containsEntry("inactive_file", 0L)
                .containsEntry("pgactivate", 256L);
        assertThat(o.snapshot(null).vmstat()).containsEntry("pgactivate", 256L);
    }

    @ParameterizedTest(name = "{0} GB of one LRU type: ratio {1}")
    @CsvSource({"1, 3", "10, 10", "100, 31", "1024, 101"})
    @DisplayName("inactive_is_low: inactive * int_sqrt(10 * GB) < active (1GB→3, 10GB→10, 100GB→31, 1TB→101)")
    void inactiveRatioTable(long gb, long ratio) {
        long total = gb << 18;
        long boundary = total / (ratio + 1); // inactive * ratio == active - the edge
        long low = boundary - 1;
        long notLow = (total + ratio) / (ratio + 1);
        assertThat(Vmscan.inactiveIsLow(low, total - low)).isTrue();
        assertThat(Vmscan.inactiveIsLow(notLow, total - notLow)).isFalse();
    }

    @Test
    @DisplayName("inactive_is_low: under 1 GB of the type the ratio is 1 (inactive < active)")
    void smallRatioOne() {
        assertThat(Vmscan.inactiveIsLow(100, 101)).isTrue();
        assertThat(Vmscan.inactiveIsLow(100, 100)).isFalse();
    }

    @Test
    @DisplayName(
            "get_scan_count: SCAN_FRACT weighs anon by swappiness and file by 200 - swappiness, inversely to their costs")
    void scanFractions() {
        // t = a + f; A = t + a; F = t + f; S = A + F; ap = sw * (S+1) / (A+1); fp = (200-sw) * (S+1) / (F+1)
        assertThat(Vmscan.scanFractions(60, 0, 0)).containsExactly(60, 140);
        // a = 100, f = 0: t = 100, A = 200, F = 100, S = 300: ap = 60*301/201 = 89, fp = 140*301/101 = 417
        assertThat(Vmscan.scanFractions(60, 100, 0)).containsExactly(89, 417);
        // a = 0, f = 100: A = 100, F = 200: ap = 60*301/101 = 178, fp = 140*301/201 = 209
        assertThat(Vmscan.scanFractions(60, 0, 100)).containsExactly(178, 209);
    }

    @Test
    @DisplayName(
            "shrink_node: plenty of inactive file and no refaults: cache_trim_mode, SCAN_FILE, anon is never scanned")
    void cacheTrimMode() {
        Outcome o = Model.run("""
            name: cache-trim
            host: {memory: 512M, swap: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 48M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 16M}
              - read: {task: t, file: /data/f, size: 40M}
            """);
        assertThat(o.events(TracePoints.SCAN_FILE)).isNotEmpty().allSatisfy(e -> {
            assertThat(e.memcg()).isEqualTo("/a");
            assertThat(e.step()).isEqualTo(1);
        });
        assertThat(o.times(TracePoints.SCAN_FRACT)).isZero();
        assertThat(o.times(TracePoints.SCAN_ANON)).isZero();
        assertThat(raw(o, null, "/a", "memory.swap.current")).isEqualTo(0L);
        assertThat(keyed(o, null, "/a", "memory.stat")).containsEntry("inactive_anon", 16 * MB);
    }

    @Test
    @DisplayName(
            "get_scan_count: memory.low scales the scan target to size - size * low / (usage + 1), at least 32, and marks memcg_low_skipped")
    void protectionScaledTarget() {
        Model.Booted b = Model.boot("""
            name: prot-scan
            host: {memory: 128M, swap: 128M}
            cgroup: v2
            cgroups:
              /a: {memory.low: 8M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup a = b.memcg("/a");
        b.faultAnon(b.task("t"), 4096); // 128 whole batches: usage 4096 pages, nothing left in the stock
        assertThat(a.memory.usage()).isEqualTo(4096);
        ScanControl sc = new ScanControl(Gfp.GFP_HIGHUSER_MOVABLE, null, false);
        sc.priority = 0;
        sc.maySwap = true;
        Protection.calculate(null, a);
        assertThat(a.memory.elow).isEqualTo(2048);
        Vmscan.ScanCount count = b.c.vmscan().getScanCount(a.lruvec(0), a, sc);
        long[] nr = count.nr();
        // priority 0 with swappiness 60: SCAN_EQUAL. inactive anon: 4096 - 4096*2048/4097 = 2049;
        // the empty lists get the SWAP_CLUSTER_MAX floor.
        assertThat(count.balance()).isEqualTo(ScanBalance.SCAN_EQUAL);
        assertThat(nr[Lru.INACTIVE_ANON]).isEqualTo(2049);
        assertThat(nr[Lru.ACTIVE_ANON]).isEqualTo(32);
        assertThat(nr[Lru.INACTIVE_FILE]).isEqualTo(32);
        assertThat(nr[Lru.ACTIVE_FILE]).isEqualTo(32);
        assertThat(sc.memcgLowSkipped).isTrue();
        // In the memcg_low_reclaim pass only memory.min (0 here) scales: the plain size.
        ScanControl low = new ScanControl(Gfp.GFP_HIGHUSER_MOVABLE, null, false);
        low.priority = 0;
        low.maySwap = true;
        low.memcgLowReclaim = true;
        long[] nrLow = b.c.vmscan().getScanCount(a.lruvec(0), a, low).nr();
        assertThat(nrLow[Lru.INACTIVE_ANON]).isEqualTo(4096 - 4096 * 0 / 4097);
        assertThat(low.memcgLowSkipped).isFalse();
    }

    @Test
    @DisplayName(
            "lru_note_cost: the cost goes to the lruvec and every ancestor; a level halves both costs past a quarter of its LRU pages")
    void lruNoteCost() {
        Model.Booted b = Model.boot("""
            name: cost
            host: {memory: 128M, swap: 128M}
            cgroup: v2
            cgroups:
              /p: {}
              /p/c: {}
            tasks:
              t: {cgroup: /p/c, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup c = b.memcg("/p/c");
        MemCgroup p = b.memcg("/p");
        b.faultAnon(b.task("t"), 400);
        LruCost.lruNoteCost(c, 0, false, 50);
        for (MemCgroup x : new MemCgroup[] {c, p, b.m.root()}) {
            assertThat(x.lruvec(0).anonCost).isEqualTo(50);
        }
        LruCost.lruNoteCost(c, 0, true, 60); // 50 + 60 > 400 / 4: halved at every level
        for (MemCgroup x : new MemCgroup[] {c, p, b.m.root()}) {
            assertThat(x.lruvec(0).anonCost).isEqualTo(25);
            assertThat(x.lruvec(0).fileCost).isEqualTo(30);
        }
    }

    @Test
    @DisplayName(
            "shrink_active_list: deactivated pages get PG_workingset; PGREFILL on the memcg only in cgroup reclaim, PGDEACTIVATE on both")
    void shrinkActiveList() {
        Model.Booted b = Model.boot(ONE_MEMCG);
        MemCgroup a = b.memcg("/a");
        int[] pfns = b.faultAnon(b.task("t"), 64);
        for (int pfn : pfns) {
            b.activate(pfn);
        }
        ScanControl sc = new ScanControl(Gfp.GFP_HIGHUSER_MOVABLE, a, false);
        b.c.vmscan().shrinkActiveList(32, a.lruvec(0), a, sc, Lru.ACTIVE_ANON);
        assertThat(a.lruvec(0).size(Lru.INACTIVE_ANON)).isEqualTo(32);
        assertThat(a.lruvec(0).size(Lru.ACTIVE_ANON)).isEqualTo(32);
        long workingset = 0;
        for (int pfn : pfns) {
            if (!b.m.pages.test(pfn, PageFlags.PG_ACTIVE)) {
                assertThat(b.m.pages.test(pfn, PageFlags.PG_WORKINGSET)).isTrue();
                workingset++;
            }
        }
        assertThat(workingset).isEqualTo(32);
        assertThat(a.event(VmEvent.PGREFILL)).isEqualTo(32);
        assertThat(b.m.vmEvent(VmEvent.PGREFILL)).isZero();
        assertThat(a.event(VmEvent.PGDEACTIVATE)).isEqualTo(32);
        assertThat(b.m.vmEvent(VmEvent.PGDEACTIVATE)).isEqualTo(32);
    }

    @Test
    @DisplayName(
            "folio_check_references (5.18): a referenced anon page is kept on the first look, reclaimed on the next without a new access")
    void anonReferencedOnceIsKept() {
        Model.Booted b = Model.boot(ONE_MEMCG);
        MemCgroup a = b.memcg("/a");
        int pfn = b.faultAnon(b.task("t"), 1)[0];
        assertThat(b.reclaimOnePage(pfn, a)).isZero();
        // PAGEREF_KEEP: back on inactive_anon with PG_referenced, not activated (3.10/4.18 would)
        assertThat(b.m.pages.lru(pfn)).isEqualTo(Lru.INACTIVE_ANON);
        assertThat(b.m.pages.test(pfn, PageFlags.PG_REFERENCED)).isTrue();
        assertThat(b.m.vmEvent(VmEvent.PGACTIVATE)).isZero();
        assertThat(b.reclaimOnePage(pfn, a)).isEqualTo(1);
        assertThat(b.m.vmEvent(VmEvent.PSWPOUT)).isEqualTo(1);
        assertThat(b.task("t").swapEnts).isEqualTo(1);
    }

    @Test
    @DisplayName(
            "move_pages_to_lru: every page put back active ages its lruvec's nonresident_age, and the ancestors'; activate_locked counts PGACTIVATE")
    void movePagesToLruAges() {
        Model.Booted b = Model.boot(ONE_MEMCG);
        MemCgroup a = b.memcg("/a");
        int[] pfns = b.faultAnon(b.task("t"), 3);
        Lruvec lruvec = a.lruvec(0);
        // pfns[0] and pfns[2]: PG_referenced and a young pte -> PAGEREF_ACTIVATE;
        // pfns[1]: a young pte only -> PAGEREF_KEEP. Nothing is evicted, so only the putback ages.
        b.m.pages.set(pfns[0], PageFlags.PG_REFERENCED);
        b.m.pages.set(pfns[2], PageFlags.PG_REFERENCED);
        PageBatch list = new PageBatch();
        b.c.lruReclaim().isolate(lruvec, Lru.INACTIVE_ANON, 3, list);
        ScanControl sc = new ScanControl(Gfp.GFP_HIGHUSER_MOVABLE, a, false);
        sc.mayWritepage = true;
        long before = lruvec.nonresidentAge;
        long rootBefore = b.m.root().lruvec(0).nonresidentAge;
        assertThat(b.c.shrinkPageList().shrinkPageList(lruvec, a, list, sc).reclaimed)
                .isZero();
        assertThat(sc.nrScanned).isEqualTo(3);
        assertThat(lruvec.nonresidentAge - before).isEqualTo(2);
        assertThat(b.m.root().lruvec(0).nonresidentAge - rootBefore).isEqualTo(2);
        assertThat(lruvec.size(Lru.ACTIVE_ANON)).isEqualTo(2);
        assertThat(lruvec.size(Lru.INACTIVE_ANON)).isEqualTo(1);
        assertThat(a.event(VmEvent.PGACTIVATE)).isEqualTo(2);
        assertThat(b.m.vmEvent(VmEvent.PGACTIVATE)).isEqualTo(2);
    }

    @Test
    @DisplayName(
            "folio_rotate_reclaimable (5.18): a dirty file page reclaim activated goes to the inactive tail once written, PG_active cleared")
    void rotateWrittenPage() {
        Model.Booted b = Model.boot(ONE_MEMCG);
        MemCgroup a = b.memcg("/a");
        CachedFile f = writeFile(b, "/data/out", 4);
        int pfn = Entry.pfn(f.pages.get(0));
        assertThat(b.m.pages.test(pfn, PageFlags.PG_DIRTY)).isTrue();
        ReclaimStats stat = b.shrinkOnePage(pfn, a);
        assertThat(stat.reclaimed).isZero();
        // a dirty file page in direct/limit reclaim: PG_reclaim, activate_locked
        assertThat(stat.activated[Lru.FILE]).isEqualTo(1);
        assertThat(stat.unqueuedDirty).isEqualTo(1);
        assertThat(b.m.pages.lru(pfn)).isEqualTo(Lru.ACTIVE_FILE);
        assertThat(b.m.pages.test(pfn, PageFlags.PG_RECLAIM)).isTrue();
        b.m.writeback().flushAll();
        assertThat(b.m.pages.test(pfn, PageFlags.PG_WRITEBACK))
                .as("submitted, on the disk")
                .isTrue();
        b.m.clock.runUntil(b.m.clock.now() + 1_000_000_000L); // the disk completes the chunk
        assertThat(b.m.pages.test(pfn, PageFlags.PG_WRITEBACK)).isFalse();
        // folio_end_writeback -> lru_move_tail_fn: inactive tail, PG_active cleared, PGROTATED
        assertThat(b.m.pages.lru(pfn)).isEqualTo(Lru.INACTIVE_FILE);
        assertThat(b.m.pages.test(pfn, PageFlags.PG_ACTIVE)).isFalse();
        assertThat(a.lruvec(0).tail(Lru.INACTIVE_FILE)).isEqualTo(pfn);
        assertThat(b.m.vmEvent(VmEvent.PGROTATED)).isEqualTo(1);
    }

    @Test
    @DisplayName(
            "folio_check_dirty_writeback: a dirty file page counts as nr_unqueued_dirty even when folio_check_references keeps it")
    void dirtyCountedBeforeReferences() {
        Model.Booted b = Model.boot(ONE_MEMCG);
        MemCgroup a = b.memcg("/a");
        Task t = b.task("t");
        CachedFile f = writeFile(b, "/data/mapped", 1);
        Vma vma = new Vma(t, f.id(), 0, 1, false, false);
        t.addFileVma(vma);
        f.addMapping(vma);
        b.m.current = t;
        assertThat(new Mm(b.m).filemapFault(t, vma, 0)).isEqualTo(Mm.OK);
        b.m.current = null;
        int pfn = Entry.pfn(f.pages.get(0));
        b.m.pages.clear(pfn, PageFlags.PG_REFERENCED);
        ReclaimStats stat = b.shrinkOnePage(pfn, a);
        assertThat(stat.reclaimed).isZero();
        // one young pte, no PG_referenced: PAGEREF_KEEP, before the dirty-page branch
        assertThat(b.m.pages.lru(pfn)).isEqualTo(Lru.INACTIVE_FILE);
        assertThat(b.m.pages.test(pfn, PageFlags.PG_RECLAIM)).isFalse();
        assertThat(stat.unqueuedDirty).isEqualTo(1);
    }

    @Test
    @DisplayName(
            "activate_locked: an activated swap cache page no pte refers to gives its slot back once mem_cgroup_swap_full (vm_swap_full)")
    void activateFreesSwapWhenFull() {
        Model.Booted b = Model.boot("""
            name: swap-full
            host: {memory: 64M, swap: 12K}
            cgroup: v2
            cgroups:
              /c: {}
            tasks:
              t: {cgroup: /c, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup c = b.memcg("/c");
        Task t = b.task("t");
        int[] pfns = b.faultAnon(t, 2);
        b.clearYoung(pfns[0]);
        assertThat(b.reclaimOnePage(pfns[0], c)).isEqualTo(1);
        // do_swap_page: the slot's last pte reference goes, the swap cache keeps it (1 of 3 slots
        // in use is not vm_swap_full)
        b.m.current = t;
        assertThat(new Mm(b.m).handleAnonFault(t, 0)).isEqualTo(Mm.OK);
        b.m.current = null;
        int swapped = Entry.pfn(t.anon.get(0));
        assertThat(b.m.pages.test(swapped, PageFlags.PG_SWAPCACHE)).isTrue();
        b.clearYoung(pfns[1]);
        assertThat(b.reclaimOnePage(pfns[1], c)).isEqualTo(1);
        assertThat(b.m.swap.inuse()).isEqualTo(2); // 2 * 2 > 3: vm_swap_full
        b.m.pages.set(swapped, PageFlags.PG_REFERENCED);
        t.anonVma.markYoung(0);
        assertThat(b.reclaimOnePage(swapped, c)).isZero();
        assertThat(b.m.pages.lru(swapped)).isEqualTo(Lru.ACTIVE_ANON);
        // try_to_free_swap: out of the swap cache, dirty again, the slot free
        assertThat(b.m.pages.test(swapped, PageFlags.PG_SWAPCACHE)).isFalse();
        assertThat(b.m.pages.test(swapped, PageFlags.PG_DIRTY)).isTrue();
        assertThat(b.m.swap.inuse()).isEqualTo(1);
    }

    /** Buffered writes of {@code n} pages to a new file by task t: dirty page cache. */
    private static CachedFile writeFile(Model.Booted b, String path, int n) {
        CachedFile f = b.m.files.open(path);
        b.m.current = b.task("t");
        for (int i = 0; i < n; i++) {
            assertThat(new Mm(b.m).bufferedWritePage(b.task("t"), f)).isEqualTo(Mm.OK);
        }
        b.m.current = null;
        return f;
    }
}
