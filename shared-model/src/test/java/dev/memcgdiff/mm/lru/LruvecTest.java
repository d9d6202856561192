package dev.memcgdiff.mm.lru;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.mm.vmscan.LruReclaim;
import dev.memcgdiff.mm.vmscan.PageBatch;
import dev.memcgdiff.mm.vmscan.ReclaimRules;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.HostSpec;
import dev.memcgdiff.scenario.ThpMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * struct lruvec as list_head lists threaded through the page array: list_add puts a page at the
 * head, list_add_tail at the tail, isolate_lru_pages takes from the tail. Each operation only
 * rewires the page and its two neighbours, which is what the link checks below pin down.
 */
class LruvecTest {
    private final Pages pages = new Pages(16);
    private final Lruvec lruvec = new Lruvec(pages, 2, 0);

    LruvecTest() {
        for (int pfn = 0; pfn < pages.count(); pfn++) {
            pages.reset(pfn);
        }
    }

    /** The list from head to tail, checking the prev links on the way. */
    private List<Integer> walk(int lru) {
        List<Integer> out = new ArrayList<>();
        int prev = Pages.NONE;
        for (int pfn = lruvec.head(lru); pfn != Pages.NONE; pfn = pages.next(pfn)) {
            assertThat(pages.prev(pfn)).as("prev link of pfn %d", pfn).isEqualTo(prev);
            assertThat(pages.lru(pfn)).isEqualTo(lru);
            assertThat(pages.test(pfn, PageFlags.PG_LRU)).isTrue();
            out.add(pfn);
            prev = pfn;
            assertThat(out.size()).as("a cycle in the list").isLessThanOrEqualTo(pages.count());
        }
        assertThat(lruvec.tail(lru)).isEqualTo(prev);
        assertThat(lruvec.size(lru)).isEqualTo(out.size());
        return out;
    }

    @Test
    void aFreshLruvecIsEmpty() {
        for (int lru = 0; lru < Lru.NR_LRU_LISTS; lru++) {
            assertThat(lruvec.head(lru)).isEqualTo(Pages.NONE);
            assertThat(lruvec.tail(lru)).isEqualTo(Pages.NONE);
            assertThat(lruvec.size(lru)).isZero();
        }
        assertThat(lruvec.total()).isZero();
        assertThat(lruvec.memcgId()).isEqualTo(2);
        assertThat(lruvec.node()).isZero();
    }

    @Test
    void addHeadPushesInFrontAndAddTailBehind() {
        lruvec.addHead(1, Lru.INACTIVE_FILE);
        lruvec.addHead(2, Lru.INACTIVE_FILE);
        lruvec.addTail(3, Lru.INACTIVE_FILE);
        lruvec.addHead(4, Lru.INACTIVE_FILE);
        assertThat(walk(Lru.INACTIVE_FILE)).containsExactly(4, 2, 1, 3);
        assertThat(lruvec.fileSize()).isEqualTo(4);
        assertThat(lruvec.anonSize()).isZero();
    }

    @Test
    void theListsAreIndependent() {
        lruvec.addHead(1, Lru.INACTIVE_ANON);
        lruvec.addHead(2, Lru.ACTIVE_ANON);
        lruvec.addHead(3, Lru.INACTIVE_FILE);
        lruvec.addHead(4, Lru.ACTIVE_FILE);
        lruvec.addHead(5, Lru.UNEVICTABLE);
        lruvec.addHead(6, Lru.ACTIVE_ANON);
        assertThat(walk(Lru.INACTIVE_ANON)).containsExactly(1);
        assertThat(walk(Lru.ACTIVE_ANON)).containsExactly(6, 2);
        assertThat(walk(Lru.INACTIVE_FILE)).containsExactly(3);
        assertThat(walk(Lru.ACTIVE_FILE)).containsExactly(4);
        assertThat(walk(Lru.UNEVICTABLE)).containsExactly(5);
        assertThat(lruvec.anonSize()).isEqualTo(3);
        assertThat(lruvec.fileSize()).isEqualTo(2);
        assertThat(lruvec.total()).isEqualTo(6);
    }

