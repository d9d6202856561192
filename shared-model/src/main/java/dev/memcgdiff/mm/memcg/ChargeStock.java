package dev.memcgdiff.mm.memcg;

/**
 * struct memcg_stock_pcp for the one CPU the model runs on: pages already charged to a memcg's
 * counters and not yet used, so most charges of a batch touch no counter (consume_stock,
 * refill_stock, drain_stock in mm/memcontrol.c; MEMCG_CHARGE_BATCH is 32 in every modelled kernel).
 */
public final class ChargeStock {
    public static final int CHARGE_BATCH = 32;

    private MemCgroup cached;
    private long nrPages;
    private final boolean withMemsw;

    /** @param withMemsw whether stock pages also hold a memsw charge (v1 with swap accounting) */
    public ChargeStock(boolean withMemsw) {
        this.withMemsw = withMemsw;
    }

    public MemCgroup cached() {
        return cached;
    }

    public long nrPages() {
        return nrPages;
    }

    /** consume_stock: take {@code nr} pages if this CPU's stock is for {@code memcg} and holds them. */
    public boolean consume(MemCgroup memcg, long nr) {
        if (nr > CHARGE_BATCH || memcg != cached || nrPages < nr) {
            return false;
        }
        nrPages -= nr;
        return true;
    }

    /** refill_stock: keep {@code nr} pre-charged pages; another memcg's stock is drained first. */
    public void refill(MemCgroup memcg, long nr) {
        if (cached != memcg) {
            drain();
            cached = memcg;
        }
        nrPages += nr;
        if (nrPages > CHARGE_BATCH) {
            drain();
        }
    }

    /** drain_stock: give the stock's pages back to the counters. */
    public void drain() {
        if (cached != null && nrPages > 0) {
            cached.memory.uncharge(nrPages);
            if (withMemsw) {
                cached.memsw.uncharge(nrPages);
            }
        }
        nrPages = 0;
        cached = null;
    }

    /** drain_all_stock(root): drain if the cached memcg is in root's subtree. */
    public boolean drainSubtree(MemCgroup root) {
        if (cached != null && root.isAncestorOf(cached)) {
            drain();
            return true;
        }
        return false;
    }

    /** Pages the stock holds for {@code memcg} (for the usage invariants). */
    public long heldFor(MemCgroup memcg) {
        return cached == memcg ? nrPages : 0;
    }
}
