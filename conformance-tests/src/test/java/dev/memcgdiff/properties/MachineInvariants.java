package dev.memcgdiff.properties;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.PageCounter;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.mm.swap.SwapDevice;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.task.Vma;
import dev.memcgdiff.scenario.CgroupInterface;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;

/**
 * What must hold for the machine between any two steps, whatever the kernel decided: every page
 * frame is in exactly one place and reachable from its owner, page tables and page caches name
 * live pages and live swap slots, the swap map counts exactly its references, no counter is
 * negative, and each page counter holds exactly the pages charged in its subtree. The equations
 * follow the model's bookkeeping (Charging, ChargeStock, SwapCache), which mirrors the kernel's:
 * a charge is either on a committed page, in the per-cpu stock, or on a swap entry.
 */
final class MachineInvariants {
    /** Stop collecting after this many: the first ones explain the rest. */
    private static final int MAX_REPORTED = 12;

    private final Machine m;
    private final Pages pages;
    private final SwapDevice swap;
    private final List<String> violations = new ArrayList<>();
    private final long[] chargedPages;
    private final long[] swapOwned;
    private final long[] anonCharged;
    private final long[] cacheCharged;
    private final long[] shmemCharged;
    private final long[] swapCacheCharged;
    private final long[] mappedCharged;
    private final long[] dirtyCharged;
    private final int[] swapRefs;
    private final List<CachedFile> files;
    private final List<Task> tasks;
    /** Each file's mappings, read once: the accessor wraps the list on every call. */
    private final List<List<Vma>> mappings = new ArrayList<>();

    private long dirtyFilePages;
    /** Per file: the map counts of its cached pages, to match against its vmas' present ptes. */
    private final long[] mapcounts;

    private long lruFlagged;
    /** Shadow table indexes named by page caches and swap slots, each at most once. */
    private final BitSet shadowsNamed = new BitSet();

    private long shadowNames;

    private MachineInvariants(Machine m) {
        this.m = m;
        this.pages = m.pages;
        this.swap = m.swap;
        int ids = m.memcgs().size() + 1;
        chargedPages = new long[ids];
        swapOwned = new long[ids];
        anonCharged = new long[ids];
        cacheCharged = new long[ids];
        shmemCharged = new long[ids];
        swapCacheCharged = new long[ids];
        mappedCharged = new long[ids];
        dirtyCharged = new long[ids];
        swapRefs = new int[swap.slots()];
        files = m.files.all();
        tasks = m.tasks();
        mapcounts = new long[files.size()];
        for (CachedFile f : files) {
            mappings.add(f.mappings());
        }
    }

    /** Every violation found, empty when the machine is consistent. */
    static List<String> check(Machine m) {
        MachineInvariants c = new MachineInvariants(m);
        c.pageFrames();
        c.lruLists();
        c.pageTables();
        c.pageCaches();
        c.swapSlots();
        c.counters();
        c.hierarchicalUsage();
        c.stats();
        return c.violations;
    }

    private void fail(String what) {
        if (violations.size() < MAX_REPORTED) {
            violations.add(what);
        } else if (violations.size() == MAX_REPORTED) {
            violations.add("...");
        }
    }

    private boolean full() {
        return violations.size() > MAX_REPORTED;
    }

    // ------------------------------------------------------------------ page frames

