package dev.memcgdiff.linux518;

import static dev.memcgdiff.testing.ScenarioHarness.keyed;
import static dev.memcgdiff.testing.ScenarioHarness.raw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.kernel.ChargeRequest;
import dev.memcgdiff.kernel.ChargeRequest.Purpose;
import dev.memcgdiff.kernel.ChargeResult;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Trace;
import dev.memcgdiff.mm.TraceEvent;
import dev.memcgdiff.mm.memcg.LimitKind;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.outcome.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** try_charge_memcg (mm/memcontrol.c, 5.18): the decision order, retries, OOM and force. */
class TryChargeMemcgTest {
    private static final long MB = 1 << 20;

    /** /a with memory.max 0: every charge fails, and no page can be reclaimed. */
    private static final String ZERO_MAX = """
        name: zero-max
        host: {memory: 64M}
        cgroup: v2
        cgroups:
          /a: {memory.max: 0}
        tasks:
          t: {cgroup: /, pid: 100}
        steps:
          - snapshot: start
        """;

    @Test
    @DisplayName(
            "try_charge_memcg: 16 reclaim retries without progress (18 MEMCG_MAX events), then mem_cgroup_oom kills")
    void retriesThenOom() {
        // No swap and no page cache: reclaim frees nothing. The page that does not fit raises
        // MAX once before the stock drain, once more on the drain retry, then once for each of
        // the 16 retries (nr_retries-- from 16 to 0 continues 16 times) and once on the pass that
        // falls through to mem_cgroup_oom: 18. u (60M) outscores t (40M) and is killed; its
        // memory comes back and t's charge goes through.
        Outcome o = Model.run("""
            name: retries
            host: {memory: 1G}
            cgroup: v2
            cgroups:
              /a: {memory.max: 100M}
            tasks:
              t: {cgroup: /a, pid: 100}
              u: {cgroup: /a, pid: 101}
            steps:
              - anon: {task: u, size: 60M}
              - anon: {task: t, size: 80M}
            """);
        assertThat(o.oomKills()).hasSize(1);
        assertThat(o.oomKills().get(0).victim()).isEqualTo("u");
        assertThat(o.steps().get(1).result()).isEqualTo("ok");
        assertThat(o.steps().get(1).pages()).isEqualTo(80 * MB / 4096);
        Map<String, Long> events = keyed(o, null, "/a", "memory.events");
        assertThat(events)
                .containsEntry("max", 18L)
                .containsEntry("oom", 1L)
                .containsEntry("oom_kill", 1L)
                .containsEntry("oom_group_kill", 0L);
    }

    @Test
    @DisplayName(
            "try_charge_memcg: the first page charges a whole MEMCG_CHARGE_BATCH (32 pages); the rest waits in the stock")
    void batchAndStock() {
        Outcome o = Model.run("""
            name: batch
            host: {memory: 256M}
            cgroup: v2
            cgroups:
              /a: {}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 4K}
            """);
        assertThat(raw(o, null, "/a", "memory.current")).isEqualTo(32L * 4096);
    }

    @Test
    @DisplayName("try_charge: the root memcg is never charged")
    void rootNeverCharged() {
        Model.Booted b = Model.boot(ZERO_MAX);
        MemCgroup root = b.m.root();
        ChargeResult charge =
                b.ops.memcg().tryCharge(new ChargeRequest(root, 1, Gfp.GFP_KERNEL, b.task("t"), true, Purpose.ANON));
        assertThat(charge.charged()).isTrue();
        assertThat(charge.committedTo()).isSameAs(root);
        assertThat(root.memory.usage()).isZero();
    }

