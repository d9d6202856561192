package dev.memcgdiff.linux310;

import static dev.memcgdiff.linux310.Model.run;
import static dev.memcgdiff.mm.TracePoints.THP_FALLBACK;
import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.PAGE;
import static dev.memcgdiff.testing.ScenarioHarness.events;
import static dev.memcgdiff.testing.ScenarioHarness.file;
import static dev.memcgdiff.testing.ScenarioHarness.pages;
import static dev.memcgdiff.testing.ScenarioHarness.result;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static dev.memcgdiff.testing.ScenarioHarness.vmstat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.outcome.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The charge path: __mem_cgroup_try_charge, mem_cgroup_do_charge and mem_cgroup_reclaim (3.10.0-1160). */
class ChargeTest {

    @Test
    @DisplayName("__mem_cgroup_try_charge: one failed batch of 32, then 5 NOMEM retries and a 6th that records the OOM")
    void retriesBeforeTheOom() {
        // 64M = 16384 pages = 512 batches of 32: the next page finds the stock empty, its batch of
        // 32 fails (failcnt 1, CHARGE_RETRY without reclaim), then the single page fails six
        // times, each after one mem_cgroup_reclaim (failcnt 7); the sixth calls mem_cgroup_oom.
        Outcome o = run("""
            name: retries
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 64M}
            tasks:
              a: {cgroup: /pod, pid: 100, uid: 1000}
            steps:
              - anon: {task: a, size: 65M}
            """);
        assertThat(result(o, 0)).isEqualTo("killed");
        assertThat(o.oomKills()).hasSize(1);
        assertThat(o.oomKills().get(0).report()).contains("memory: usage 65536kB, limit 65536kB, failcnt 7");
        assertThat(events(o, 0, TracePoints.MEMORY_LIMIT_RECLAIM))
                .as("six mem_cgroup_reclaim(/pod), none freeing a page")
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.memcg()).isEqualTo("/pod");
                    assertThat(e.times()).isEqualTo(6);
                    assertThat(e.number("reclaimed")).isZero();
                });
        assertThat(events(o, 0, TracePoints.OOM_RECORDED))
                .extracting(TraceEvent::memcg)
                .containsExactly("/pod");
    }

    @Test
    @DisplayName(
            "mem_cgroup_do_charge: memory is charged first; a memsw failure reclaims with NOSWAP, so swap stops growing")
    void memswFailureReclaimsNoswap() {
        // memory 16M, memsw 24M, 64M of swap. The anon fill pushes 4M+ to swap through memory-limit
        // reclaim. Once memory+swap is full, a charge passes the memory counter and fails on
        // memsw: the memory charge is undone, memsw's owner is reclaimed with NOSWAP, which finds
        // no file page, and the tmpfs writes (syscalls) get ENOMEM. Swap cannot grow after that.
        Outcome o = run("""
            name: memsw
            host: {memory: 512M, swap: 64M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 16M, memory.memsw.limit_in_bytes: 24M}
            tasks:
              a: {cgroup: /pod, pid: 100, uid: 1000}
            steps:
              - anon: {task: a, size: 20M}
              - shmem: {task: a, file: /dev/shm/x, size: 8M}
              - snapshot: full
              - shmem: {task: a, file: /dev/shm/y, size: 4M}
            """);
        assertThat(result(o, 1)).isEqualTo("enomem");
        assertThat(result(o, 3)).isEqualTo("enomem");
        assertThat(o.oomKills()).isEmpty();
        assertThat(file(o, "full", "/pod", "memory.memsw.usage_in_bytes")).isEqualTo(24 * M);
        assertThat(file(o, "full", "/pod", "memory.memsw.failcnt")).isPositive();
        assertThat(stat(o, "full", "/pod", "swap")).isPositive();
        assertThat(stat(o, null, "/pod", "swap")).isEqualTo(stat(o, "full", "/pod", "swap"));
        assertThat(vmstat(o, null, "pswpout")).isEqualTo(vmstat(o, "full", "pswpout"));
        assertThat(events(o, 3, TracePoints.MEMSW_LIMIT_RECLAIM_NOSWAP))
                .extracting(TraceEvent::memcg)
                .containsExactly("/pod");
        assertThat(events(o, 3, TracePoints.MEMORY_LIMIT_RECLAIM))
                .as("the memory counter never fails there")
                .isEmpty();
    }

    @Test
    @DisplayName("mem_cgroup_reclaim: memory.limit == memsw.limit (memsw_is_minimum) makes charge reclaim never swap")
    void memswIsMinimumMeansNoswap() {
        Outcome o = run("""
            name: memsw-minimum
            host: {memory: 512M, swap: 64M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 16M, memory.memsw.limit_in_bytes: 16M}
            tasks:
              a: {cgroup: /pod, pid: 100, uid: 1000}
            steps:
              - anon: {task: a, size: 20M}
            """);
        assertThat(result(o, 0)).isEqualTo("killed");
        assertThat(vmstat(o, null, "pswpout")).isZero();
        assertThat(o.oomKills().get(0).limit()).isEqualTo("memory");
    }

    @Test
    @DisplayName(
            "mem_cgroup_charge_common: a THP charge at the limit never OOM-kills; the fault falls back to 4K pages")
    void thpChargeFallsBack() {
        // 7M = 1792 pages holds three 512-page THPs (1536); the fourth needs 512 with 256 left:
        // one reclaim finds nothing, margin < 512, CHARGE_NOMEM with oom=false: -ENOMEM and
        // THP_FAULT_FALLBACK. The 4K fallback pages then fill the 256 and the 257th is OOM-killed.
        Outcome o = run("""
            name: thp
            host: {memory: 512M, thp: always}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 7M}
            tasks:
              a: {cgroup: /pod, pid: 100, uid: 1000}
            steps:
              - anon: {task: a, size: 6M}
              - snapshot: huge
              - anon: {task: a, size: 2M}
            """);
        assertThat(stat(o, "huge", "/pod", "rss_huge")).isEqualTo(6 * M);
        assertThat(vmstat(o, "huge", "thp_fault_alloc")).isEqualTo(3);
        assertThat(result(o, 2)).isEqualTo("killed");
        assertThat(o.steps().get(2).pages()).isEqualTo(256);
        assertThat(vmstat(o, null, "thp_fault_fallback")).isEqualTo(1);
        assertThat(events(o, 2, TracePoints.ENOMEM_NO_OOM))
                .as("the THP charge (oom=false) fails once, without OOM")
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.memcg()).isEqualTo("/pod");
                    assertThat(e.times()).isEqualTo(1);
                });
        assertThat(events(o, 2, THP_FALLBACK)).extracting(TraceEvent::memcg).containsExactly("/pod");
        assertThat(o.oomKills()).hasSize(1);
    }

    @Test
    @DisplayName(
            "__mem_cgroup_try_charge: the root cgroup is never charged; its usage_in_bytes is the tree's cache+rss")
    void rootIsNeverCharged() {
        Outcome o = run("""
            name: root
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {}
            tasks:
              r: {cgroup: /, pid: 100}
              a: {cgroup: /pod, pid: 101}
            steps:
              - anon: {task: r, size: 4M}
              - anon: {task: a, size: 2M}
            """);
        assertThat(file(o, null, "/", "memory.max_usage_in_bytes")).isZero();
        assertThat(file(o, null, "/", "memory.failcnt")).isZero();
        assertThat(file(o, null, "/", "memory.usage_in_bytes")).isEqualTo(6 * M);
        assertThat(stat(o, null, "/", "rss")).isEqualTo(4 * M);
        assertThat(stat(o, null, "/", "total_rss")).isEqualTo(6 * M);
    }

    @Test
    @DisplayName("refill_stock: a charge takes 32 pages at once, so usage_in_bytes runs ahead of rss by the stock")
    void stockPrecharges() {
        // 1M = 256 pages = 8 batches; one more page takes a 9th batch: 31 pages sit in the stock.
        Outcome o = run("""
            name: stock
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {}
            tasks:
              a: {cgroup: /pod, pid: 100}
            steps:
              - anon: {task: a, size: 1028K}
            """);
        assertThat(stat(o, null, "/pod", "rss")).isEqualTo(257 * PAGE);
        assertThat(file(o, null, "/pod", "memory.usage_in_bytes")).isEqualTo(288 * PAGE);
    }

    @Test
    @DisplayName("page_counter_memparse: a limit in bytes rounds down to whole pages")
    void limitRoundsDown() {
        Outcome o = run("""
            name: memparse
            host: {memory: 512M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 10000}
            tasks: {}
            steps:
              - snapshot: s
            """);
        assertThat(file(o, "s", "/pod", "memory.limit_in_bytes")).isEqualTo(8192);
    }

    @Test
    @DisplayName(
            "__mem_cgroup_try_charge: a TIF_MEMDIE task's charge bypasses to the root cgroup; its own memcg is not charged")
    void tifMemdieBypassesToRoot() {
        // 256M host, no swap, /pod limited far above RAM: a's fault finds no free page, the
        // global OOM killer picks a (the only task) and marks it TIF_MEMDIE; the allocation then
        // succeeds from the reserves, and the charge of that page goes to root_mem_cgroup without
        // touching any counter (commit to root: one pgpgin on root's own stat). The page is freed
        // when a exits: one pgpgout on root. Every page /pod was charged for, it gives back.
        Outcome o = run("""
            name: bypass
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 1G}
            tasks:
              a: {cgroup: /pod, pid: 100, uid: 1000}
            steps:
              - anon: {task: a, size: 300M}
            """);
        assertThat(result(o, 0)).isEqualTo("killed");
        assertThat(o.oomKills()).hasSize(1);
        assertThat(o.oomKills().get(0).constraint()).isEqualTo("CONSTRAINT_NONE");
        assertThat(events(o, 0, TracePoints.BYPASS_TIF_MEMDIE)).singleElement().satisfies(e -> {
            assertThat(e.memcg()).isEqualTo("/pod");
            assertThat(e.times()).isEqualTo(1);
            assertThat(e.number("pages")).isEqualTo(1);
        });
        assertThat(stat(o, null, "/", "pgpgin"))
                .as("the bypassed page was committed to root")
                .isEqualTo(1);
        assertThat(stat(o, null, "/", "pgpgout"))
                .as("and uncharged from root when a exited")
                .isEqualTo(1);
        assertThat(file(o, null, "/", "memory.max_usage_in_bytes"))
                .as("root's counter is never charged")
                .isZero();
        assertThat(stat(o, null, "/pod", "pgpgin"))
                .as("/pod was charged only for the pages before the kill")
                .isEqualTo(pages(o, 0));
        assertThat(file(o, null, "/pod", "memory.max_usage_in_bytes")).isEqualTo(pages(o, 0) * PAGE);
        assertThat(file(o, null, "/pod", "memory.usage_in_bytes")).isZero();
    }

    @Test
    @DisplayName("mem_cgroup_charge_statistics: a THP charge of 512 pages counts one pgpgin")
    void thpChargeCountsOnePgpgin() {
        Outcome o = run("""
            name: thp-pgpgin
            host: {memory: 512M, thp: always}
            cgroup: v1
            cgroups:
              /pod: {}
            tasks:
              a: {cgroup: /pod, pid: 100, uid: 1000}
            steps:
              - anon: {task: a, size: 4M}
            """);
        assertThat(stat(o, null, "/pod", "rss_huge")).isEqualTo(4 * M);
        assertThat(vmstat(o, null, "thp_fault_alloc")).isEqualTo(2);
        assertThat(stat(o, null, "/pod", "pgpgin")).isEqualTo(2);
    }

    @Test
    @DisplayName(
            "do_swap_page: PGMAJFAULT is counted before mem_cgroup_try_charge_swapin, so a swap-in whose charge fails still counts")
    void majorFaultCountedBeforeTheSwapinCharge() {
        // memory 16M, memsw 24M: the 24M fill leaves 8M in swap and memsw exactly full. Touching
        // the first (swapped) page reads it in and counts the major fault; its charge then fails
        // on memsw (NOSWAP reclaim finds nothing), the fault OOMs and a, the only task, dies.
        Outcome o = run("""
            name: majfault
            host: {memory: 512M, swap: 64M}
            cgroup: v1
            cgroups:
              /pod: {memory.limit_in_bytes: 16M, memory.memsw.limit_in_bytes: 24M}
            tasks:
              a: {cgroup: /pod, pid: 100, uid: 1000}
            steps:
              - anon: {task: a, size: 24M}
              - snapshot: full
              - touch: {task: a, what: anon, size: 24M}
            """);
        assertThat(stat(o, "full", "/pod", "swap")).isEqualTo(8 * M);
        assertThat(stat(o, "full", "/pod", "pgmajfault")).isZero();
        assertThat(result(o, 2)).isEqualTo("killed");
        assertThat(pages(o, 2)).isZero();
        assertThat(o.oomKills().get(0).limit()).isEqualTo("memsw");
        assertThat(stat(o, null, "/pod", "pgmajfault")).isEqualTo(1);
        assertThat(vmstat(o, null, "pgmajfault")).isEqualTo(1);
    }
}