    /** Free xor on an LRU list, never isolated between steps, owned by what it says owns it. */
    private void pageFrames() {
        long[] freePerNode = new long[m.nodes.length];
        for (int pfn = 0; pfn < pages.count() && !full(); pfn++) {
            if (pages.test(pfn, PageFlags.PG_FREE)) {
                freePerNode[m.nodeOf(pfn)]++;
                if (pages.test(pfn, PageFlags.PG_LRU) || pages.lru(pfn) != PageFlags.LRU_NONE) {
                    fail("free pfn " + pfn + " is marked on LRU list " + pages.lru(pfn));
                }
                if (pages.memcg(pfn) != 0) {
                    fail("free pfn " + pfn + " is still charged to memcg id " + pages.memcg(pfn));
                }
                continue;
            }
            if (pages.test(pfn, PageFlags.PG_ISOLATED)) {
                fail("pfn " + pfn + " is left isolated between steps (" + describe(pfn) + ")");
            }
            int lru = pages.lru(pfn);
            if (pages.test(pfn, PageFlags.PG_LRU)) {
                lruFlagged++;
            }
            if (!pages.test(pfn, PageFlags.PG_LRU) || lru == PageFlags.LRU_NONE) {
                fail("pfn " + pfn + " is in use but on no LRU list (" + describe(pfn) + ")");
            } else if (lru < Lru.UNEVICTABLE) {
                if (Lru.isFile(lru) != pages.isFileCache(pfn)) {
                    fail("pfn " + pfn + " is on " + Lru.name(lru) + " but is " + describe(pfn));
                }
                if (Lru.isActive(lru) != pages.test(pfn, PageFlags.PG_ACTIVE)) {
                    fail("pfn " + pfn + " is on " + Lru.name(lru) + " with PG_active "
                            + pages.test(pfn, PageFlags.PG_ACTIVE));
                }
            }
            int id = pages.memcg(pfn);
            if (id <= 0 || id >= chargedPages.length) {
                fail("pfn " + pfn + " in use has no memcg (id " + id + ", " + describe(pfn) + ")");
            } else {
                tally(pfn, id);
            }
            owner(pfn);
        }
        for (Node node : m.nodes) {
            if (node.nrFree() != freePerNode[node.id()]) {
                fail("node " + node.id() + " counts " + node.nrFree() + " free pages but " + freePerNode[node.id()]
                        + " of its frames are PG_FREE");
            }
        }
    }

    private void tally(int pfn, int id) {
        chargedPages[id]++;
        if (pages.isAnon(pfn)) {
            anonCharged[id]++;
            if (pages.test(pfn, PageFlags.PG_SWAPCACHE)) {
                swapCacheCharged[id]++;
            }
            return;
        }
        cacheCharged[id]++;
        if (pages.isShmem(pfn)) {
            shmemCharged[id]++;
        } else if (pages.test(pfn, PageFlags.PG_DIRTY)) {
            dirtyCharged[id]++;
            dirtyFilePages++;
        }
        if (pages.mapcount(pfn) > 0) {
            mappedCharged[id]++;
        }
    }

    /** The page is reachable from its owner: a pte, a page cache slot, or the swap cache. */
    private void owner(int pfn) {
        boolean inSwapCache = false;
        if (pages.test(pfn, PageFlags.PG_SWAPCACHE)) {
            int slot = pages.priv(pfn);
            if (slot < 0 || slot >= swap.slots() || swap.cachePfn(slot) != pfn) {
                fail("pfn " + pfn + " has PG_swapcache for slot " + slot + " but the swap cache does not hold it");
            } else {
                inSwapCache = true;
            }
        }
        int owner = pages.mapping(pfn);
        long idx = pages.index(pfn);
        if (pages.isAnon(pfn)) {
            if (owner < 0 || owner >= tasks.size()) {
                fail("anon pfn " + pfn + " names no task (mapping " + owner + ")");
                return;
            }
            Task t = tasks.get(owner);
            boolean mapped = t.anon.get(idx) == Entry.page(pfn);
            if (!mapped && !inSwapCache) {
                fail("anon pfn " + pfn + " of " + t + " at page " + idx + " is neither mapped nor in the swap cache");
            }
            if (pages.mapcount(pfn) != (mapped ? 1 : 0)) {
                fail("anon pfn " + pfn + " has mapcount " + pages.mapcount(pfn) + " but is " + (mapped ? "" : "not ")
                        + "mapped by " + t);
            }
            return;
        }
        if (owner < 0 || owner >= files.size()) {
            fail("page cache pfn " + pfn + " names no file (mapping " + owner + ")");
            return;
        }
        CachedFile f = files.get(owner);
        boolean cached = f.pages.get(idx) == Entry.page(pfn);
        if (!cached && !(pages.isShmem(pfn) && inSwapCache)) {
            fail("pfn " + pfn + " of " + f.path() + " at index " + idx + " is not in the file's page cache"
                    + (pages.isShmem(pfn) ? " nor in the swap cache" : ""));
        }
        if (f.tmpfs() != pages.isShmem(pfn)) {
            fail("pfn " + pfn + " of " + f.path() + " is " + (pages.isShmem(pfn) ? "" : "not ") + "swap-backed on a "
                    + (f.tmpfs() ? "tmpfs" : "disk") + " file");
        }
        int maps = 0;
        for (Vma vma : mappings.get(owner)) {
            if (vma.covers(idx) && vma.isPresent(idx)) {
                maps++;
            }
        }
        if (cached) {
            mapcounts[owner] += pages.mapcount(pfn);
        }
        if (cached && pages.mapcount(pfn) != maps) {
            fail("pfn " + pfn + " of " + f.path() + " has mapcount " + pages.mapcount(pfn) + " but " + maps
                    + " ptes map it");
        }
    }

