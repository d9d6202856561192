package dev.memcgdiff.mm;

import dev.memcgdiff.mm.filemap.CachedFile;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.page.Entry;
import dev.memcgdiff.mm.page.PageFlags;
import dev.memcgdiff.mm.page.Pages;
import dev.memcgdiff.mm.task.Task;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.HostSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Dirty page cache, the flusher and the writer's throttle (mm/page-writeback.c, fs/fs-writeback.c),
 * on the clock. A written page is dirty until the flusher submits it to the disk; it is then under
 * writeback until the disk completes the request, when end_page_writeback cleans it and rotates a
 * PG_reclaim page to the inactive tail. The flusher writes in chunks of MAX_WRITEBACK_PAGES, up to
 * QUEUE_CHUNKS chunks in flight (the device's request queue), one file's slice per chunk in turn,
 * oldest dirtied file first (requeue_io: a file with more to write waits for the others' turn):
 * in the background once dirty pages pass the
 * background threshold (until they are below it again), periodically for files dirty for longer
 * than dirty_expire_centisecs, and on demand when reclaim wakes it (wakeup_flusher_threads: every
 * dirty page). The writer is throttled by balance_dirty_pages in the global domain.
 */
public final class Writeback {
    /** MAX_WRITEBACK_PAGES (fs/fs-writeback.c): 1024 pages, 4 MiB per chunk. */
    static final int MAX_WRITEBACK_PAGES = 1024;
    /** MAX_PAUSE (mm/page-writeback.c): a writer sleeps at most HZ/5 per balance_dirty_pages loop. */
    static final long MAX_PAUSE_NS = 200_000_000L;
    /** The first nr_dirtied_pause of a task: balance_dirty_pages runs once per 32 pages dirtied. */
    static final int RATELIMIT_PAGES = 32;

    /**
     * Chunks the flusher keeps on the device before it sleeps in the block layer for a free
     * request: 8 chunks, 32 MiB, the order of a SATA disk's nr_requests (64) times a 512 KiB
     * request (block/blk-mq.c:blk_mq_get_tag sleeps when the tags run out). With several chunks
     * queued the device's latency overlaps and the flusher writes at the device's bandwidth.
     */
    static final int QUEUE_CHUNKS = 8;

    private static final long CENTISEC_NS = 10_000_000L;

    private final Machine m;
    private final Pages pages;
    private final HostSpec.DirtySysctls sysctls;
    private final HostSpec.Fs fs;
    private final BlockDevice disk;
    private long nrDirty;
    private long nrWriteback;
    /** Chunks on the disk; the flusher submits more when one completes. */
    private int chunksInFlight;
    /** The file whose slice the last chunk started with (the next chunk starts after it). */
    private int lastFileId = -1;
    /** Background writeback was started and not yet brought below the background threshold. */
    private boolean background;
    /** Pages still to write for wakeup_flusher_threads(WB_REASON_VMSCAN). */
    private long vmscanPages;
    /** The periodic (kupdate) work is armed. */
    private boolean periodicArmed;
    /** The periodic work found expired files and writes them. */
    private boolean periodicDue;

    Writeback(Machine m, HostSpec.DirtySysctls sysctls, HostSpec.Fs fs, BlockDevice disk) {
        this.m = m;
        this.pages = m.pages;
        this.sysctls = sysctls;
        this.fs = fs;
        this.disk = disk;
    }

    public long nrDirty() {
        return nrDirty;
    }

    public long nrWriteback() {
        return nrWriteback;
    }

    /** set_page_dirty on a page cache page (not tmpfs: shmem pages are never written back to a file). */
    public void setDirty(int pfn) {
        if (pages.test(pfn, PageFlags.PG_DIRTY)) {
            return;
        }
        pages.set(pfn, PageFlags.PG_DIRTY);
        if (pages.isShmem(pfn) || pages.isAnon(pfn)) {
            return;
        }
        m.charging().dirtyChanged(pfn, true);
        nrDirty++;
        CachedFile f = m.files.byId(pages.mapping(pfn));
        if (f.nrDirty++ == 0 && f.dirtiedWhen < 0) {
            f.dirtiedWhen = m.clock.now(); // __mark_inode_dirty
        }
        if (!periodicArmed) {
            // wb_wakeup_delayed: the periodic work runs dirty_writeback_centisecs after the first dirtying
            periodicArmed = true;
            m.clock.at(m.clock.now() + sysctls.writebackCentisecs() * CENTISEC_NS, this::periodicWork);
        }
    }

    // ---------------------------------------------------------------- balance_dirty_pages

    /** The dirty and background thresholds of the global domain, in pages. */
    record Thresholds(long dirtyable, long thresh, long bgThresh) {
        long freerun() {
            return (thresh + bgThresh) / 2;
        }
    }

    /**
     * global_dirtyable_memory and domain_dirty_limits: free pages and the file LRUs less the
     * reserves (the high watermarks), and the thresholds from vm.dirty_(background_)ratio or
     * _bytes; a background threshold at or above the dirty threshold is halved.
     */
    Thresholds thresholds() {
        long reserve = 0;
        for (Node node : m.nodes) {
            reserve += node.wmarkHigh();
        }
        long dirtyable = Math.max(0, m.freePages() + hostFileLru() - reserve);
        return limits(dirtyable, dirtyable);
    }

    /**
     * domain_dirty_limits: the thresholds of a domain with {@code dirtyable} pages; the _bytes
     * sysctls count against the global domain and are scaled to a memcg's share of it.
     */
    private Thresholds limits(long dirtyable, long globalDirtyable) {
        long thresh = sysctls.usesBytes()
                ? scale(sysctls.bytes() / 4096, dirtyable, globalDirtyable)
                : dirtyable * sysctls.ratio() / 100;
        long bg = sysctls.backgroundUsesBytes()
                ? scale(sysctls.backgroundBytes() / 4096, dirtyable, globalDirtyable)
                : dirtyable * sysctls.backgroundRatio() / 100;
        if (bg >= thresh) {
            bg = thresh / 2;
        }
        return new Thresholds(dirtyable, thresh, bg);
    }

    private static long scale(long pages, long part, long whole) {
        return whole == 0 ? pages : (long) ((double) pages * part / whole);
    }

    /**
     * The memcg's own domain (mem_cgroup_wb_stats, with cgroup writeback: cgroup v2 on a filesystem
     * the kernel writes back per cgroup): its dirtyable memory is its file pages plus its headroom
     * under the nearest limit up the tree, at most the global dirtyable memory; null where the
     * kernel throttles in the global domain only.
     */
    Thresholds memcgThresholds(MemCgroup memcg, Thresholds global) {
        if (memcg == null
                || memcg.isRoot()
                || m.cgroupInterface != CgroupInterface.V2
                || !m.traits().cgroupWritebackFs().contains(fs)) {
            return null;
        }
        long headroom = Long.MAX_VALUE;
        for (MemCgroup c = memcg; c != null && !c.isRoot(); c = c.parent()) {
            long ceiling = Math.min(c.memory.max(), c.memory.high());
            headroom = Math.min(headroom, Math.max(0, ceiling - c.memory.usage()));
        }
        long filepages = memcg.lruSize(Lru.INACTIVE_FILE) + memcg.lruSize(Lru.ACTIVE_FILE);
        long dirtyable = Math.min(global.dirtyable(), filepages + Math.min(headroom, global.dirtyable()));
        return limits(dirtyable, global.dirtyable());
    }

    /** The memcg's dirty and writeback pages (its subtree: the wb of a cgroup covers its descendants). */
    private static long memcgDirty(MemCgroup memcg) {
        return memcg.treeStat(MemcgStat.DIRTY) + memcg.treeStat(MemcgStat.WRITEBACK);
    }

    private long hostFileLru() {
        long sum = 0;
        for (var memcg : m.memcgs()) {
            sum += memcg.lruSize(Lru.INACTIVE_FILE) + memcg.lruSize(Lru.ACTIVE_FILE);
        }
        return sum;
    }

    /**
     * balance_dirty_pages_ratelimited after a page was dirtied: every {@link #RATELIMIT_PAGES}
     * pages the writer checks the global domain. Below the freerun point it goes on at once (and
     * starts background writeback above the background threshold); above it, it sleeps so that it
     * dirties at the disk's write bandwidth scaled by pos_ratio (1 at the setpoint, 2 at freerun, 0
     * at the limit, cubic in between), at most MAX_PAUSE per sleep, and loops while over the limit.
     *
     * @return the time the writer slept, ns
     */
    public long balanceDirtyPages(Task t) {
        if (t == null || ++t.nrDirtied < RATELIMIT_PAGES) {
            return 0;
        }
        long slept = 0;
        long dirtied = t.nrDirtied;
        t.nrDirtied = 0;
        for (int loop = 0; loop < 10_000; loop++) {
            Thresholds th = thresholds();
            long dirty = nrDirty + nrWriteback;
            Thresholds mth = memcgThresholds(t.memcg(), th);
            long mdirty = mth == null ? 0 : memcgDirty(t.memcg());
            if (nrDirty > th.bgThresh() || (mth != null && mdirty > mth.bgThresh())) {
                startBackground(); // wb_start_background_writeback of the global or the memcg's wb
            }
            boolean globalFree = dirty <= th.freerun();
            boolean memcgFree = mth == null || mdirty <= mth.freerun();
            if (globalFree && memcgFree) {
                break;
            }
            double posRatio = globalFree ? 2 : posRatio(dirty, th);
            if (!memcgFree) {
                posRatio = Math.min(posRatio, posRatio(mdirty, mth)); // the stricter domain sets the pace
            }
            long pause;
            if (posRatio <= 0) {
                pause = MAX_PAUSE_NS;
            } else {
                double pagesPerSecond = disk.writeBps() / 4096.0 * posRatio;
                pause = Math.min(MAX_PAUSE_NS, (long) Math.ceil(dirtied * 1e9 / pagesPerSecond));
            }
            m.trace.add(
                    TracePoints.BALANCE_DIRTY_PAGES,
                    t.memcg(),
                    "balance_dirty_pages: " + t.comm() + " paused",
                    PAUSE_FIELDS,
                    pause);
            slept += pause;
            boolean overLimit = dirty >= th.thresh() || (mth != null && mdirty >= mth.thresh());
            if (!m.ioSleep(t, pause) || !overLimit) { // io_schedule_timeout
                break;
            }
            dirtied = 0;
        }
        return slept;
    }

    private static final String[] PAUSE_FIELDS = {"ns"};

    /** pos_ratio of wb_position_ratio in its global part: 1 + ((setpoint - dirty) / span)^3, in [0, 2]. */
    static double posRatio(long dirty, Thresholds th) {
        long freerun = th.freerun();
        long limit = th.thresh();
        if (dirty >= limit) {
            return 0;
        }
        double setpoint = (freerun + limit) / 2.0;
        double span = Math.max(1, (limit - freerun) / 2.0);
        double x = (setpoint - dirty) / span;
        return Math.max(0, Math.min(2, 1 + x * x * x));
    }

    // ---------------------------------------------------------------- the flusher

    /** wb_start_background_writeback. */
    private void startBackground() {
        background = true;
        kick();
    }

    /** wakeup_flusher_threads(WB_REASON_VMSCAN): write back every page dirty now. */
    public void flushAll() {
        if (nrDirty == 0) {
            return;
        }
        vmscanPages = Math.max(vmscanPages, nrDirty);
        kick();
    }

    /** wb_workfn for the periodic (kupdate) writeback: files dirty for longer than the expiry. */
    private void periodicWork(long now) {
        periodicArmed = false;
        periodicDue = true;
        kick();
        if (nrDirty > 0) {
            periodicArmed = true;
            m.clock.at(now + sysctls.writebackCentisecs() * CENTISEC_NS, this::periodicWork);
        }
    }

    private void kick() {
        writeChunks(m.clock.now());
    }

    /** Fill the device's queue: submit chunks until it is full or nothing is left to write. */
    private void writeChunks(long now) {
        while (chunksInFlight < QUEUE_CHUNKS && writeChunk(now)) {
            // one more chunk on the device
        }
    }

    /**
     * wb_writeback: one chunk of the most urgent work, starting with the file after the one the
     * last chunk started with; the flusher goes on when the disk has a chunk done.
     *
     * @return whether a chunk was submitted
     */
    private boolean writeChunk(long now) {
        long expiredBefore = now - sysctls.expireCentisecs() * CENTISEC_NS;
        List<CachedFile> files = dirtyFiles();
        int[] chunk = new int[MAX_WRITEBACK_PAGES];
        int n = 0;
        Thresholds global = thresholds();
        boolean bgWork = background && (nrDirty > global.bgThresh() || anyMemcgOverBackground(global));
        if (!bgWork) {
            background = false;
        }
        int first = 0;
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).id() == lastFileId) {
                first = i + 1;
                break;
            }
        }
        boolean started = false;
        for (int k = 0; k < files.size(); k++) {
            CachedFile f = files.get((first + k) % files.size());
            boolean wanted = vmscanPages > 0 || bgWork || (periodicDue && f.dirtiedWhen <= expiredBefore);
            if (!wanted) {
                continue;
            }
            int before = n;
            n = collect(f, chunk, n);
            if (!started && n > before) {
                started = true;
                lastFileId = f.id();
            }
            if (n == chunk.length) {
                break;
            }
        }
        if (n == 0) {
            if (chunksInFlight == 0) {
                periodicDue = false;
                vmscanPages = 0;
                background = false;
            }
            return false;
        }
        vmscanPages = Math.max(0, vmscanPages - n);
        int[] submitted = Arrays.copyOf(chunk, n);
        long done = disk.submitWrite(now, n);
        chunksInFlight++;
        m.clock.at(done, t -> {
            chunksInFlight--;
            for (int pfn : submitted) {
                endPageWriteback(pfn);
            }
            writeChunks(t);
        });
        return true;
    }

    /** wb_over_bg_thresh for the memcgs' own wbs (cgroup writeback). */
    private boolean anyMemcgOverBackground(Thresholds global) {
        for (MemCgroup memcg : m.memcgs()) {
            Thresholds mth = memcgThresholds(memcg, global);
            if (mth != null && memcgDirty(memcg) > mth.bgThresh()) {
                return true;
            }
        }
        return false;
    }

    /** Files with dirty pages, oldest dirtied first (the b_io order), then by id. */
    private List<CachedFile> dirtyFiles() {
        List<CachedFile> out = new ArrayList<>();
        for (CachedFile f : m.files.all()) {
            if (!f.tmpfs() && f.nrDirty > 0) {
                out.add(f);
            }
        }
        out.sort(Comparator.comparingLong((CachedFile f) -> f.dirtiedWhen).thenComparingInt(CachedFile::id));
        return out;
    }

    /** write_cache_pages from the file's writeback_index: dirty pages go under writeback. */
    private int collect(CachedFile f, int[] chunk, int n) {
        long length = f.pages.length();
        long start = f.writebackIndex;
        for (long scanned = 0; scanned < length && n < chunk.length && f.nrDirty > 0; scanned++) {
            long idx = (start + scanned) % length;
            int e = f.pages.get(idx);
            if (!Entry.isPage(e)) {
                continue;
            }
            int pfn = Entry.pfn(e);
            if (!pages.test(pfn, PageFlags.PG_DIRTY) || pages.test(pfn, PageFlags.PG_WRITEBACK)) {
                continue;
            }
            setWriteback(pfn, f);
            chunk[n++] = pfn;
            f.writebackIndex = idx + 1;
        }
        return n;
    }

    /** clear_page_dirty_for_io + set_page_writeback. */
    private void setWriteback(int pfn, CachedFile f) {
        pages.clear(pfn, PageFlags.PG_DIRTY);
        m.charging().dirtyChanged(pfn, false);
        nrDirty--;
        if (--f.nrDirty == 0) {
            f.dirtiedWhen = -1;
        }
        pages.set(pfn, PageFlags.PG_WRITEBACK);
        m.charging().writebackChanged(pfn, true);
        nrWriteback++;
    }

    /** end_page_writeback: the page is clean; a PG_reclaim page rotates to the inactive tail. */
    private void endPageWriteback(int pfn) {
        if (!pages.test(pfn, PageFlags.PG_WRITEBACK)) {
            return; // truncated while the I/O was in flight
        }
        pages.clear(pfn, PageFlags.PG_WRITEBACK);
        m.charging().writebackChanged(pfn, false);
        nrWriteback--;
        if (!pages.testAndClear(pfn, PageFlags.PG_RECLAIM) || !pages.test(pfn, PageFlags.PG_LRU)) {
            return;
        }
        boolean active = pages.test(pfn, PageFlags.PG_ACTIVE);
        if (active && !m.traits().rotateActiveOnWriteback()) {
            return;
        }
        Lruvec lruvec = m.lruvecOf(pfn);
        lruvec.delete(pfn);
        pages.clear(pfn, PageFlags.PG_ACTIVE);
        lruvec.addTail(pfn, Lru.of(Lru.FILE, false));
        m.countHostEvent(VmEvent.PGROTATED, 1);
    }

    /**
     * wait_on_page_writeback: the caller sleeps until the disk completes the page's request
     * (the flusher's chunks complete in order, so the wait ends at one of the queued events).
     */
    public void waitOnPageWriteback(int pfn) {
        while (pages.test(pfn, PageFlags.PG_WRITEBACK) && m.clock.nextEvent() != Long.MAX_VALUE) {
            m.ioWaitUntil(m.clock.nextEvent());
        }
    }

    /** A page leaves the cache (truncate, or reclaim of a clean page): its dirty or writeback state goes. */
    public void forget(int pfn) {
        if (pages.isShmem(pfn) || pages.isAnon(pfn)) {
            return;
        }
        if (pages.test(pfn, PageFlags.PG_DIRTY)) {
            m.charging().dirtyChanged(pfn, false);
            pages.clear(pfn, PageFlags.PG_DIRTY);
            nrDirty--;
            CachedFile f = m.files.byId(pages.mapping(pfn));
            if (--f.nrDirty == 0) {
                f.dirtiedWhen = -1;
            }
        }
        if (pages.test(pfn, PageFlags.PG_WRITEBACK)) {
            // truncate_inode_pages waits for the I/O; the model lets the page go and forgets it
            m.charging().writebackChanged(pfn, false);
            pages.clear(pfn, PageFlags.PG_WRITEBACK);
            nrWriteback--;
        }
    }
}