    @Test
    @DisplayName(
            "try_charge_memcg: a THP charge (GFP_TRANSHUGE_LIGHT, no direct reclaim) at the limit fails at once: no reclaim, no max event")
    void thpChargeCannotBlock() {
        Model.Booted b = Model.boot("""
            name: thp
            host: {memory: 64M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 1M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - snapshot: start
            """);
        MemCgroup a = b.memcg("/a");
        int gfp = b.m.traits().hugePageChargeGfp();
        assertThat(gfp).isEqualTo(Gfp.TRANSHUGE_LIGHT);
        ChargeResult charge = b.ops.memcg().tryCharge(new ChargeRequest(a, 512, gfp, b.task("t"), true, Purpose.THP));
        assertThat(charge).isEqualTo(ChargeResult.FAILED);
        assertThat(Trace.of(b.m.trace.events(), TracePoints.ENOMEM_CANNOT_BLOCK))
                .singleElement()
                .satisfies(e -> assertThat(e.memcg()).isEqualTo("/a"));
        assertThat(a.memoryEvent(MemoryEvent.MAX)).isZero();
        assertThat(a.memoryEvent(MemoryEvent.OOM)).isZero();
        assertThat(a.memory.failcnt()).isEqualTo(1);
        assertThat(a.memory.usage()).isZero();
    }

    @Test
    @DisplayName(
            "__do_huge_pmd_anonymous_page: THP_FAULT_ALLOC on the host and the memcg (memory.stat thp_fault_alloc); a failed charge counts THP_FAULT_FALLBACK and THP_FAULT_FALLBACK_CHARGE host-wide")
    void thpFaultEvents() {
        // /a has room for one 2M THP (512 pages) but not a second: the second range's charge
        // fails without reclaim (GFP_TRANSHUGE_LIGHT) and the fault falls back to 4K pages (which
        // then fill the limit and end in an OOM kill, not asserted here).
        Outcome o = Model.run("""
            name: thp-events
            host: {memory: 256M, thp: always}
            cgroup: v2
            cgroups:
              /a: {memory.max: 3M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 2M}
              - snapshot: huge
              - anon: {task: t, size: 2M}
            """);
        Map<String, Long> stat = keyed(o, "huge", "/a", "memory.stat");
        assertThat(stat).containsEntry("anon_thp", 2 * MB).containsEntry("thp_fault_alloc", 1L);
        assertThat(o.snapshot("huge").vmstat())
                .containsEntry("thp_fault_alloc", 1L)
                .containsEntry("thp_fault_fallback", 0L)
                .containsEntry("thp_fault_fallback_charge", 0L);
        Map<String, Long> vmstat = o.snapshot(null).vmstat();
        assertThat(vmstat)
                .containsEntry("thp_fault_alloc", 1L)
                .containsEntry("thp_fault_fallback", 1L)
                .containsEntry("thp_fault_fallback_charge", 1L);
        assertThat(keyed(o, null, "/a", "memory.stat")).containsEntry("thp_fault_alloc", 1L);
    }

    @Test
    @DisplayName("mem_cgroup_oom: a THP (order 9) charge never OOM-kills and raises no oom event; order 3 still does")
    void costlyOrderNeverOoms() {
        Model.Booted b = Model.boot(ZERO_MAX);
        MemCgroup a = b.memcg("/a");
        ChargeRequest req = new ChargeRequest(a, 512, Gfp.GFP_KERNEL, b.task("t"), true, Purpose.ANON);
        assertThat(b.c.memcontrol().memCgroupOom(a, Gfp.GFP_KERNEL, 9, LimitKind.MEMORY, req))
                .isFalse();
        assertThat(a.memoryEvent(MemoryEvent.OOM)).isZero();
        // PAGE_ALLOC_COSTLY_ORDER is 3: an order-3 charge raises MEMCG_OOM (and, /a being empty,
        // finds nothing to kill).
        assertThat(b.c.memcontrol().memCgroupOom(a, Gfp.GFP_KERNEL, 3, LimitKind.MEMORY, req))
                .isFalse();
        assertThat(a.memoryEvent(MemoryEvent.OOM)).isEqualTo(1);
        assertThat(b.m.oomKills()).isEmpty();
    }

