package dev.memcgdiff.mm;

import dev.memcgdiff.kernel.ChargeRequest;
import dev.memcgdiff.kernel.ChargeRequest.Purpose;
import dev.memcgdiff.kernel.ChargeResult;
import dev.memcgdiff.kernel.KernelOps;
import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.mm.task.Vma;
import dev.memcgdiff.scenario.HostSpec;
import dev.memcgdiff.scenario.ThpMode;

/**
 * The generic kernel paths that every modelled version walks the same way, calling the
 * version's {@link KernelOps} where its source decides differently: the page allocator's slow
 * path, anonymous and file faults, swap-in, buffered read and write, tmpfs writes. Return codes
 * follow the kernel: {@link #OK}, {@link #VM_FAULT_OOM} from faults, {@link #ENOMEM} from syscalls.
 */
public final class Mm {
    public static final int OK = 0;
    public static final int VM_FAULT_OOM = 1;
    public static final int ENOMEM = 2;

    /** VM_MAX_READAHEAD: 128 KiB, the default read_ahead_kb. */
    public static final int RA_PAGES = 32;

    static final int HPAGE_PMD_NR = 512;
    /** How many times the slow path loops before the model calls the allocation a livelock. */
    private static final int ALLOC_LOOP_LIMIT = 1000;

    private final Machine m;
    private final KernelOps ops;
    private final Pages pages;

    public Mm(Machine m) {
        this.m = m;
        this.ops = m.ops();
        this.pages = m.pages;
    }

    // ---------------------------------------------------------------- page allocator

    /**
     * __alloc_pages_nodemask for one page: the fast path above the low watermark, then the slow
     * path: wake kswapd, retry at min, direct reclaim, and the global OOM killer.
     *
     * @return the pfn, or -1 when the allocation fails
     */
    public int allocPage(Task t, int gfp) {
        int pfn = m.takeFreePage(t, Machine.WatermarkLevel.LOW);
        return pfn != Pages.NONE ? pfn : allocPagesSlowpath(t, gfp);
    }

    private int allocPagesSlowpath(Task t, int gfp) {
        for (Node node : m.nodes) {
            if (!node.watermarkOk(node.wmarkLow())) {
                ops.reclaim().kswapd(node);
            }
        }
        int pfn = m.takeFreePage(t, Machine.WatermarkLevel.MIN);
        if (pfn != Pages.NONE) {
            return pfn;
        }
        if (t != null && t.oomVictim) {
            return m.takeFreePage(t, Machine.WatermarkLevel.NONE); // ALLOC_NO_WATERMARKS for TIF_MEMDIE
        }
        if (!Gfp.has(gfp, Gfp.DIRECT_RECLAIM)) {
            return Pages.NONE;
        }
        int noProgress = 0;
        for (int loop = 0; loop < ALLOC_LOOP_LIMIT && m.panic == null; loop++) {
            m.countEvent(VmEvent.ALLOCSTALL, null, 1);
            // __perform_reclaim (4.18.0-147) / __alloc_pages_direct_reclaim (5.18): a memory stall
            m.psi().memstallEnter(t, m.clock.now());
            long progress = ops.reclaim().tryToFreePages(gfp);
            m.psi().memstallLeave(t, m.clock.now());
            pfn = m.takeFreePage(t, Machine.WatermarkLevel.MIN);
            if (pfn != Pages.NONE) {
                return pfn;
            }
            if (Gfp.has(gfp, Gfp.NORETRY)) {
                return Pages.NONE; // "do not loop if specifically requested"
            }
            noProgress = progress > 0 ? 0 : noProgress + 1;
            if (noProgress <= m.traits().allocNoProgressRetries()) {
                continue;
            }
            // __alloc_pages_may_oom: one last try at the high watermark, then the OOM killer.
            pfn = m.takeFreePage(t, Machine.WatermarkLevel.HIGH);
            if (pfn != Pages.NONE) {
                return pfn;
            }
            m.trace.count(
                    TracePoints.ALLOC_SLOWPATH_OOM, null, "__alloc_pages_slowpath: no reclaim progress, out_of_memory");
            if (!ops.oom().outOfMemory(gfp, t)) {
                return Pages.NONE;
            }
            if (t != null && t.oomVictim) {
                return m.takeFreePage(t, Machine.WatermarkLevel.NONE);
            }
            noProgress = 0;
        }
        return Pages.NONE;
    }

