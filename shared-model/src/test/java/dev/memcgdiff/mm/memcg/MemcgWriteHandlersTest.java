package dev.memcgdiff.mm.memcg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.kernel.ReclaimOps;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.toy.ToyMachine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared write handlers of mm/memcontrol.c, driven by hand against a fake reclaim. */
class MemcgWriteHandlersTest {
    private static final String V2 = """
        name: writes
        host: {memory: 64M}
        cgroup: v2
        cgroups:
          /a: {memory.max: 1G}
        tasks:
        steps:
          - snapshot: s
        """;

    /** try_to_free_mem_cgroup_pages that frees {@code perCall} pages of the memcg each call (memsw too when asked). */
    private static final class FakeReclaim implements ReclaimOps {
        final List<String> calls = new ArrayList<>();
        final long perCall;
        final boolean memsw;

        FakeReclaim(long perCall, boolean memsw) {
            this.perCall = perCall;
            this.memsw = memsw;
        }

        @Override
        public long tryToFreeMemCgroupPages(MemCgroup memcg, long nrPages, int gfp, boolean maySwap) {
            calls.add(nrPages + (gfp == Gfp.GFP_KERNEL ? " GFP_KERNEL" : " ?") + (maySwap ? " may_swap" : " noswap"));
            if (perCall > 0) {
                (memsw ? memcg.memsw : memcg.memory).uncharge(perCall);
            }
            return perCall;
        }

        @Override
        public long tryToFreePages(int gfp) {
            return 0;
        }

        @Override
        public void kswapd(Node node) {}
    }

    @Test
    void resizeMaxReclaimsAPageAtATimeUntilTheLimitFits() {
        ToyMachine t = new ToyMachine(V2);
        MemCgroup a = t.memcg("/a");
        a.memory.charge(10);
        FakeReclaim reclaim = new FakeReclaim(1, false);

        KnobWrite r = MemcgWriteHandlers.resizeMax(t.m, a, 6, false, reclaim);

        assertThat(r).isEqualTo(KnobWrite.OK);
        assertThat(a.memory.max()).isEqualTo(6);
        // 10 -> 6: four reclaims of one page each, swap allowed for the memory limit
        assertThat(reclaim.calls)
                .containsExactly(
                        "1 GFP_KERNEL may_swap",
                        "1 GFP_KERNEL may_swap",
                        "1 GFP_KERNEL may_swap",
                        "1 GFP_KERNEL may_swap");
    }

    @Test
    void resizeMaxDrainsTheStockBeforeReclaiming() {
        ToyMachine t = new ToyMachine(V2);
        MemCgroup a = t.memcg("/a");
        a.memory.charge(10);
        t.m.stock.refill(a, 3); // three of the ten are the stock's
        FakeReclaim reclaim = new FakeReclaim(1, false);

        assertThat(MemcgWriteHandlers.resizeMax(t.m, a, 7, false, reclaim)).isEqualTo(KnobWrite.OK);

        assertThat(a.memory.usage()).isEqualTo(7);
        assertThat(reclaim.calls).as("the drain alone made room").isEmpty();
    }

    @Test
    void resizeMaxIsEbusyWhenReclaimMakesNoProgress() {
        ToyMachine t = new ToyMachine(V2);
        MemCgroup a = t.memcg("/a");
        a.memory.charge(10);
        FakeReclaim reclaim = new FakeReclaim(0, false);

        assertThat(MemcgWriteHandlers.resizeMax(t.m, a, 6, false, reclaim)).isEqualTo(KnobWrite.EBUSY);

        assertThat(reclaim.calls).containsExactly("1 GFP_KERNEL may_swap");
        assertThat(a.memory.max()).as("1G, unchanged").isEqualTo(262_144);
    }

    @Test
    void resizeMaxOfMemswReclaimsWithoutSwap() {
        ToyMachine t = new ToyMachine(V2);
        MemCgroup a = t.memcg("/a");
        a.memsw.charge(5);
        FakeReclaim reclaim = new FakeReclaim(1, true);

        assertThat(MemcgWriteHandlers.resizeMax(t.m, a, 4, true, reclaim)).isEqualTo(KnobWrite.OK);

        assertThat(a.memsw.max()).isEqualTo(4);
        assertThat(reclaim.calls).containsExactly("1 GFP_KERNEL noswap");
    }

    @Test
    void memoryMaxWriteReclaimsTheExcessThenOomKillsUntilItFits() {
        ToyMachine t = new ToyMachine(V2);
        MemCgroup a = t.memcg("/a");
        a.memory.charge(10);
        FakeReclaim reclaim = new FakeReclaim(0, false);
        List<Long> oomAt = new ArrayList<>();

        boolean fits = MemcgWriteHandlers.memoryMaxWrite(t.m, a, 4, 2, reclaim, () -> {
            oomAt.add(a.memory.usage());
            a.memory.uncharge(3); // each kill frees three pages
            return true;
        });

        assertThat(fits).isTrue();
        assertThat(a.memory.max()).as("set at once, whatever the usage").isEqualTo(4);
        // two reclaims without progress (nr_reclaims = 2) of the whole excess, then OOM until 10 - 3 - 3 <= 4
        assertThat(reclaim.calls).containsExactly("6 GFP_KERNEL may_swap", "6 GFP_KERNEL may_swap");
        assertThat(oomAt).containsExactly(10L, 7L);
        assertThat(a.memoryEvent(MemoryEvent.OOM))
                .as("MEMCG_OOM before each kill")
                .isEqualTo(2);
    }

    @Test
    void memoryMaxWriteStopsWhenTheOomKillerGivesUp() {
        ToyMachine t = new ToyMachine(V2);
        MemCgroup a = t.memcg("/a");
        a.memory.charge(10);

        boolean fits = MemcgWriteHandlers.memoryMaxWrite(t.m, a, 4, 0, new FakeReclaim(0, false), () -> false);

        assertThat(fits).isFalse();
        assertThat(a.memory.max()).isEqualTo(4);
        assertThat(a.memory.usage()).isEqualTo(10);
        assertThat(a.memoryEvent(MemoryEvent.OOM)).isEqualTo(1);
    }

    @Test
    void memoryMaxWriteUnderTheNewLimitDoesNothingElse() {
        ToyMachine t = new ToyMachine(V2);
        MemCgroup a = t.memcg("/a");
        a.memory.charge(3);
        FakeReclaim reclaim = new FakeReclaim(1, false);

        assertThat(MemcgWriteHandlers.memoryMaxWrite(t.m, a, 4, 5, reclaim, () -> false))
                .isTrue();

        assertThat(reclaim.calls).isEmpty();
        assertThat(a.memoryEvent(MemoryEvent.OOM)).isZero();
    }

    @Test
    void swappinessWriteChecksTheKernelsMaximumAndSetsVmSwappinessOnTheRoot() {
        ToyMachine t = new ToyMachine(V2); // the toy kernel's maximum is 100
        MemCgroup a = t.memcg("/a");
        List<Integer> vm = new ArrayList<>();

        assertThat(MemcgWriteHandlers.swappinessWrite(t.m, a, 101, vm::add)).isEqualTo(KnobWrite.EINVAL);
        assertThat(MemcgWriteHandlers.swappinessWrite(t.m, a, 100, vm::add)).isEqualTo(KnobWrite.OK);
        assertThat(a.swappiness).isEqualTo(100);
        assertThat(MemcgWriteHandlers.swappinessWrite(t.m, t.m.root(), 10, vm::add))
                .isEqualTo(KnobWrite.OK);
        assertThat(vm).as("only the root's write sets vm_swappiness").containsExactly(10);
    }
}