    private String describe(int pfn) {
        String kind = pages.isAnon(pfn) ? "anon" : pages.isShmem(pfn) ? "shmem" : "file";
        return kind + ", memcg id " + pages.memcg(pfn) + ", flags 0x" + Integer.toHexString(pages.flags(pfn));
    }

    // ------------------------------------------------------------------ LRU lists

    /** Walk every list of every lruvec: links, sizes, and each page on the list its memcg and node name. */
    private void lruLists() {
        BitSet seen = new BitSet(pages.count());
        long onLists = 0;
        for (MemCgroup memcg : m.memcgs()) {
            for (int node = 0; node < memcg.nodes(); node++) {
                Lruvec lruvec = memcg.lruvec(node);
                for (int lru = 0; lru < Lru.NR_LRU_LISTS && !full(); lru++) {
                    onLists += walk(memcg, node, lruvec, lru, seen);
                }
            }
        }
        if (!full() && onLists != lruFlagged) {
            fail(onLists + " pages on LRU lists but " + lruFlagged + " pages in use have PG_lru");
        }
    }

    private long walk(MemCgroup memcg, int node, Lruvec lruvec, int lru, BitSet seen) {
        String where = Lru.name(lru) + " of " + memcg.path() + " node " + node;
        long count = 0;
        int prev = Pages.NONE;
        for (int pfn = lruvec.head(lru); pfn != Pages.NONE; pfn = pages.next(pfn)) {
            if (pfn < 0 || pfn >= pages.count()) {
                fail(where + " links to pfn " + pfn);
                return count;
            }
            if (seen.get(pfn)) {
                fail(where + " reaches pfn " + pfn + " a second time");
                return count;
            }
            seen.set(pfn);
            count++;
            if (pages.prev(pfn) != prev) {
                fail(where + ": pfn " + pfn + " links back to " + pages.prev(pfn) + " instead of " + prev);
            }
            if (pages.test(pfn, PageFlags.PG_FREE) || !pages.test(pfn, PageFlags.PG_LRU) || pages.lru(pfn) != lru) {
                fail(where + " holds pfn " + pfn + " whose flags say otherwise (" + describe(pfn) + ")");
            }
            int id = pages.memcg(pfn);
            if (id != memcg.id() && !(id == 0 && memcg.isRoot())) {
                fail(where + " holds pfn " + pfn + " charged to memcg id " + id);
            }
            if (m.nodeOf(pfn) != node) {
                fail(where + " holds pfn " + pfn + " of node " + m.nodeOf(pfn));
            }
            prev = pfn;
        }
        if (lruvec.tail(lru) != prev) {
            fail(where + ": tail is " + lruvec.tail(lru) + " but the walk ends at " + prev);
        }
        if (lruvec.size(lru) != count) {
            fail(where + ": size " + lruvec.size(lru) + " but " + count + " pages are linked");
        }
        return count;
    }

    // ------------------------------------------------------------------ page tables and page caches