    // ---------------------------------------------------------------- anonymous memory

    /**
     * handle_mm_fault on an anonymous address: a resident page is just accessed, a swap entry is
     * swapped in (do_swap_page), an empty pte gets a new page (do_anonymous_page).
     */
    public int handleAnonFault(Task t, long vpage) {
        m.countEvent(VmEvent.PGFAULT, t.memcg(), 1);
        int e = t.anon.get(vpage);
        if (Entry.isPage(e)) {
            t.anonVma.markYoung(vpage);
            return OK;
        }
        if (Entry.isSwap(e)) {
            return doSwapPage(t, vpage, Entry.payload(e));
        }
        return doAnonymousPage(t, vpage);
    }

    /** do_anonymous_page: allocate, charge (mem_cgroup_try_charge_delay / mem_cgroup_charge), map, LRU. */
    public int doAnonymousPage(Task t, long vpage) {
        m.clock.spend(Costs.FAULT_NS + Costs.ZERO_PAGE_NS);
        m.site = CallSite.ANON_FAULT;
        int pfn = allocPage(t, Gfp.GFP_HIGHUSER_MOVABLE);
        if (pfn == Pages.NONE) {
            return VM_FAULT_OOM;
        }
        ChargeRequest req = new ChargeRequest(t.memcg(), 1, Gfp.GFP_KERNEL, t, true, Purpose.ANON);
        ChargeResult charge = charge(req);
        if (!charge.charged()) {
            m.freePage(pfn);
            return VM_FAULT_OOM;
        }
        m.rmap().mapNewAnon(t, vpage, pfn);
        m.charging().commit(pfn, charge.committedTo());
        ops.lru().lruAddNewAnon(pfn);
        return OK;
    }

    /**
     * do_huge_pmd_anonymous_page: with THP enabled and a 2 MiB aligned, fully wanted range, try a
     * 512-page charge first; any failure falls back to 4 KiB pages (THP_FAULT_FALLBACK).
     *
     * @return pages faulted in (512), or 0 when the caller must fall back
     */
    public int tryHugeAnonFault(Task t, long vpage, long wanted) {
        if (m.thp != ThpMode.ALWAYS
                || vpage % HPAGE_PMD_NR != 0
                || wanted < HPAGE_PMD_NR
                || t.anon.get(vpage) != Entry.EMPTY) {
            return 0;
        }
        int[] huge = new int[HPAGE_PMD_NR];
        int got = 0;
        while (got < HPAGE_PMD_NR) {
            int pfn = m.takeFreePage(t, Machine.WatermarkLevel.LOW);
            if (pfn == Pages.NONE) {
                break;
            }
            huge[got++] = pfn;
        }
        ChargeRequest req =
                new ChargeRequest(t.memcg(), HPAGE_PMD_NR, m.traits().hugePageChargeGfp(), t, true, Purpose.THP);
        MemCgroup memcg = t.memcg();
        boolean allocated = got == HPAGE_PMD_NR;
        ChargeResult charge = allocated ? charge(req) : ChargeResult.FAILED;
        if (!charge.charged()) {
            for (int i = 0; i < got; i++) {
                m.freePage(huge[i]);
            }
            m.countEvent(VmEvent.THP_FAULT_FALLBACK, memcg, 1);
            if (allocated) {
                m.countEvent(VmEvent.THP_FAULT_FALLBACK_CHARGE, memcg, 1);
            }
            m.trace.count(TracePoints.THP_FALLBACK, memcg, "thp fault fallback to 4K pages in " + memcg.path());
            return 0;
        }
        m.countEvent(VmEvent.PGFAULT, memcg, 1);
        m.countEvent(VmEvent.THP_FAULT_ALLOC, memcg, 1);
        m.clock.spend(Costs.FAULT_NS + HPAGE_PMD_NR * Costs.ZERO_PAGE_NS);
        MemCgroup target = charge.committedTo();
        for (int i = 0; i < HPAGE_PMD_NR; i++) {
            int pfn = huge[i];
            m.rmap().mapNewAnon(t, vpage + i, pfn);
            pages.set(pfn, PageFlags.PG_HUGE);
            m.charging().commit(pfn, target, i == 0); // one pgpgin per charge event, as for a compound page
            ops.lru().lruAddNewAnon(pfn);
        }
        return HPAGE_PMD_NR;
    }