    @Test
    @DisplayName("try_charge_memcg: __GFP_NORETRY (readahead) gets two reclaims and fails without OOM")
    void noretryFailsFast() {
        Model.Booted b = Model.boot(ZERO_MAX);
        MemCgroup a = b.memcg("/a");
        ChargeResult charge =
                b.ops.memcg().tryCharge(new ChargeRequest(a, 1, Gfp.READAHEAD, b.task("t"), false, Purpose.CACHE));
        assertThat(charge.charged()).isFalse();
        assertThat(b.m.trace.events()).extracting(TraceEvent::point).contains(TracePoints.ENOMEM_NORETRY);
        assertThat(a.memoryEvent(MemoryEvent.MAX)).isEqualTo(2);
        assertThat(a.memoryEvent(MemoryEvent.OOM)).isZero();
    }

    @Test
    @DisplayName("try_charge_memcg: __GFP_RETRY_MAYFAIL fails after the 16 retries, before any OOM")
    void retryMayfail() {
        Model.Booted b = Model.boot(ZERO_MAX);
        MemCgroup a = b.memcg("/a");
        ChargeResult charge = b.ops.memcg()
                .tryCharge(
                        new ChargeRequest(a, 1, Gfp.GFP_KERNEL | Gfp.RETRY_MAYFAIL, b.task("t"), false, Purpose.CACHE));
        assertThat(charge.charged()).isFalse();
        assertThat(b.m.trace.events()).extracting(TraceEvent::point).contains(TracePoints.ENOMEM_RETRY_MAYFAIL);
        assertThat(a.memoryEvent(MemoryEvent.MAX)).isEqualTo(18);
        assertThat(a.memoryEvent(MemoryEvent.OOM)).isZero();
    }

    @Test
    @DisplayName(
            "try_charge_memcg: with nothing to kill the charge fails (-ENOMEM), no force, unlike 4.18's OOM_FAILED")
    void nothingToKillFails() {
        Model.Booted b = Model.boot(ZERO_MAX);
        MemCgroup a = b.memcg("/a");
        ChargeResult charge =
                b.ops.memcg().tryCharge(new ChargeRequest(a, 1, Gfp.GFP_KERNEL, b.task("t"), true, Purpose.ANON));
        assertThat(charge.charged()).isFalse();
        assertThat(b.m.trace.events())
                .extracting(TraceEvent::point)
                .contains(TracePoints.CHARGE_OOM_NO_PROGRESS, TracePoints.ENOMEM_OOM_FAILED);
        assertThat(a.memoryEvent(MemoryEvent.OOM)).isEqualTo(1);
        assertThat(a.memory.usage()).isZero();
        assertThat(b.m.panic).isNull();
    }

    @Test
    @DisplayName("try_charge_memcg: __GFP_NOFAIL and __GFP_HIGH force the charge past memory.max when OOM cannot help")
    void nofailAndHighForce() {
        Model.Booted b = Model.boot(ZERO_MAX);
        MemCgroup a = b.memcg("/a");
        Task t = b.task("t");
        assertThat(b.ops.memcg()
                        .tryCharge(new ChargeRequest(a, 1, Gfp.GFP_KERNEL | Gfp.NOFAIL, t, false, Purpose.CACHE)))
                .isEqualTo(ChargeResult.charged(a));
        assertThat(a.memory.usage()).isEqualTo(1);
        assertThat(b.ops.memcg().tryCharge(new ChargeRequest(a, 1, Gfp.GFP_KERNEL | Gfp.HIGH, t, false, Purpose.CACHE)))
                .isEqualTo(ChargeResult.charged(a));
        assertThat(a.memory.usage()).isEqualTo(2);
        assertThat(a.memory.max()).isZero();
        List<TraceEvent> forced = Trace.of(b.m.trace.events(), TracePoints.FORCE_CHARGE);
        assertThat(forced).hasSize(2).allSatisfy(e -> {
            assertThat(e.memcg()).isEqualTo("/a");
            assertThat(e.number("pages")).isEqualTo(1);
        });
    }

