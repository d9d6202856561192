package dev.memcgdiff.linux418;

import static dev.memcgdiff.testing.ScenarioHarness.K;
import static dev.memcgdiff.testing.ScenarioHarness.M;
import static dev.memcgdiff.testing.ScenarioHarness.PAGE;
import static dev.memcgdiff.testing.ScenarioHarness.event;
import static dev.memcgdiff.testing.ScenarioHarness.events;
import static dev.memcgdiff.testing.ScenarioHarness.file;
import static dev.memcgdiff.testing.ScenarioHarness.frames;
import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static dev.memcgdiff.testing.ScenarioHarness.line;
import static dev.memcgdiff.testing.ScenarioHarness.numberAfter;
import static dev.memcgdiff.testing.ScenarioHarness.onlyKill;
import static dev.memcgdiff.testing.ScenarioHarness.pages;
import static dev.memcgdiff.testing.ScenarioHarness.result;
import static dev.memcgdiff.testing.ScenarioHarness.stat;
import static dev.memcgdiff.testing.ScenarioHarness.times;
import static dev.memcgdiff.testing.ScenarioHarness.vmstat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.kernel.ChargeRequest;
import dev.memcgdiff.kernel.ChargeRequest.Purpose;
import dev.memcgdiff.kernel.ChargeResult;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.oom.OomKillRecord;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.outcome.Outcome;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** try_charge and mem_cgroup_oom (mm/memcontrol.c, RHEL 8.1 4.18.0-147 with the 4.19 OOM backport). */
class TryChargeTest {

    /** /a may hold nothing: every charge fails and nothing can be reclaimed. */
    private static final String ZERO = """
        name: zero
        host: {memory: 64M}
        cgroup: v2
        cgroups:
          /a: {memory.max: 0}
        tasks:
          t: {cgroup: /a, pid: 100}
        steps:
          - snapshot: start
        """;