    /**
     * do_swap_page: find the page in the swap cache or read it in, charge it to the memcg the
     * swap entry was recorded for, map it, and free the slot when swap is full.
     */
    public int doSwapPage(Task t, long vpage, int slot) {
        m.clock.spend(Costs.FAULT_NS);
        m.site = CallSite.SWAPIN_FAULT;
        int pfn = m.swap.cachePfn(slot);
        if (pfn < 0) {
            pfn = allocPage(t, Gfp.GFP_HIGHUSER_MOVABLE);
            if (pfn == Pages.NONE) {
                return VM_FAULT_OOM;
            }
            m.countEvent(VmEvent.PGMAJFAULT, t.memcg(), 1);
            m.countHostEvent(VmEvent.PSWPIN, 1);
            long readFrom = waitForRead(m.swapDisk, 1); // swap_readpage, and the fault waits for it
            long readTo = m.clock.now();
            MemCgroup owner = m.swapCache().owner(slot);
            MemCgroup memcg = owner != null ? owner : t.memcg();
            int gfp = m.traits().swapinChargeGfp();
            ChargeRequest req = new ChargeRequest(memcg, 1, gfp, t, true, Purpose.SWAPIN);
            ChargeResult charge = charge(req);
            if (!charge.charged()) {
                m.freePage(pfn);
                return VM_FAULT_OOM;
            }
            memcg = charge.committedTo();
            pages.set(pfn, PageFlags.PG_ANON | PageFlags.PG_SWAPBACKED);
            pages.setMapping(pfn, t.id(), (int) vpage);
            commitSwapin(pfn, slot, memcg, gfp);
            thrashing(t, pfn, true, readFrom, readTo);
            if (m.traits().swapinActivates()) {
                pages.set(pfn, PageFlags.PG_ACTIVE);
            }
            ops.lru().lruCacheAdd(pfn, m.lruvecOf(pfn));
        }
        m.rmap().mapSwappedIn(t, vpage, pfn);
        m.swapCache().swapFree(slot);
        if (pages.test(pfn, PageFlags.PG_SWAPCACHE) && (m.swapCache().swapFull(m.memcgOf(pfn)) || t.anonVma.locked())) {
            m.swapCache().delete(pfn); // try_to_free_swap
        }
        return OK;
    }

    /**
     * A page read back from swap joins the swap cache and its memcg; with memsw accounting the
     * entry's double charge is dropped (mem_cgroup_uncharge_swap); a shadow left in the slot goes
     * to workingset_refault.
     */
    private void commitSwapin(int pfn, int slot, MemCgroup memcg, int gfp) {
        m.swapCache().enter(pfn, slot);
        m.charging().commit(pfn, memcg);
        if (m.memswCharged()) {
            m.charging().unchargeSwap(slot);
        }
        int shadow = m.swap.takeShadow(slot);
        if (shadow >= 0) {
            long value = m.shadows.get(shadow);
            m.shadows.free(shadow);
            workingsetRefault(pfn, value, gfp);
        }
    }

    /** A memcg charge through the kernel's charge path; the stock or counter update costs time. */
    private ChargeResult charge(ChargeRequest req) {
        m.clock.spend(Costs.CHARGE_NS);
        return ops.memcg().tryCharge(req);
    }

    /**
     * add_to_page_cache_lru / do_swap_page: a page comes back where its shadow was; kernels that
     * skip the refault check for __GFP_WRITE adds (4.18, 5.18) do not call workingset_refault then.
     */
    private void workingsetRefault(int pfn, long shadow, int gfp) {
        if (m.traits().refaultSkipsWriteAdds() && Gfp.has(gfp, Gfp.WRITE)) {
            return;
        }
        ops.lru().workingsetRefault(pfn, shadow);
    }

    // ---------------------------------------------------------------- page cache

    /**
     * add_to_page_cache_lru with the page allocation before it: allocate, charge the current task's
     * memcg, insert into the file (taking over a shadow entry), refault check, LRU.
     *
     * @return the pfn, -1 when the allocation failed, -2 when the charge failed
     */
    /**
     * mapping_gfp_mask: XFS clears __GFP_FS in the mask of every regular file's mapping
     * (fs/xfs/xfs_iops.c:xfs_setup_inode, in all three kernels), so a page cache charge made
     * with the mapping's mask may not enter the filesystem (no waiting on writeback in reclaim,
     * and 4.18.0-147's out_of_memory gives up on it). A page fault adds __GFP_FS back
     * (mm/memory.c:__get_fault_gfp_mask (4.18.0-147, 5.18)).
     */
    private int mappingGfp(CachedFile f, int gfp) {
        return m.fs == HostSpec.Fs.XFS && !f.tmpfs() ? gfp & ~Gfp.FS : gfp;
    }