    @Test
    @DisplayName(
            "try_charge_memcg: after passed_oom a dying task's charge fails (-ENOMEM): the OOM victim's fault ends its step")
    void dyingTaskAfterOom() {
        Outcome o = Model.run("""
            name: dying
            host: {memory: 512M}
            cgroup: v2
            cgroups:
              /a: {memory.max: 20M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 40M}
            """);
        assertThat(o.oomKills()).hasSize(1);
        assertThat(o.oomKills().get(0).victim()).isEqualTo("t");
        assertThat(o.steps().get(0).result()).isEqualTo("killed");
        assertThat(o.events(TracePoints.ENOMEM_DYING)).singleElement().satisfies(e -> {
            assertThat(e.memcg()).isEqualTo("/a");
            assertThat(e.step()).isZero();
        });
    }

    @Test
    @DisplayName("try_charge_memcg (v1): a memsw failure of the 32-page batch latches may_swap=0 for the whole charge")
    void memswBatchFailureLatchesNoSwap() {
        // memsw is tried first. While memsw has 32 pages of room, a full memory counter sends
        // reclaim with may_swap=1, which swaps anon out. Once memsw has fewer than 32 pages of
        // room, the batch charge fails on memsw and may_swap becomes false; the retry with
        // batch = 1 passes memsw but fails on memory, and that reclaim (and every retry of this
        // charge) runs without swap. With only anon in /a nothing can be freed: the OOM comes
        // while memory+swap still has room.
        Outcome o = Model.run("""
            name: memsw
            host: {memory: 512M, swap: 256M}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 20M, memory.memsw.limit_in_bytes: 24M}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 40M}
            """);
        assertThat(o.events(TracePoints.CHARGE_RECLAIM))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.memcg()).isEqualTo("/a"));
        assertThat(o.events(TracePoints.CHARGE_RECLAIM_NO_SWAP))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.memcg()).isEqualTo("/a"));
        assertThat(o.oomKills()).hasSize(1);
        assertThat(o.oomKills().get(0).limit()).isEqualTo("memory");
        String memsw = o.oomKills().get(0).report().stream()
                .filter(l -> l.startsWith("memory+swap: usage "))
                .findFirst()
                .orElseThrow();
        long usageKb = Long.parseLong(memsw.substring("memory+swap: usage ".length(), memsw.indexOf("kB")));
        assertThat(usageKb).isLessThan(24 * 1024).isGreaterThan(24 * 1024 - 32 * 4);
        assertThat(memsw).contains("limit 24576kB");
    }

    @Test
    @DisplayName("mem_cgroup_oom (v1 oom_kill_disable): outside a page fault nothing is recorded; read(2) gets ENOMEM")
    void oomKillDisableSyscall() {
        // 10M of anon fills the limit and cannot be reclaimed (no swap); the read's readahead
        // gives up (__GFP_NORETRY), its GFP_KERNEL charge reaches mem_cgroup_oom, which with
        // oom_kill_disable outside a user fault just fails.
        Outcome o = Model.run("""
            name: oom-disable-read
            host: {memory: 256M}
            cgroup: v1
            cgroups:
              /a: {memory.limit_in_bytes: 10M, memory.oom_control: 1}
            tasks:
              t: {cgroup: /a, pid: 100}
            steps:
              - anon: {task: t, size: 10M}
              - read: {task: t, file: /data/f, size: 4M}
            """);
        assertThat(o.oomKills()).isEmpty();
        assertThat(o.steps().get(1).result()).isEqualTo("enomem");
        assertThat(keyed(o, null, "/a", "memory.oom_control")).containsEntry("under_oom", 0L);
    }

    @Test
    @DisplayName(
            "mem_cgroup_oom (v1 oom_kill_disable): no kill; the fault waits in mem_cgroup_oom_synchronize, under_oom 1, step hung")
    void oomKillDisable() {
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
        assertThat(o.steps().get(0).result()).isEqualTo("hung");
        assertThat(keyed(o, null, "/a", "memory.oom_control"))
                .containsEntry("oom_kill_disable", 1L)
                .containsEntry("under_oom", 1L)
                .containsEntry("oom_kill", 0L);
    }
}
