package dev.memcgdiff.mm;

import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.scenario.CgroupInterface;

/** The swap cache (mm/swap_state.c) and swap slot release (swap_free, free_swap_and_cache). */
public final class SwapCache {
    /** add_to_swap failed: the device has no free slot. */
    public static final int NO_SLOT = -1;
    /** add_to_swap failed: cgroup v2 swap.max was hit (mem_cgroup_try_charge_swap). */
    public static final int SWAP_MAX = -2;

    private final Machine m;
    private final Pages pages;

    SwapCache(Machine m) {
        this.m = m;
        this.pages = m.pages;
    }

    /**
     * add_to_swap for an anonymous page: a slot, the swap cache, PG_dirty so pageout writes it.
     * In cgroup v2 the swap counter is charged first.
     *
     * @return the slot, or {@link #NO_SLOT} / {@link #SWAP_MAX}
     */
    public int addToSwap(int pfn) {
        int slot = m.swap.allocate();
        if (slot < 0) {
            return NO_SLOT;
        }
        if (!m.memswCharged() && m.cgroupInterface == CgroupInterface.V2) {
            PageCounter failed = m.charging().tryChargeSwap(pfn, slot);
            if (failed != null) {
                m.swap.dropCache(slot);
                return SWAP_MAX;
            }
        }
        enter(pfn, slot);
        pages.set(pfn, PageFlags.PG_DIRTY);
        return slot;
    }

    /**
     * shmem_writepage: move a tmpfs page from its file to the swap cache; the file slot now holds
     * the swap entry.
     *
     * @return the slot, or {@link #NO_SLOT} / {@link #SWAP_MAX}
     */
    public int shmemWritepage(int pfn) {
        int slot = addToSwap(pfn);
        if (slot < 0) {
            return slot;
        }
        CachedFile f = m.files.byId(pages.mapping(pfn));
        f.pages.set(pages.index(pfn), Entry.swap(slot));
        f.nrpages--;
        m.swap.dup(slot);
        return slot;
    }

    /** Put a page into the swap cache for {@code slot} (swap-in, or add_to_swap). */
    public void enter(int pfn, int slot) {
        pages.set(pfn, PageFlags.PG_SWAPCACHE);
        pages.setPriv(pfn, slot);
        m.swap.setCachePfn(slot, pfn);
        if (pages.isAnon(pfn) && pages.memcg(pfn) != 0) {
            m.memcgOf(pfn).modStat(MemcgStat.SWAPCACHE, 1);
        }
    }

    /** delete_from_swap_cache + swapcache_free: the page leaves the swap cache; the slot may go. */
    public void delete(int pfn) {
        int slot = pages.priv(pfn);
        if (pages.isAnon(pfn) && pages.memcg(pfn) != 0) {
            m.memcgOf(pfn).modStat(MemcgStat.SWAPCACHE, -1);
        }
        pages.clear(pfn, PageFlags.PG_SWAPCACHE);
        pages.setPriv(pfn, Pages.NONE);
        if (m.swap.dropCache(slot)) {
            slotFreed(slot);
        }
    }

    /** The slot is free: its charge goes, and so does any shadow entry left in it. */
    private void slotFreed(int slot) {
        m.charging().unchargeSwap(slot);
        int shadow = m.swap.takeShadow(slot);
        if (shadow >= 0) {
            m.shadows.free(shadow);
        }
    }

    /**
     * free_swap_and_cache / swap_free: a page table or tmpfs reference to the slot goes. When
     * nothing but the swap cache holds the slot and the cached page is unmapped, the page goes too.
     */
    public void swapFree(int slot) {
        if (m.swap.put(slot)) {
            slotFreed(slot);
            return;
        }
        int pfn = m.swap.cachePfn(slot);
        if (m.swap.count(slot) == 0
                && pfn >= 0
                && pages.mapcount(pfn) == 0
                && !pages.test(pfn, PageFlags.PG_ISOLATED)) {
            delete(pfn);
            m.teardown().releasePage(pfn);
        }
    }

    /** mem_cgroup_swap_full / vm_swap_full: half the device in use, or (v2) half of a swap.max or swap.high. */
    public boolean swapFull(MemCgroup memcg) {
        if (m.swap.full()) {
            return true;
        }
        if (m.cgroupInterface == CgroupInterface.V2) {
            for (MemCgroup c = memcg; c != null && !c.isRoot(); c = c.parent()) {
                if (c.swap.usage() * 2 >= c.swap.max() || c.swap.usage() * 2 >= c.swapHigh) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The memcg a swap entry is recorded for, or null. */
    public MemCgroup owner(int slot) {
        int id = m.swap.swapCgroup(slot);
        return id == 0 ? null : m.memcg(id);
    }
}