    /**
     * The charge mask of a read and its readahead: the mapping's (4.18, 5.18:
     * mapping_gfp_constraint and readahead_gfp_mask) or a plain GFP_KERNEL (3.10:
     * mm/filemap.c:do_generic_file_read and mm/readahead.c:read_pages (3.10.0-1160)).
     */
    private int readGfp(CachedFile f, int gfp) {
        return m.traits().readChargesWithMappingGfp() ? mappingGfp(f, gfp) : gfp;
    }

    public int addToPageCacheLru(Task t, CachedFile f, long idx, int gfp, boolean userFault) {
        return addToPageCacheLru(t, f, idx, gfp, gfp, userFault);
    }

    /**
     * add_to_page_cache_lru after page_cache_alloc, when the allocation and the charge use
     * different masks (read(2) allocates with the mapping's gfp and charges with
     * mapping_gfp_constraint(mapping, GFP_KERNEL)).
     */
    public int addToPageCacheLru(Task t, CachedFile f, long idx, int allocGfp, int gfp, boolean userFault) {
        int pfn = allocPage(t, allocGfp);
        if (pfn == Pages.NONE) {
            return -1;
        }
        ChargeRequest req = new ChargeRequest(t == null ? m.root() : t.memcg(), 1, gfp, t, userFault, Purpose.CACHE);
        ChargeResult charge = charge(req);
        if (!charge.charged()) {
            m.freePage(pfn);
            return -2;
        }
        MemCgroup memcg = charge.committedTo();
        pages.setMapping(pfn, f.id(), (int) idx);
        int old = f.pages.get(idx);
        f.pages.set(idx, Entry.page(pfn));
        f.nrpages++;
        m.charging().commit(pfn, memcg);
        if (Entry.isShadow(old)) {
            int s = Entry.payload(old);
            long shadow = m.shadows.get(s);
            m.shadows.free(s);
            f.nrShadows--;
            workingsetRefault(pfn, shadow, gfp);
        }
        ops.lru().lruCacheAdd(pfn, m.lruvecOf(pfn));
        return pfn;
    }

    /**
     * A read-around or readahead window: add every missing page in [from, to) with the readahead
     * gfp (__GFP_NORETRY: a failed charge drops the page, never OOM-kills). An allocation failure
     * ends the window.
     *
     * @return when the wait for the window's read began (the wait ends at the return)
     */
    public long readahead(Task t, CachedFile f, long from, long to, boolean userFault) {
        long read = 0;
        for (long idx = from; idx < to; idx++) {
            if (Entry.isPage(f.pages.get(idx))) {
                continue;
            }
            int pfn = addToPageCacheLru(t, f, idx, readGfp(f, Gfp.READAHEAD), userFault);
            if (pfn == -1) {
                break;
            }
            if (pfn >= 0) {
                read++;
            }
        }
        return waitForRead(m.disk, read);
    }

    /**
     * read_pages + wait_on_page_locked: one request for the pages, and the reader waits for it.
     *
     * @return when the wait began
     */
    private long waitForRead(BlockDevice disk, long pages) {
        long from = m.clock.now();
        if (pages > 0) {
            m.ioWaitUntil(disk.submitRead(from, pages));
        }
        return from;
    }

    /**
     * wait_on_page_bit_common (4.18.0-147) / folio_wait_bit_common (5.18): the wait for the read of
     * a page that is not uptodate and is PG_workingset is a memory stall (thrashing: the page
     * refaulted into the workingset). On 4.18 every page read from swap is PG_workingset
     * (__read_swap_cache_async); the model sets the flag only where workingset_refault does, so
     * {@code swapin} applies that rule here.
     */
    private void thrashing(Task t, int pfn, boolean swapin, long from, long to) {
        if (pages.test(pfn, PageFlags.PG_WORKINGSET)
                || (swapin && m.traits().psi().swapinWorkingset())) {
            m.psi().memstall(t, from, to);
        }
    }