    private void pageTables() {
        for (Task t : tasks) {
            long resident = 0;
            long swapped = 0;
            for (long idx = 0; idx < t.anon.length() && !full(); idx++) {
                int e = t.anon.get(idx);
                if (Entry.isPage(e)) {
                    resident++;
                    int pfn = Entry.pfn(e);
                    if (!livePage(pfn)) {
                        fail(t + " page " + idx + " names pfn " + pfn + ", which is free or outside the host");
                        continue;
                    }
                    if (!pages.isAnon(pfn) || pages.mapping(pfn) != t.id() || pages.index(pfn) != idx) {
                        fail(t + " page " + idx + " maps pfn " + pfn + " that belongs elsewhere (" + describe(pfn)
                                + ")");
                    }
                } else if (Entry.isSwap(e)) {
                    swapped++;
                    if (!swapReference(Entry.payload(e))) {
                        fail(t + " page " + idx + " names swap slot " + Entry.payload(e) + ", which is not in use");
                    }
                } else if (Entry.isShadow(e)) {
                    fail(t + " page " + idx + " holds a shadow entry");
                }
            }
            if (t.rssAnon != resident) {
                fail(t + " MM_ANONPAGES " + t.rssAnon + " but " + resident + " anon ptes are present");
            }
            if (t.swapEnts != swapped) {
                fail(t + " MM_SWAPENTS " + t.swapEnts + " but " + swapped + " swap ptes");
            }
            fileRss(t);
            if (!t.alive() && (resident + swapped > 0 || !t.fileVmas().isEmpty())) {
                fail(t + " exited but keeps " + resident + " pages, " + swapped + " swap entries, "
                        + t.fileVmas().size() + " file mappings");
            }
        }
    }

    /** The task's file rss counters are its present file ptes. */
    private void fileRss(Task t) {
        long file = 0;
        long shmem = 0;
        for (Vma vma : t.fileVmas()) {
            if (files.get(vma.fileId()).tmpfs()) {
                shmem += vma.presentCount();
            } else {
                file += vma.presentCount();
            }
        }
        if (t.rssFile != file || t.rssShmem != shmem) {
            fail(t + " MM_FILEPAGES " + t.rssFile + " MM_SHMEMPAGES " + t.rssShmem + " but its ptes map " + file
                    + " file and " + shmem + " shmem pages");
        }
    }

    private void pageCaches() {
        for (CachedFile f : files) {
            long resident = 0;
            long shadows = 0;
            for (long idx = 0; idx < f.pages.length() && !full(); idx++) {
                int e = f.pages.get(idx);
                if (Entry.isPage(e)) {
                    resident++;
                    int pfn = Entry.pfn(e);
                    if (!livePage(pfn)) {
                        fail(f.path() + " index " + idx + " names pfn " + pfn + ", which is free or outside the host");
                    } else if ((pages.isAnon(pfn) || pages.mapping(pfn) != f.id() || pages.index(pfn) != idx)) {
                        fail(f.path() + " index " + idx + " holds pfn " + pfn + " that belongs elsewhere ("
                                + describe(pfn) + ")");
                    }
                } else if (Entry.isSwap(e)) {
                    if (!f.tmpfs()) {
                        fail(f.path() + " index " + idx + " holds a swap entry but is not on tmpfs");
                    }
                    if (!swapReference(Entry.payload(e))) {
                        fail(f.path() + " index " + idx + " names swap slot " + Entry.payload(e)
                                + ", which is not in use");
                    }
                } else if (Entry.isShadow(e)) {
                    shadows++;
                    if (!nameShadow(Entry.payload(e))) {
                        fail(f.path() + " index " + idx + " names shadow " + Entry.payload(e)
                                + ", which something else names too");
                    }
                }
            }
            long ptes = 0;
            for (Vma vma : mappings.get(f.id())) {
                ptes += vma.presentCount();
            }
            if (ptes != mapcounts[f.id()]) {
                fail(f.path() + " is mapped by " + ptes + " present ptes but its pages' map counts add up to "
                        + mapcounts[f.id()] + ": a pte maps a page the cache does not hold");
            }
            if (f.nrpages != resident) {
                fail(f.path() + " nrpages " + f.nrpages + " but " + resident + " pages are in its cache");
            }
            if (f.nrShadows != shadows) {
                fail(f.path() + " counts " + f.nrShadows + " shadows but holds " + shadows);
            }
            if (f.unlinked() && resident > 0) {
                fail(f.path() + " was unlinked but keeps " + resident + " pages");
            }
        }
    }

