package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.vmscan.PageBatch;
import dev.memcgdiff.mm.vmscan.ReclaimStats;
import dev.memcgdiff.mm.vmscan.ScanControl;
import dev.memcgdiff.outcome.Outcome;
import dev.memcgdiff.scenario.Scenario;
import dev.memcgdiff.testing.BootedMachine;
import dev.memcgdiff.testing.ScenarioHarness;

/**
 * What 5.18's tests need of 5.18 itself: run a YAML scenario on it, or boot a bare 5.18 machine to
 * drive by hand. Reading the outcome is {@link ScenarioHarness}'s; driving the booted machine is
 * {@link BootedMachine}'s, but for 5.18's own shrink_page_list.
 */
final class Model {
    private Model() {}

    static Outcome run(String yaml) {
        return ScenarioHarness.run(yaml, new Linux518());
    }

    /**
     * A booted machine with the scenario's cgroups, knobs and tasks, before any step. {@code c}
     * holds the kernel's components as {@link Linux518#build} made them; {@code ops} their tables.
     */
    static final class Booted extends BootedMachine<Linux518.Components> {
        Booted(Scenario s) {
            super(s, Linux518::build, Linux518.Components::ops);
        }

        /**
         * Move one page to the tail of its inactive list, isolate it and run 5.18's
         * shrink_page_list on it in limit reclaim of {@code target}; that call's reclaim_stat.
         */
        ReclaimStats shrinkOnePage(int pfn, MemCgroup target) {
            Lruvec lruvec = m.lruvecOf(pfn);
            MemCgroup owner = m.memcgOf(pfn);
            int lru = m.pages.isFileCache(pfn) ? Lru.INACTIVE_FILE : Lru.INACTIVE_ANON;
            lruvec.delete(pfn);
            m.pages.clear(pfn, PageFlags.PG_ACTIVE);
            lruvec.addTail(pfn, lru);
            PageBatch list = new PageBatch();
            c.lruReclaim().isolate(lruvec, lru, 1, list);
            ScanControl sc = new ScanControl(Gfp.GFP_HIGHUSER_MOVABLE, target, false);
            sc.mayWritepage = true;
            sc.maySwap = true;
            return c.shrinkPageList().shrinkPageList(lruvec, owner, list, sc);
        }

        /** {@link #shrinkOnePage}: the pages reclaimed. */
        long reclaimOnePage(int pfn, MemCgroup target) {
            return shrinkOnePage(pfn, target).reclaimed;
        }
    }

    static Booted boot(String yaml) {
        return new Booted(ScenarioHarness.parse(yaml));
    }
}