    /**
     * generic_file_buffered_read of one page: on a miss, synchronous readahead of the request's
     * window, then a single-page add with GFP_KERNEL; the page is marked accessed.
     *
     * @return OK or ENOMEM
     */
    public int bufferedReadPage(Task t, CachedFile f, long idx, long requestEnd) {
        m.clock.spend(Costs.FILE_PAGE_NS + Costs.COPY_PAGE_NS);
        m.site = CallSite.FILE_READ;
        f.sizePages = Math.max(f.sizePages, requestEnd);
        int e = f.pages.get(idx);
        if (!Entry.isPage(e)) {
            long readFrom = readahead(t, f, idx, Math.min(requestEnd, idx + RA_PAGES), false);
            e = f.pages.get(idx);
            if (!Entry.isPage(e)) {
                int pfn = addToPageCacheLru(
                        t, f, idx, mappingGfp(f, Gfp.GFP_HIGHUSER_MOVABLE), readGfp(f, Gfp.GFP_KERNEL), false);
                if (pfn < 0) {
                    return ENOMEM;
                }
                readFrom = waitForRead(m.disk, 1);
                e = Entry.page(pfn);
            }
            thrashing(t, Entry.pfn(e), false, readFrom, m.clock.now());
        }
        ops.lru().markPageAccessed(Entry.pfn(e));
        return OK;
    }

    /**
     * generic_perform_write of one page appended to the file: grab_cache_page_write_begin
     * (__GFP_WRITE), copy, set_page_dirty, balance_dirty_pages.
     */
    public int bufferedWritePage(Task t, CachedFile f) {
        m.clock.spend(Costs.FILE_PAGE_NS + Costs.COPY_PAGE_NS);
        m.site = CallSite.FILE_WRITE;
        long idx = f.sizePages;
        int e = f.pages.get(idx);
        int pfn;
        if (Entry.isPage(e)) {
            pfn = Entry.pfn(e);
        } else {
            pfn = addToPageCacheLru(t, f, idx, mappingGfp(f, Gfp.GFP_HIGHUSER_MOVABLE | Gfp.WRITE), false);
            if (pfn < 0) {
                return ENOMEM;
            }
        }
        if (m.traits().writeMarksAccessed()) {
            ops.lru().markPageAccessed(pfn);
        }
        m.writeback().setDirty(pfn);
        f.sizePages = idx + 1;
        m.writeback().balanceDirtyPages(t);
        return OK;
    }

    /**
     * filemap_fault for one page of a file mapping (read fault): a hit is just mapped; a miss is
     * a major fault with read-around, then page_cache_read. tmpfs files go through shmem_fault.
     */
    public int filemapFault(Task t, Vma vma, long idx) {
        m.clock.spend(Costs.FAULT_NS);
        m.site = m.files.byId(vma.fileId()).tmpfs() ? CallSite.SHMEM_FAULT : CallSite.FILE_FAULT;
        m.countEvent(VmEvent.PGFAULT, t.memcg(), 1);
        CachedFile f = m.files.byId(vma.fileId());
        int e = f.pages.get(idx);
        int pfn;
        if (Entry.isPage(e)) {
            pfn = Entry.pfn(e);
        } else if (f.tmpfs()) {
            pfn = shmemGetpage(t, f, idx, true, true);
            if (pfn < 0) {
                return VM_FAULT_OOM;
            }
        } else {
            m.countEvent(VmEvent.PGMAJFAULT, t.memcg(), 1);
            long start = Math.max(0, idx - RA_PAGES / 2);
            long readFrom = readahead(t, f, start, Math.min(f.sizePages, start + RA_PAGES), true);
            e = f.pages.get(idx);
            if (Entry.isPage(e)) {
                pfn = Entry.pfn(e);
            } else {
                pfn = addToPageCacheLru(t, f, idx, Gfp.GFP_HIGHUSER_MOVABLE, true);
                if (pfn < 0) {
                    return VM_FAULT_OOM;
                }
                readFrom = waitForRead(m.disk, 1);
            }
            thrashing(t, pfn, false, readFrom, m.clock.now());
        }
        m.rmap().mapFile(vma, idx, pfn);
        return OK;
    }

    // ---------------------------------------------------------------- tmpfs