    @Test
    void deleteFromTheMiddleJoinsTheNeighboursAndClearsPgLru() {
        for (int pfn = 1; pfn <= 4; pfn++) {
            lruvec.addHead(pfn, Lru.ACTIVE_ANON);
        }
        lruvec.delete(3);
        assertThat(walk(Lru.ACTIVE_ANON)).containsExactly(4, 2, 1);
        assertThat(pages.test(3, PageFlags.PG_LRU)).isFalse();
        assertThat(pages.lru(3)).isEqualTo(PageFlags.LRU_NONE);
        assertThat(pages.prev(3)).isEqualTo(Pages.NONE);
        assertThat(pages.next(3)).isEqualTo(Pages.NONE);
    }

    @Test
    void deleteOfTheHeadTheTailAndTheLastPage() {
        lruvec.addHead(1, Lru.INACTIVE_ANON);
        lruvec.addHead(2, Lru.INACTIVE_ANON);
        lruvec.addHead(3, Lru.INACTIVE_ANON);
        lruvec.delete(3);
        assertThat(walk(Lru.INACTIVE_ANON)).containsExactly(2, 1);
        lruvec.delete(1);
        assertThat(walk(Lru.INACTIVE_ANON)).containsExactly(2);
        lruvec.delete(2);
        assertThat(walk(Lru.INACTIVE_ANON)).isEmpty();
        assertThat(lruvec.head(Lru.INACTIVE_ANON)).isEqualTo(Pages.NONE);
    }

    @Test
    void deletingAPageOnNoListIsRefused() {
        assertThatThrownBy(() -> lruvec.delete(5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pfn 5");
    }

    @Test
    void moveTakesThePageToTheHeadOfTheOtherList() {
        lruvec.addHead(1, Lru.INACTIVE_ANON);
        lruvec.addHead(2, Lru.INACTIVE_ANON);
        lruvec.addHead(3, Lru.ACTIVE_ANON);
        lruvec.move(1, Lru.ACTIVE_ANON);
        assertThat(walk(Lru.INACTIVE_ANON)).containsExactly(2);
        assertThat(walk(Lru.ACTIVE_ANON)).containsExactly(1, 3);
    }

    @Test
    void rotateToHeadStaysOnTheSameList() {
        lruvec.addHead(1, Lru.INACTIVE_FILE);
        lruvec.addHead(2, Lru.INACTIVE_FILE);
        lruvec.addHead(3, Lru.INACTIVE_FILE);
        lruvec.rotateToHead(1);
        assertThat(walk(Lru.INACTIVE_FILE)).containsExactly(1, 3, 2);
        lruvec.rotateToHead(1);
        assertThat(walk(Lru.INACTIVE_FILE)).containsExactly(1, 3, 2);
    }

    @Test
    void isolationTakesFromTheTailOldestFirst() {
        Machine m = new Machine(new HostSpec(16L << 20, 0, 1, -1, 60, ThpMode.NEVER, null), CgroupInterface.V1);
        Lruvec l = new Lruvec(m.pages, 1, 0);
        for (int pfn = 10; pfn < 15; pfn++) {
            m.pages.reset(pfn);
            l.addHead(pfn, Lru.INACTIVE_FILE); // 10 is the oldest
        }
        LruReclaim reclaim = new LruReclaim(m, ReclaimRules.NONE, null);
        PageBatch batch = new PageBatch();

        long taken = reclaim.isolate(l, Lru.INACTIVE_FILE, 3, batch);

        assertThat(taken).isEqualTo(3);
        assertThat(List.of(batch.get(0), batch.get(1), batch.get(2))).containsExactly(10, 11, 12);
        for (int i = 0; i < 3; i++) {
            int pfn = batch.get(i);
            assertThat(m.pages.test(pfn, PageFlags.PG_ISOLATED)).isTrue();
            assertThat(m.pages.test(pfn, PageFlags.PG_LRU)).isFalse();
        }
        assertThat(l.size(Lru.INACTIVE_FILE)).isEqualTo(2);
        assertThat(l.tail(Lru.INACTIVE_FILE)).isEqualTo(13);

        assertThat(reclaim.isolate(l, Lru.INACTIVE_FILE, 10, batch))
                .as("a short list gives what it has")
                .isEqualTo(2);
        assertThat(l.size(Lru.INACTIVE_FILE)).isZero();
    }
}
