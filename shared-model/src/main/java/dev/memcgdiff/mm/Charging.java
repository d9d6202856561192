package dev.memcgdiff.mm;

import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.scenario.CgroupInterface;

/**
 * The memcg bookkeeping every modelled kernel does the same way once a charge has succeeded:
 * commit (page->mem_cgroup and the stat counters), uncharge, and swap accounting
 * (mem_cgroup_swapout / mem_cgroup_uncharge_swapcache, mem_cgroup_uncharge_swap,
 * mem_cgroup_try_charge_swap). The charge decision itself is the kernel's (KernelOps.tryCharge).
 */
public final class Charging {
    private final Machine m;
    private final Pages pages;

    Charging(Machine m) {
        this.m = m;
        this.pages = m.pages;
    }

    /** commit_charge + mem_cgroup_charge_statistics: the page now belongs to {@code memcg}. */
    public void commit(int pfn, MemCgroup memcg) {
        commit(pfn, memcg, true);
    }

    /** Commit one page of a larger charge; pgpgin counts charge events, so only the first counts. */
    public void commit(int pfn, MemCgroup memcg, boolean countPgpgin) {
        pages.setMemcg(pfn, memcg.id());
        statPage(pfn, memcg, 1);
        if (countPgpgin) {
            m.countMemcgOnly(VmEvent.PGPGIN, memcg, 1);
        }
    }

    /** Charge the counters by hand (page_counter_charge) without the limit: a forced charge. */
    public void forceCharge(MemCgroup memcg, long nr) {
        if (memcg.isRoot()) {
            return;
        }
        memcg.memory.charge(nr);
        if (m.memswCharged()) {
            memcg.memsw.charge(nr);
        }
    }

    /** Give back counter charges taken for pages that were never committed (cancel_charge). */
    public void cancel(MemCgroup memcg, long nr) {
        if (memcg.isRoot()) {
            return;
        }
        memcg.memory.uncharge(nr);
        if (m.memswCharged()) {
            memcg.memsw.uncharge(nr);
        }
    }

    /** mem_cgroup_uncharge: the page is being freed (or truncated) while still charged. */
    public void uncharge(int pfn) {
        int id = pages.memcg(pfn);
        if (id == 0) {
            return;
        }
        MemCgroup memcg = m.memcg(id);
        cancel(memcg, 1);
        boolean tail = pages.test(pfn, PageFlags.PG_HUGE) && (pages.index(pfn) & 511) != 0;
        statPage(pfn, memcg, -1);
        if (!tail) {
            m.countMemcgOnly(VmEvent.PGPGOUT, memcg, 1); // one event per uncharged page or whole THP
        }
        pages.setMemcg(pfn, 0);
        // mm/memcontrol.c:uncharge_batch (4.18.0-147, 5.18), mem_cgroup_uncharge_end (3.10.0-1160):
        // every uncharge of freed pages (munmap, exit, truncate, reclaim) wakes the memcg's OOM sleepers
        m.memcgOomWaitq.recover(memcg);
    }

    private void statPage(int pfn, MemCgroup memcg, long delta) {
        if (pages.isAnon(pfn)) {
            memcg.modStat(MemcgStat.RSS, delta);
            if (pages.test(pfn, PageFlags.PG_HUGE)) {
                memcg.modStat(MemcgStat.RSS_HUGE, delta);
            }
            if (pages.test(pfn, PageFlags.PG_SWAPCACHE)) {
                memcg.modStat(MemcgStat.SWAPCACHE, delta);
            }
        } else {
            memcg.modStat(MemcgStat.CACHE, delta);
            if (pages.isShmem(pfn)) {
                memcg.modStat(MemcgStat.SHMEM, delta);
            }
            if (pages.mapcount(pfn) > 0) {
                memcg.modStat(MemcgStat.MAPPED_FILE, delta);
            }
            if (pages.test(pfn, PageFlags.PG_DIRTY) && !pages.isShmem(pfn)) {
                memcg.modStat(MemcgStat.DIRTY, delta);
            }
        }
    }

    /**
     * The memcg that owns a swap entry for charging purposes: the page's memcg, or the nearest
     * ancestor still linked (every memcg stays online in the model, so the page's own).
     */
    public MemCgroup swapOwner(int pfn) {
        return m.memcgOf(pfn);
    }

