package dev.memcgdiff.linux518;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;

/**
 * mm/workingset.c of 5.18: shadow entries for reclaimed file pages and swap cache anon pages;
 * the nonresident_age clock ticks on an lruvec and all its ancestors; a refault is activated
 * when its distance fits in the evicting lruvec's workingset (workingset_size).
 */
final class Workingset {
    /** WORKINGSET_SHIFT. */
    static final int WORKINGSET_SHIFT = 1;
    /** NODES_SHIFT of an x86-64 distribution config (CONFIG_NODES_SHIFT=10). */
    static final int NODES_SHIFT = 10;
    /** MEM_CGROUP_ID_SHIFT. */
    static final int MEM_CGROUP_ID_SHIFT = 16;
    /** EVICTION_MASK: what is left of an unsigned long after the id, node and workingset bits. */
    static final long EVICTION_MASK = -1L >>> (64 - 63 + WORKINGSET_SHIFT + NODES_SHIFT + MEM_CGROUP_ID_SHIFT);

    private final Machine m;
    private final Pages pages;
    private final MemcgLimits limits;

    Workingset(Machine m, MemcgLimits limits) {
        this.m = m;
        this.pages = m.pages;
        this.limits = limits;
    }

    /** pack_shadow (bucket_order is 0 on 64-bit, so the eviction clock is stored exactly). */
    static long packShadow(int memcgId, int node, long eviction, boolean workingset) {
        long e = eviction & EVICTION_MASK;
        e = (e << MEM_CGROUP_ID_SHIFT) | memcgId;
        e = (e << NODES_SHIFT) | node;
        return (e << WORKINGSET_SHIFT) | (workingset ? 1 : 0);
    }

    static boolean shadowWorkingset(long shadow) {
        return (shadow & 1) != 0;
    }

    static int shadowNode(long shadow) {
        return (int) ((shadow >>> WORKINGSET_SHIFT) & ((1 << NODES_SHIFT) - 1));
    }

    static int shadowMemcgId(long shadow) {
        return (int) ((shadow >>> (WORKINGSET_SHIFT + NODES_SHIFT)) & ((1 << MEM_CGROUP_ID_SHIFT) - 1));
    }

    static long shadowEviction(long shadow) {
        return shadow >>> (WORKINGSET_SHIFT + NODES_SHIFT + MEM_CGROUP_ID_SHIFT);
    }

    /** workingset_age_nonresident: the lruvec and every ancestor's lruvec on the node age. */
    void ageNonresident(MemCgroup memcg, int node, long nrPages) {
        for (MemCgroup c = memcg; c != null; c = LruvecState.parent(c)) {
            c.lruvec(node).nonresidentAge += nrPages;
        }
    }

    /**
     * workingset_eviction: the shadow records the reclaim target's lruvec clock (root for global
     * reclaim), then that clock and its ancestors' advance.
     */
    long eviction(int pfn, MemCgroup target) {
        MemCgroup memcg = target != null ? target : m.root();
        int node = m.nodeOf(pfn);
        long eviction = memcg.lruvec(node).nonresidentAge;
        ageNonresident(memcg, node, 1);
        return packShadow(memcg.id(), node, eviction, pages.test(pfn, PageFlags.PG_WORKINGSET));
    }

    /**
     * workingset_refault: count the refault on the new owner; activate when the distance fits
     * in the evicting lruvec's workingset_size; restore PG_workingset and charge the LRU cost
     * when the page was part of the workingset before it was evicted.
     */
    void refault(int pfn, long shadow) {
        int memcgId = shadowMemcgId(shadow);
        if (memcgId <= 0 || memcgId > m.memcgs().size()) {
            return; // mem_cgroup_from_id: the evicting memcg is gone
        }
        MemCgroup evictionMemcg = m.memcg(memcgId);
        int node = shadowNode(shadow);
        long refault = evictionMemcg.lruvec(node).nonresidentAge;
        long distance = (refault - shadowEviction(shadow)) & EVICTION_MASK;
        boolean file = pages.isFileCache(pfn);
        MemCgroup memcg = m.memcgOf(pfn);
        m.countEvent(file ? VmEvent.WORKINGSET_REFAULT_FILE : VmEvent.WORKINGSET_REFAULT_ANON, memcg, 1);
        long size = workingsetSize(evictionMemcg, node, file, memcg);
        if (distance > size) {
            return;
        }
        pages.set(pfn, PageFlags.PG_ACTIVE);
        ageNonresident(memcg, node, 1);
        m.countEvent(file ? VmEvent.WORKINGSET_ACTIVATE_FILE : VmEvent.WORKINGSET_ACTIVATE_ANON, memcg, 1);
        m.trace.count(
                file ? TracePoints.REFAULT_ACTIVATE_FILE : TracePoints.REFAULT_ACTIVATE_ANON,
                memcg,
                "workingset_refault: activated a refaulting " + (file ? "file" : "anon") + " page of " + memcg.path()
                        + " (evicted under " + evictionMemcg.path() + ")");
        if (shadowWorkingset(shadow)) {
            pages.set(pfn, PageFlags.PG_WORKINGSET);
            LruCost.lruNoteCost(memcg, m.nodeOf(pfn), file, 1);
            m.countEvent(file ? VmEvent.WORKINGSET_RESTORE_FILE : VmEvent.WORKINGSET_RESTORE_ANON, memcg, 1);
        }
    }

    /**
     * The workingset_size rule of workingset_refault: active file always; inactive file for an
     * anon refault; with swap room for the new owner, active anon too, and inactive anon for a
     * file refault. Sizes are the evicting lruvec's hierarchical counts.
     */
    long workingsetSize(MemCgroup evictionMemcg, int node, boolean file, MemCgroup owner) {
        long size = LruvecState.lru(evictionMemcg, node, Lru.ACTIVE_FILE);
        if (!file) {
            size += LruvecState.lru(evictionMemcg, node, Lru.INACTIVE_FILE);
        }
        if (limits.getNrSwapPages(owner) > 0) {
            size += LruvecState.lru(evictionMemcg, node, Lru.ACTIVE_ANON);
            if (file) {
                size += LruvecState.lru(evictionMemcg, node, Lru.INACTIVE_ANON);
            }
        }
        return size;
    }

    /** workingset_activation: folio_mark_accessed promoted a page; its lruvec's clock ages. */
    void activation(int pfn) {
        if (pages.memcg(pfn) == 0) {
            return;
        }
        ageNonresident(m.memcgOf(pfn), m.nodeOf(pfn), 1);
    }
}
