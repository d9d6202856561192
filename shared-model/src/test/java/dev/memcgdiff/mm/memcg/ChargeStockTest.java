package dev.memcgdiff.mm.memcg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memcgdiff.mm.memcg.PageCounter.Propagation;
import dev.memcgdiff.mm.page.Pages;
import org.junit.jupiter.api.Test;

/**
 * The per-cpu charge stock (struct memcg_stock_pcp), from consume_stock, refill_stock,
 * drain_stock and drain_all_stock in mm/memcontrol.c of 4.18 and 5.18 (MEMCG_CHARGE_BATCH 32).
 */
class ChargeStockTest {
    private final Pages pages = new Pages(8);
    private final MemCgroup root = memcg(1, "/", null);
    private final MemCgroup a = memcg(2, "/a", root);
    private final MemCgroup b = memcg(3, "/a/b", a);
    private final MemCgroup c = memcg(4, "/c", root);

    private MemCgroup memcg(int id, String path, MemCgroup parent) {
        return new MemCgroup(id, path, parent, true, 1, pages, Propagation.PER_LEVEL);
    }

    /** What try_charge does before refilling: the whole batch is charged to the counters. */
    private static void chargeBatch(MemCgroup m, long nr) {
        m.memory.charge(nr);
        m.memsw.charge(nr);
    }

    @Test
    void theBatchIs32Pages() {
        assertThat(ChargeStock.CHARGE_BATCH).isEqualTo(32);
    }

    @Test
    void consumeTakesPagesOnlyFromTheCachedMemcgsStock() {
        ChargeStock stock = new ChargeStock(true);
        chargeBatch(a, 31);
        stock.refill(a, 31);

        assertThat(stock.consume(c, 1)).as("another memcg's stock").isFalse();
        assertThat(stock.consume(b, 1))
                .as("a child does not use its parent's stock")
                .isFalse();
        assertThat(stock.consume(a, 30)).isTrue();
        assertThat(stock.nrPages()).isEqualTo(1);
        assertThat(stock.consume(a, 2)).as("fewer pages than asked for").isFalse();
        assertThat(stock.nrPages()).isEqualTo(1);
        assertThat(stock.consume(a, 1)).isTrue();
        assertThat(stock.nrPages()).isZero();
        assertThat(stock.cached())
                .as("an empty stock stays cached for its memcg")
                .isSameAs(a);
        assertThat(a.memory.usage()).as("consuming touches no counter").isEqualTo(31);
    }

    @Test
    void consumeNeverServesMoreThanABatch() {
        ChargeStock stock = new ChargeStock(false);
        chargeBatch(a, 32);
        stock.refill(a, 32);
        assertThat(stock.consume(a, 33)).isFalse();
        assertThat(stock.nrPages()).isEqualTo(32);
    }

    @Test
    void refillForAnotherMemcgDrainsTheOldStockFirst() {
        ChargeStock stock = new ChargeStock(true);
        chargeBatch(a, 31);
        stock.refill(a, 31);
        chargeBatch(c, 31);

        stock.refill(c, 31);

        assertThat(stock.cached()).isSameAs(c);
        assertThat(stock.nrPages()).isEqualTo(31);
        assertThat(a.memory.usage()).isZero();
        assertThat(a.memsw.usage()).isZero();
        assertThat(root.memory.usage()).as("the drain uncharges hierarchically").isEqualTo(31);
        assertThat(c.memory.usage()).isEqualTo(31);
    }

    @Test
    void refillAbove32DrainsEverything() {
        ChargeStock stock = new ChargeStock(false);
        a.memory.charge(33);
        stock.refill(a, 31);
        stock.refill(a, 1);
        assertThat(stock.nrPages()).as("32 is not above the batch").isEqualTo(32);

        stock.refill(a, 1);

        assertThat(stock.nrPages()).isZero();
        assertThat(stock.cached()).isNull();
        assertThat(a.memory.usage()).isZero();
    }

    @Test
    void drainGivesMemoryAndMemswBackOnlyWithMemswAccounting() {
        ChargeStock withMemsw = new ChargeStock(true);
        chargeBatch(a, 10);
        withMemsw.refill(a, 10);
        withMemsw.drain();
        assertThat(a.memory.usage()).isZero();
        assertThat(a.memsw.usage()).isZero();

        ChargeStock memoryOnly = new ChargeStock(false);
        c.memory.charge(10);
        c.memsw.charge(10);
        memoryOnly.refill(c, 10);
        memoryOnly.drain();
        assertThat(c.memory.usage()).isZero();
        assertThat(c.memsw.usage())
                .as("do_memsw_account() is false: memsw is not the stock's")
                .isEqualTo(10);
    }

    @Test
    void drainAllStockDrainsOnlyAStockInsideTheSubtree() {
        // mem_cgroup_is_descendant: a hierarchical subtree (use_hierarchy=1, always on in v2).
        root.useHierarchy = true;
        a.useHierarchy = true;
        ChargeStock stock = new ChargeStock(true);
        chargeBatch(b, 20);
        stock.refill(b, 20);

        assertThat(stock.drainSubtree(c)).isFalse();
        assertThat(stock.nrPages()).isEqualTo(20);
        assertThat(b.memory.usage()).isEqualTo(20);

        assertThat(stock.drainSubtree(a)).isTrue();
        assertThat(stock.nrPages()).isZero();
        assertThat(b.memory.usage()).isZero();
        assertThat(a.memory.usage()).isZero();
    }

    @Test
    void withoutUseHierarchyAChildIsNotInItsParentsSubtree() {
        // v1 use_hierarchy=0: mem_cgroup_is_descendant(b, a) is false, so drain_all_stock(a) leaves
        // b's stock alone; drain_all_stock(b) itself still drains it.
        ChargeStock stock = new ChargeStock(true);
        chargeBatch(b, 20);
        stock.refill(b, 20);

        assertThat(stock.drainSubtree(a)).isFalse();
        assertThat(stock.nrPages()).isEqualTo(20);
        assertThat(stock.drainSubtree(b)).isTrue();
        assertThat(b.memory.usage()).isZero();
    }

    @Test
    void heldForNamesOnlyTheCachedMemcg() {
        ChargeStock stock = new ChargeStock(false);
        chargeBatch(b, 7);
        stock.refill(b, 7);
        assertThat(stock.heldFor(b)).isEqualTo(7);
        assertThat(stock.heldFor(a))
                .as("not counted for the parent: its counter sees it through b")
                .isZero();
        assertThat(stock.heldFor(c)).isZero();
    }
}