    /**
     * mem_cgroup_try_charge_swap (cgroup v2, at add_to_swap): charge the swap counter.
     *
     * @return null when charged, or the counter whose swap.max was hit
     */
    public PageCounter tryChargeSwap(int pfn, int slot) {
        MemCgroup memcg = swapOwner(pfn);
        if (!memcg.isRoot()) {
            PageCounter failed = memcg.swap.tryCharge(1);
            if (failed != null) {
                return failed;
            }
        }
        m.swap.setSwapCgroup(slot, memcg.id());
        memcg.modStat(MemcgStat.SWAP, 1);
        return null;
    }

    /**
     * mem_cgroup_swapout (4.18, 5.18) / mem_cgroup_uncharge_swapcache (3.10): the page leaves the
     * swap cache for good. Memory is uncharged; with memsw accounting the memsw charge stays on
     * the swap entry, which is recorded in swap_cgroup.
     */
    public void swapout(int pfn, int slot) {
        int id = pages.memcg(pfn);
        if (id == 0) {
            return;
        }
        MemCgroup memcg = m.memcg(id);
        if (m.memswCharged()) {
            m.swap.setSwapCgroup(slot, memcg.id());
            memcg.modStat(MemcgStat.SWAP, 1);
            if (!memcg.isRoot()) {
                memcg.memory.uncharge(1);
            }
        } else if (!memcg.isRoot()) {
            memcg.memory.uncharge(1);
        }
        statPage(pfn, memcg, -1);
        m.countMemcgOnly(VmEvent.PGPGOUT, memcg, 1);
        pages.setMemcg(pfn, 0);
        m.ops().memcg().swappedOut(memcg);
    }

    /**
     * split_huge_page before reclaim takes one page of a THP: the 512 pages become ordinary
     * pages (rss_huge drops by 512), so each is uncharged on its own from then on.
     */
    public void splitHugePage(int pfn) {
        if (!pages.test(pfn, PageFlags.PG_HUGE) || !pages.isAnon(pfn)) {
            return;
        }
        var task = m.task(pages.mapping(pfn));
        long head = pages.index(pfn) & ~511L;
        for (long v = head; v < head + 512; v++) {
            int e = task.anon.get(v);
            if (Entry.isPage(e)) {
                int p = Entry.pfn(e);
                if (pages.test(p, PageFlags.PG_HUGE)) {
                    pages.clear(p, PageFlags.PG_HUGE);
                    if (pages.memcg(p) != 0) {
                        m.memcgOf(p).modStat(MemcgStat.RSS_HUGE, -1);
                    }
                }
            }
        }
    }

    /**
     * mem_cgroup_uncharge_swap: the swap entry's charge goes (memsw in v1, swap in v2) and the
     * swap_cgroup record is cleared, so a second call does nothing.
     */
    public void unchargeSwap(int slot) {
        int id = m.swap.swapCgroup(slot);
        if (id == 0) {
            return;
        }
        MemCgroup memcg = m.memcg(id);
        if (!memcg.isRoot()) {
            if (m.memswCharged()) {
                memcg.memsw.uncharge(1);
            } else if (!m.memswCharged() && m.cgroupInterface == CgroupInterface.V2) {
                memcg.swap.uncharge(1);
            }
        }
        memcg.modStat(MemcgStat.SWAP, -1);
        m.swap.setSwapCgroup(slot, 0);
    }

    /** The page's mapped state changed: keep mapped_file (NR_FILE_MAPPED) in step. */
    public void mappedChanged(int pfn, boolean nowMapped) {
        int id = pages.memcg(pfn);
        if (id == 0 || pages.isAnon(pfn)) {
            return;
        }
        m.memcg(id).modStat(MemcgStat.MAPPED_FILE, nowMapped ? 1 : -1);
    }

    /** NR_WRITEBACK of the page's memcg follows its PG_writeback (page cache only). */
    public void writebackChanged(int pfn, boolean nowWriteback) {
        int id = pages.memcg(pfn);
        if (id == 0 || pages.isAnon(pfn) || pages.isShmem(pfn)) {
            return;
        }
        m.memcg(id).modStat(MemcgStat.WRITEBACK, nowWriteback ? 1 : -1);
    }

    /** NR_FILE_DIRTY of the page's memcg follows its PG_dirty (page cache only). */
    public void dirtyChanged(int pfn, boolean nowDirty) {
        int id = pages.memcg(pfn);
        if (id == 0 || pages.isAnon(pfn) || pages.isShmem(pfn)) {
            return;
        }
        m.memcg(id).modStat(MemcgStat.DIRTY, nowDirty ? 1 : -1);
    }
}