    private boolean livePage(int pfn) {
        return pfn >= 0 && pfn < pages.count() && !pages.test(pfn, PageFlags.PG_FREE);
    }

    /** Count a reference to the slot; false when the device does not have it in use. */
    private boolean swapReference(int slot) {
        if (slot < 0 || slot >= swap.slots()) {
            return false;
        }
        swapRefs[slot]++;
        return swap.count(slot) > 0;
    }

    /** Count a reference to a shadow table entry; false when it was already named. */
    private boolean nameShadow(int index) {
        boolean first = !shadowsNamed.get(index);
        shadowsNamed.set(index);
        shadowNames++;
        return first;
    }

    // ------------------------------------------------------------------ swap

    /** swap_map counts exactly the ptes and shmem slots naming a slot; in use = referenced or cached. */
    private void swapSlots() {
        long inUse = 0;
        for (int slot = 0; slot < swap.slots() && !full(); slot++) {
            if (swap.count(slot) != swapRefs[slot]) {
                fail("swap slot " + slot + " has swap count " + swap.count(slot) + " but " + swapRefs[slot]
                        + " entries name it");
            }
            int pfn = swap.cachePfn(slot);
            if (swap.hasCache(slot) != (pfn >= 0)) {
                fail("swap slot " + slot + " SWAP_HAS_CACHE " + swap.hasCache(slot) + " with swap cache pfn " + pfn);
            }
            if (pfn >= 0
                    && (pfn >= pages.count()
                            || pages.test(pfn, PageFlags.PG_FREE)
                            || !pages.test(pfn, PageFlags.PG_SWAPCACHE)
                            || pages.priv(pfn) != slot)) {
                fail("swap slot " + slot + " caches pfn " + pfn + " which is not its swap cache page");
            }
            boolean used = swapRefs[slot] > 0 || swap.hasCache(slot);
            if (used) {
                inUse++;
            } else if (swap.peekShadow(slot) >= 0) {
                fail("free swap slot " + slot + " still holds shadow " + swap.peekShadow(slot)
                        + " (clear_shadow_from_swap_cache frees it with the slot)");
            }
            if (swap.peekShadow(slot) >= 0 && !nameShadow(swap.peekShadow(slot))) {
                fail("swap slot " + slot + " names shadow " + swap.peekShadow(slot)
                        + ", which something else names too");
            }
            int owner = swap.swapCgroup(slot);
            if (owner != 0) {
                if (!used) {
                    fail("free swap slot " + slot + " is still recorded for memcg id " + owner);
                } else if (owner < 0 || owner >= swapOwned.length) {
                    fail("swap slot " + slot + " is recorded for unknown memcg id " + owner);
                } else {
                    swapOwned[owner]++;
                }
            }
        }
        if (!full() && m.shadows.live() != shadowNames) {
            fail("the shadow table holds " + m.shadows.live() + " live entries but page caches and swap slots name "
                    + shadowNames);
        }
        if (!full() && swap.inuse() != inUse) {
            fail("swap device counts " + swap.inuse() + " slots in use but " + inUse
                    + " are referenced or in the swap cache");
        }
    }

    // ------------------------------------------------------------------ counters