    /**
     * shmem_getpage_gfp: the tmpfs page at {@code idx}, swapped back in if it is in swap, or a
     * new page when {@code allocate} (SGP_WRITE / a fault) and the slot is a hole.
     *
     * @return the pfn; -1 for a hole that is not allocated; -2 when allocation or charge failed
     */
    public int shmemGetpage(Task t, CachedFile f, long idx, boolean allocate, boolean userFault) {
        int e = f.pages.get(idx);
        if (Entry.isPage(e)) {
            return Entry.pfn(e);
        }
        if (Entry.isSwap(e)) {
            if (!userFault && m.site != CallSite.SHMEM_WRITE) {
                m.site = CallSite.SHMEM_READ;
            }
            return shmemSwapin(t, f, idx, Entry.payload(e), userFault);
        }
        if (!allocate) {
            return -1;
        }
        int pfn = allocPage(t, Gfp.GFP_HIGHUSER_MOVABLE);
        if (pfn == Pages.NONE) {
            return -2;
        }
        // shmem_getpage_gfp charges with the mapping's gfp (GFP_HIGHUSER_MOVABLE)
        ChargeRequest req = new ChargeRequest(t.memcg(), 1, Gfp.GFP_HIGHUSER_MOVABLE, t, userFault, Purpose.SHMEM);
        ChargeResult charge = charge(req);
        if (!charge.charged()) {
            m.freePage(pfn);
            return -2;
        }
        MemCgroup memcg = charge.committedTo();
        pages.set(pfn, PageFlags.PG_SWAPBACKED);
        if (!userFault) {
            pages.set(pfn, PageFlags.PG_REFERENCED); // SGP_WRITE presets PG_referenced
        }
        pages.setMapping(pfn, f.id(), (int) idx);
        f.pages.set(idx, Entry.page(pfn));
        f.nrpages++;
        f.sizePages = Math.max(f.sizePages, idx + 1);
        m.charging().commit(pfn, memcg);
        ops.lru().lruCacheAdd(pfn, m.lruvecOf(pfn));
        pages.set(pfn, PageFlags.PG_DIRTY);
        return pfn;
    }

    private int shmemSwapin(Task t, CachedFile f, long idx, int slot, boolean userFault) {
        int pfn = m.swap.cachePfn(slot);
        boolean fresh = pfn < 0;
        MemCgroup owner = m.swapCache().owner(slot);
        MemCgroup memcg = owner != null ? owner : t.memcg();
        if (fresh) {
            pfn = allocPage(t, Gfp.GFP_HIGHUSER_MOVABLE);
            if (pfn == Pages.NONE) {
                return -2;
            }
            m.countEvent(VmEvent.PGMAJFAULT, t.memcg(), 1);
            m.countHostEvent(VmEvent.PSWPIN, 1);
            long readFrom = waitForRead(m.swapDisk, 1); // swap_readpage, and the fault waits for it
            long readTo = m.clock.now();
            ChargeRequest req = new ChargeRequest(memcg, 1, Gfp.GFP_HIGHUSER_MOVABLE, t, userFault, Purpose.SHMEM);
            ChargeResult charge = charge(req);
            if (!charge.charged()) {
                m.freePage(pfn);
                return -2;
            }
            memcg = charge.committedTo();
            pages.set(pfn, PageFlags.PG_SWAPBACKED);
            pages.setMapping(pfn, f.id(), (int) idx);
            commitSwapin(pfn, slot, memcg, Gfp.GFP_HIGHUSER_MOVABLE);
            thrashing(t, pfn, true, readFrom, readTo);
            ops.lru().lruCacheAdd(pfn, m.lruvecOf(pfn));
        }
        // shmem_add_to_page_cache + delete_from_swap_cache + swap_free: a tmpfs page never stays
        // in both the file and swap.
        f.pages.set(idx, Entry.page(pfn));
        f.nrpages++;
        m.swapCache().delete(pfn);
        m.swapCache().swapFree(slot);
        pages.set(pfn, PageFlags.PG_DIRTY);
        return pfn;
    }

    /** shmem_file_write_iter for one page appended to a tmpfs file. */
    public int shmemWritePage(Task t, CachedFile f) {
        m.clock.spend(Costs.FILE_PAGE_NS + Costs.COPY_PAGE_NS);
        m.site = CallSite.SHMEM_WRITE;
        long idx = f.sizePages;
        int pfn = shmemGetpage(t, f, idx, true, false);
        if (pfn < 0) {
            return ENOMEM;
        }
        f.sizePages = idx + 1;
        return OK;
    }
}
