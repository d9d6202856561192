package dev.memcgdiff.mm.lru;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.toy.ToyMachine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The LRU table of the reclaim_stat kernels (3.10, 4.18) on a toy machine that uses it. */
class ReclaimStatSwapTest {
    private static final String SCENARIO = """
        name: lru
        host: {memory: 64M, swap: 64M}
        cgroup: v1
        cgroups:
          /a:
        tasks:
          t: {cgroup: /a, pid: 200}
        steps:
          - snapshot: s
        """;

    /** A workingset that records what it is asked. */
    private static final class FakeWorkingset implements ReclaimStatSwap.Workingset {
        final List<String> calls = new ArrayList<>();

        @Override
        public long eviction(int pfn) {
            calls.add("eviction " + pfn);
            return 1000 + pfn;
        }

        @Override
        public void refault(int pfn, long shadow) {
            calls.add("refault " + pfn + " " + shadow);
        }

        @Override
        public void activation(int pfn) {
            calls.add("activation " + pfn);
        }
    }

    private final FakeWorkingset workingset = new FakeWorkingset();

    private ToyMachine boot(boolean swapBackedAddsInactive) {
        return new ToyMachine(SCENARIO, m -> new ReclaimStatSwap(m, workingset, swapBackedAddsInactive));
    }

    @Test
    void aNewAnonymousPageStartsActiveAndCountsAsRotated() {
        ToyMachine t = boot(false);
        Task task = t.task("t");

        int pfn = t.faultAnon(task, 1)[0];

        Lruvec lruvec = t.m.lruvecOf(pfn);
        assertThat(t.m.pages.test(pfn, PageFlags.PG_ACTIVE)).isTrue();
        assertThat(t.m.pages.lru(pfn)).isEqualTo(Lru.ACTIVE_ANON);
        assertThat(lruvec.recentScanned[Lru.ANON]).isEqualTo(1);
        assertThat(lruvec.recentRotated[Lru.ANON]).isEqualTo(1);
    }

    @Test
    void threeTensCacheAddOfASwapBackedPageClearsActive() {
        ToyMachine t = boot(true);
        int pfn = t.faultAnon(t.task("t"), 1)[0];
        Lruvec lruvec = t.m.lruvecOf(pfn);
        lruvec.delete(pfn);

        t.ops.lru().lruCacheAdd(pfn, lruvec); // lru_cache_add_anon

        assertThat(t.m.pages.test(pfn, PageFlags.PG_ACTIVE)).isFalse();
        assertThat(t.m.pages.lru(pfn)).isEqualTo(Lru.INACTIVE_ANON);
    }

    @Test
    void fourEighteensCacheAddKeepsThePagesOwnFlags() {
        ToyMachine t = boot(false);
        int pfn = t.faultAnon(t.task("t"), 1)[0];
        Lruvec lruvec = t.m.lruvecOf(pfn);
        lruvec.delete(pfn);

        t.ops.lru().lruCacheAdd(pfn, lruvec);

        assertThat(t.m.pages.test(pfn, PageFlags.PG_ACTIVE)).isTrue();
        assertThat(t.m.pages.lru(pfn)).isEqualTo(Lru.ACTIVE_ANON);
    }

    @Test
    void anAccessedFilePageIsActivatedAndTellsTheWorkingset() {
        ToyMachine t = boot(false);
        int pfn = t.readFile(t.task("t"), "/data", 1)[0];

        t.ops.lru().markPageAccessed(pfn);
        t.ops.lru().markPageAccessed(pfn);

        assertThat(t.m.pages.lru(pfn)).isEqualTo(Lru.ACTIVE_FILE);
        assertThat(workingset.calls).contains("activation " + pfn);
    }

    @Test
    void shadowsAreTheKernelsWorkingsetsWhateverTheReclaimRoot() {
        ToyMachine t = boot(false);

        assertThat(t.ops.lru().workingsetEviction(7, t.memcg("/a"))).isEqualTo(1007);
        assertThat(t.ops.lru().workingsetEviction(7, null)).isEqualTo(1007);
        t.ops.lru().workingsetRefault(8, 99);

        assertThat(workingset.calls).containsExactly("eviction 7", "eviction 7", "refault 8 99");
    }
}