    private void counters() {
        for (MemCgroup memcg : m.memcgs()) {
            for (PageCounter c : List.of(memcg.memory, memcg.memsw, memcg.swap, memcg.kmem)) {
                String name = memcg.path() + " " + c.name();
                nonNegative(name + " usage", c.usage());
                nonNegative(name + " failcnt", c.failcnt());
                if (c.watermark() < c.usage()) {
                    fail(name + " watermark " + c.watermark() + " below usage " + c.usage());
                }
            }
            for (MemcgStat s : MemcgStat.values()) {
                nonNegative(memcg.path() + " stat " + s, memcg.stat(s));
            }
            for (VmEvent e : VmEvent.values()) {
                nonNegative(memcg.path() + " event " + e, memcg.event(e));
            }
            for (MemoryEvent e : MemoryEvent.values()) {
                nonNegative(memcg.path() + " memory.events " + e, memcg.memoryEvent(e));
                nonNegative(memcg.path() + " memory.events.local " + e, memcg.memoryEventLocal(e));
            }
            nonNegative(memcg.path() + " under_oom", memcg.underOom);
        }
        for (VmEvent e : VmEvent.values()) {
            nonNegative("/proc/vmstat " + e, m.vmEvent(e));
        }
        for (Task t : m.tasks()) {
            nonNegative(t + " nr_pages_over_high", t.nrPagesOverHigh);
        }
        if (m.writeback().nrDirty() != dirtyFilePages) {
            fail("writeback counts " + m.writeback().nrDirty() + " dirty pages but " + dirtyFilePages
                    + " page cache pages are PG_dirty");
        }
    }

    private void nonNegative(String what, long value) {
        if (value < 0) {
            fail(what + " is negative: " + value);
        }
    }

    /**
     * A counter's usage is what its own memcg holds plus every linked child counter's usage. A
     * memcg holds its committed pages and its stock (memory and memsw), and its swap entries
     * (memsw in v1 with swap accounting, the swap counter in v2). The root is never charged itself.
     */
    private void hierarchicalUsage() {
        boolean memsw = m.memswCharged();
        boolean swapCounter = !memsw && m.cgroupInterface == CgroupInterface.V2;
        for (MemCgroup memcg : m.memcgs()) {
            int id = memcg.id();
            long pagesHeld = memcg.isRoot() ? 0 : chargedPages[id] + m.stock.heldFor(memcg);
            long swapHeld = memcg.isRoot() ? 0 : swapOwned[id];
            usage(memcg, c -> c.memory, pagesHeld);
            usage(memcg, c -> c.memsw, memsw ? pagesHeld + swapHeld : 0);
            usage(memcg, c -> c.swap, swapCounter ? swapHeld : 0);
            usage(memcg, c -> c.kmem, 0);
        }
    }

    private void usage(MemCgroup memcg, Function<MemCgroup, PageCounter> counterOf, long own) {
        PageCounter counter = counterOf.apply(memcg);
        long children = 0;
        for (MemCgroup child : memcg.children()) {
            PageCounter c = counterOf.apply(child);
            if (c.parent() == counter) {
                children += c.usage();
            }
        }
        if (counter.usage() != own + children) {
            fail(memcg.path() + " " + counter.name() + " usage " + counter.usage() + " pages, but it holds " + own
                    + " itself and its linked children " + children + " (pages " + chargedPages[memcg.id()] + ", stock "
                    + m.stock.heldFor(memcg) + ", swap entries " + swapOwned[memcg.id()] + ")");
        }
    }

    /** memory.stat's page counts are the pages charged to the memcg, counted by kind. */
    private void stats() {
        for (MemCgroup memcg : m.memcgs()) {
            int id = memcg.id();
            stat(memcg, MemcgStat.RSS, anonCharged[id]);
            stat(memcg, MemcgStat.CACHE, cacheCharged[id]);
            stat(memcg, MemcgStat.SHMEM, shmemCharged[id]);
            stat(memcg, MemcgStat.SWAPCACHE, swapCacheCharged[id]);
            stat(memcg, MemcgStat.MAPPED_FILE, mappedCharged[id]);
            stat(memcg, MemcgStat.DIRTY, dirtyCharged[id]);
            stat(memcg, MemcgStat.SWAP, swapOwned[id]);
        }
    }

    private void stat(MemCgroup memcg, MemcgStat s, long expected) {
        if (memcg.stat(s) != expected) {
            fail(memcg.path() + " stat " + s + " is " + memcg.stat(s) + " but " + expected + " pages/entries are");
        }
    }
}