    @Test
    @DisplayName(
            "try_charge: 5 retries without progress are 7 reclaim calls and 7 memory.events max, then one oom and the kill")
    void sevenMaxEventsThenOom() {
        // Page 2561 does not fit: the 32-page batch fails, the single page fails. Reclaim #1
        // (no file, no swap: nothing), the margin is 0, drain_all_stock, retry; reclaim #2,
        // then nr_retries-- takes 5 to 0 with a retry each time (#3..#7); the 6th test of
        // nr_retries-- is false and the charge falls through to MEMCG_OOM and mem_cgroup_oom.
        Outcome o = Model.run("""
            name: retries
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 10M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 20M}
            """);
        assertThat(event(o, null, "/a", "max")).isEqualTo(7);
        assertThat(event(o, null, "/a", "oom")).isEqualTo(1);
        assertThat(event(o, null, "/a", "oom_kill")).isEqualTo(1);
        assertThat(events(o, 0, TracePoints.CHARGE_RECLAIM_MEMORY))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.memcg()).as("mem_over_limit").isEqualTo("/a");
                    assertThat(e.times()).isEqualTo(7);
                });
        assertThat(times(o, 0, TracePoints.MEM_CGROUP_OOM_SUCCESS)).isEqualTo(1);
        OomKillRecord k = onlyKill(o);
        // failcnt at the kill: the batch attempt plus one failure before each of the 7 reclaims.
        assertThat(line(k, "memory: ")).isEqualTo("memory: usage 10240kB, limit 10240kB, failcnt 8");
        assertThat(result(o, 0)).isEqualTo("killed");
        assertThat(pages(o, 0)).isEqualTo(10 * M / PAGE);
    }

    @Test
    @DisplayName(
            "try_charge: the first charge takes a whole batch of 32 pages into the stock; near the limit the batch falls back to nr")
    void batchThenNr() {
        Outcome o = Model.run("""
            name: batch
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {}
              /b: {memory.max: 100K}
            tasks:
              t: {cgroup: /a, pid: 100}
              u: {cgroup: /b, pid: 101}
            steps:
              - anon: {task: t, size: 4K}
              - snapshot: one
              - anon: {task: t, size: 4K}
              - snapshot: two
              - anon: {task: u, size: 8K}
            """);
        assertThat(file(o, "one", "/a", "memory.current")).isEqualTo(32 * PAGE);
        assertThat(file(o, "two", "/a", "memory.current"))
                .as("consume_stock: no counter touched")
                .isEqualTo(32 * PAGE);
        // /b has room for 25 pages: batch 32 fails (failcnt 1), batch = 1 succeeds, twice.
        assertThat(file(o, null, "/b", "memory.current")).isEqualTo(2 * PAGE);
        assertThat(event(o, null, "/b", "max")).isZero();
    }

    @Test
    @DisplayName("try_charge (v1): memsw is charged before memory, so with both full only memory+swap counts failures")
    void memswChargedFirst() {
        // page_counter_try_charge(&memsw) fails before memory is tried: 1 failure for the
        // batch and 7 before the 7 reclaims land on memsw; the memory counter never fails.
        Outcome o = Model.run("""
            name: memsw-first
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 1M, memory.memsw.limit_in_bytes: 1M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 2M}
            """);
        OomKillRecord k = onlyKill(o);
        assertThat(k.limit()).isEqualTo("memsw");
        assertThat(line(k, "memory: ")).isEqualTo("memory: usage 1024kB, limit 1024kB, failcnt 0");
        assertThat(line(k, "memory+swap: ")).isEqualTo("memory+swap: usage 1024kB, limit 1024kB, failcnt 8");
        assertThat(o.events(TracePoints.CHARGE_RECLAIM_MEMSW))
                .anyMatch(e -> e.memcg().equals("/a"));
        assertThat(o.times(TracePoints.CHARGE_RECLAIM_MEMORY))
                .as("the memory counter never fails")
                .isZero();
    }

    @Test
    @DisplayName(
            "try_charge (v1): once memory+swap is short, reclaim runs with may_swap=0: swap stops at memsw minus memory, then OOM")
    void memswFailureStopsSwap() {
        // memory (20M) fills first: reclaim with may_swap=1 swaps anon out, memsw keeps the
        // swapped pages. When memsw (24M) has less than a batch of room the batch fails on
        // memsw and may_swap latches to 0 for the rest of the charge: no more swap-out, OOM.
        Outcome o = Model.run("""
            name: memsw-noswap
            host: {memory: 512M, swap: 256M}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 20M, memory.memsw.limit_in_bytes: 24M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 40M}
            """);
        assertThat(o.events(TracePoints.CHARGE_RECLAIM_MEMORY))
                .anyMatch(e -> e.memcg().equals("/a"));
        assertThat(Stream.concat(
                        o.events(TracePoints.CHARGE_RECLAIM_MEMSW).stream(),
                        o.events(TracePoints.CHARGE_RECLAIM_MEMORY_NOSWAP).stream()))
                .as("reclaim with may_swap=0")
                .anyMatch(e -> e.memcg().equals("/a"));
        OomKillRecord k = onlyKill(o);
        String memory = line(k, "memory: ");
        String memsw = line(k, "memory+swap: ");
        String stats = line(k, "Memory cgroup stats for /a:");
        long memoryKb = numberAfter(memory, "usage ");
        long memswKb = numberAfter(memsw, "usage ");
        long swapKb = numberAfter(stats, " swap:");
        assertThat(memsw).contains("limit 24576kB");
        assertThat(memswKb).isLessThanOrEqualTo(24 * K).isGreaterThan(24 * K - 32 * 4);
        assertThat(swapKb).as("memsw counts memory + swap").isEqualTo(memswKb - memoryKb);
        assertThat(swapKb).isLessThanOrEqualTo(24 * K - memoryKb);
    }

    @Test
    @DisplayName(
            "try_charge: mem_over_limit is the counter that failed: an ancestor at its limit reclaims its subtree, the child below its own limit counts no max")
    void ancestorLimitReclaimsChild() {
        Outcome o = Model.run("""
            name: ancestor
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /p: {memory.max: 20M}
              /p/c: {memory.max: 100M}
            tasks:
              t: {cgroup: /p/c, pid: 100}
            steps:
              - read: {task: t, file: /data/f, size: 40M}
            """);
        assertThat(events(o, 0, TracePoints.CHARGE_RECLAIM_MEMORY))
                .as("mem_over_limit")
                .anyMatch(e -> e.memcg().equals("/p"))
                .noneMatch(e -> e.memcg().equals("/p/c"));
        assertThat(o.times(TracePoints.CHARGE_RECLAIM_MEMORY_NOSWAP) + o.times(TracePoints.CHARGE_RECLAIM_MEMSW))
                .isZero();
        assertThat(event(o, null, "/p", "max")).isPositive();
        assertThat(event(o, null, "/p/c", "max")).isZero();
        assertThat(stat(o, null, "/p/c", "pgsteal"))
                .as("the pages reclaimed were the child's")
                .isPositive();
        assertThat(file(o, null, "/p/c", "memory.current")).isLessThanOrEqualTo(20 * M);
        assertThat(result(o, 0)).isEqualTo("ok");
        assertThat(o.oomKills()).isEmpty();
    }

    @Test
    @DisplayName("try_charge: an OOM victim's charge is forced past the limit before any reclaim (tsk_is_oom_victim)")
    void forceChargeForVictim() {
        Model.Booted b = Model.boot(ZERO);
        MemCgroup a = b.memcg("/a");
        Task t = b.task("t");
        t.oomVictim = true;
        assertThat(b.c.memcontrol().tryCharge(new ChargeRequest(a, 1, Gfp.GFP_KERNEL, t, true, Purpose.ANON)))
                .isEqualTo(ChargeResult.charged(a));
        assertThat(a.memory.usage()).isEqualTo(1);
        assertThat(a.memory.max()).isZero();
        assertThat(a.memoryEvent(MemoryEvent.MAX))
                .as("force comes before MEMCG_MAX")
                .isZero();
        assertThat(a.memory.failcnt()).as("batch, then one page").isEqualTo(2);
    }

    @Test
    @DisplayName(
            "try_charge nomem: -ENOMEM unless __GFP_NOFAIL, which is forced (task_in_memcg_oom, no direct reclaim)")
    void nomemForcesNofail() {
        Model.Booted b = Model.boot(ZERO);
        MemCgroup a = b.memcg("/a");
        Task t = b.task("t");
        int noReclaim = Gfp.GFP_KERNEL & ~Gfp.DIRECT_RECLAIM;
        Memcontrol memcontrol = b.c.memcontrol();
        assertThat(memcontrol.tryCharge(new ChargeRequest(a, 1, noReclaim, t, false, Purpose.CACHE)))
                .isEqualTo(ChargeResult.FAILED);
        assertThat(memcontrol.tryCharge(new ChargeRequest(a, 1, noReclaim | Gfp.NOFAIL, t, false, Purpose.CACHE)))
                .isEqualTo(ChargeResult.charged(a));
        assertThat(a.memory.usage()).isEqualTo(1);
        t.memcgInOom = a;
        assertThat(memcontrol.tryCharge(new ChargeRequest(a, 1, Gfp.GFP_KERNEL, t, false, Purpose.CACHE)))
                .isEqualTo(ChargeResult.FAILED);
        assertThat(memcontrol.tryCharge(new ChargeRequest(a, 1, Gfp.GFP_KERNEL | Gfp.NOFAIL, t, false, Purpose.CACHE)))
                .isEqualTo(ChargeResult.charged(a));
        assertThat(a.memory.usage()).isEqualTo(2);
        assertThat(a.memoryEvent(MemoryEvent.MAX))
                .as("nomem comes before MEMCG_MAX on both paths")
                .isZero();
    }

    @Test
    @DisplayName("try_charge: the root memcg is never charged")
    void rootNeverCharged() {
        Model.Booted b = Model.boot(ZERO);
        MemCgroup root = b.m.root();
        assertThat(b.c.memcontrol()
                        .tryCharge(new ChargeRequest(root, 1, Gfp.GFP_KERNEL, b.task("t"), true, Purpose.ANON)))
                .isEqualTo(ChargeResult.charged(root));
        assertThat(root.memory.usage()).isZero();
    }

    @Test
    @DisplayName(
            "try_charge: MEMCG_OOM is counted before mem_cgroup_oom's order check: a 512-page GFP_KERNEL charge counts oom but never kills")
    void costlyOrderCountsOomButNeverKills() {
        Model.Booted b = Model.boot("""
            name: order
            host: {memory: 64M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 1M}
            tasks:
              t: {cgroup: /a, pid: 100}
              u: {cgroup: /a, pid: 101}
            steps:
              - snapshot: start
            """);
        MemCgroup a = b.memcg("/a");
        b.faultAnon(b.task("u"), 256);
        long before = a.memoryEvent(MemoryEvent.MAX);
        ChargeResult charge =
                b.c.memcontrol().tryCharge(new ChargeRequest(a, 512, Gfp.GFP_KERNEL, b.task("t"), true, Purpose.THP));
        assertThat(charge.charged()).isFalse();
        // batch = max(32, 512) = 512 = nr: no batch retry; 7 reclaims as for one page, then
        // MEMCG_OOM; get_order(2 MiB) = 9 > PAGE_ALLOC_COSTLY_ORDER: OOM_SKIPPED, -ENOMEM.
        assertThat(a.memoryEvent(MemoryEvent.MAX) - before).isEqualTo(7);
        assertThat(a.memoryEvent(MemoryEvent.OOM)).isEqualTo(1);
        assertThat(b.m.oomKills()).isEmpty();
        assertThat(b.task("u").alive()).isTrue();
    }

    @Test
    @DisplayName(
            "THP fault (GFP_TRANSHUGE_LIGHT, no __GFP_DIRECT_RECLAIM): a failed huge charge returns at once, no max and no oom event, and falls back")
    void thpChargeCannotBlock() {
        // The first huge page fits (512 of 768 pages). The second does not: gfpflags_allow_blocking
        // is false, so try_charge goes to nomem before MEMCG_MAX. The 4K fallback pages then fill
        // the limit and the 257th of them gives the only max/oom events: 7 and 1.
        Outcome o = Model.run("""
            name: thp
            host: {memory: 256M, thp: always}
            cgroup: v2
            cgroups:
              /a: {memory.max: 3M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 8M}
            """);
        assertThat(vmstat(o, null, "thp_fault_alloc")).isEqualTo(1);
        assertThat(vmstat(o, null, "thp_fault_fallback")).isEqualTo(1);
        assertThat(event(o, null, "/a", "max")).isEqualTo(7);
        assertThat(event(o, null, "/a", "oom")).isEqualTo(1);
        assertThat(onlyKill(o).victim()).isEqualTo("t");
        assertThat(pages(o, 0)).isEqualTo(3 * M / PAGE);
    }

    @Test
    @DisplayName(
            "try_charge (4.19 backport): a tmpfs write(2) charge OOM-kills synchronously, from the syscall, with the mapping's GFP_HIGHUSER_MOVABLE")
    void shmemWriteOomsSynchronously() {
        Outcome o = Model.run("""
            name: shmem-oom
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 10M}
            tasks:
              java: {cgroup: /a, pid: 100, oom_score_adj: 916}
            steps:
              - shmem: {task: java, file: /dev/shm/data, size: 20M}
            """);
        OomKillRecord k = onlyKill(o);
        assertThat(k.report().get(0))
                .isEqualTo(
                        "java invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), order=0, oom_score_adj=916");
        // incidents/4.18-memcg-shmem-write-memsw.log, without offsets, "? " guesses and the .29 clone suffix.
        assertThat(frames(k))
                .containsExactly(
                        "dump_stack",
                        "dump_header",
                        "oom_kill_process.cold",
                        "out_of_memory",
                        "mem_cgroup_out_of_memory",
                        "try_charge",
                        "mem_cgroup_try_charge",
                        "mem_cgroup_try_charge_delay",
                        "shmem_getpage_gfp",
                        "shmem_write_begin",
                        "generic_perform_write",
                        "__generic_file_write_iter",
                        "generic_file_write_iter",
                        "new_sync_write",
                        "vfs_write",
                        "ksys_write",
                        "do_syscall_64",
                        "entry_SYSCALL_64_after_hwframe");
        assertThat(result(o, 0)).isEqualTo("killed");
        assertThat(k.constraint()).isEqualTo("CONSTRAINT_MEMCG");
    }

    @Test
    @DisplayName(
            "try_charge (4.19 backport): read(2)'s GFP_KERNEL page cache charge OOM-kills from the syscall; the read then goes on")
    void readOomsSynchronously() {
        Outcome o = Model.run("""
            name: read-oom
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 10M}
            tasks:
              hog: {cgroup: /a, pid: 100}
              reader: {cgroup: /a, pid: 101}
            steps:
              - anon: {task: hog, size: 10M}
              - read: {task: reader, file: /data/f, size: 1M}
            """);
        OomKillRecord k = onlyKill(o);
        assertThat(k.victim()).isEqualTo("hog");
        assertThat(k.report().get(0)).startsWith("reader invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL),");
        assertThat(k.report())
                .containsSubsequence(
                        " try_charge",
                        " mem_cgroup_try_charge",
                        " __add_to_page_cache_locked",
                        " add_to_page_cache_lru",
                        " generic_file_buffered_read",
                        " vfs_read",
                        " ksys_read");
        assertThat(result(o, 1)).isEqualTo("ok");
        assertThat(pages(o, 1)).isEqualTo(256);
    }

    @Test
    @DisplayName(
            "mem_cgroup_handle_over_high: return to user reclaims the batches charged over memory.high; MEMCG_HIGH counts on the level over high")
    void memoryHighOnReturnToUser() {
        Outcome o = Model.run("""
            name: high
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /p: {memory.high: 4M}
              /p/c: {}
            tasks:
              t: {cgroup: /p/c, pid: 100}
            steps:
              - read: {task: t, file: /data/f, size: 16M}
            """);
        assertThat(event(o, null, "/p", "high")).isPositive();
        assertThat(event(o, null, "/p/c", "high"))
                .as("/p/c is not over a high of its own")
                .isZero();
        assertThat(event(o, null, "/p", "max")).isZero();
        // Each batch charged over high is reclaimed (max(32, 32) pages) before the next page:
        // usage stays within one batch of memory.high.
        assertThat(file(o, null, "/p", "memory.current"))
                .isLessThanOrEqualTo(4 * M + 32 * PAGE)
                .isGreaterThan(3 * M);
        assertThat(stat(o, null, "/p/c", "pgsteal")).isPositive();
        assertThat(result(o, 0)).isEqualTo("ok");
    }

    @Test
    @DisplayName(
            "mem_cgroup_oom (v1 oom_kill_disable): in a page fault the task sleeps in mem_cgroup_oom_synchronize, under_oom 1, no kill")
    void oomKillDisableFaultHangs() {
        Outcome o = Model.run("""
            name: oom-disable
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 10M, memory.oom_control: 1}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 20M}
            """);
        assertThat(o.oomKills()).isEmpty();
        assertThat(result(o, 0)).isEqualTo("hung");
        assertThat(keyed(o, null, "/a", "memory.oom_control"))
                .containsEntry("oom_kill_disable", 1L)
                .containsEntry("under_oom", 1L)
                .containsEntry("oom_kill", 0L);
    }

    @Test
    @DisplayName(
            "mem_cgroup_oom (v1 oom_kill_disable): outside a fault (read, tmpfs write) it is OOM_SKIPPED: -ENOMEM, under_oom 0")
    void oomKillDisableSyscallEnomem() {
        Outcome o = Model.run("""
            name: oom-disable-syscall
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 10M, memory.oom_control: 1}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 10M}
              - read: {task: t, file: /data/f, size: 4M}
              - shmem: {task: t, file: /dev/shm/x, size: 4M}
            """);
        assertThat(o.oomKills()).isEmpty();
        assertThat(result(o, 1)).isEqualTo("enomem");
        assertThat(result(o, 2)).isEqualTo("enomem");
        assertThat(keyed(o, null, "/a", "memory.oom_control")).containsEntry("under_oom", 0L);
    }
}
