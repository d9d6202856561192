package dev.memcgdiff.mm.vmscan;

/**
 * What one shrink_page_list / shrink_active_list call did, for the caller's counters
 * (struct reclaim_stat in later kernels): pages taken, reclaimed, activated per LRU type,
 * written out, met dirty, rotated and deactivated.
 */
public final class ReclaimStats {
    public long taken;
    public long reclaimed;
    public final long[] activated = new long[2];
    public long pageout;
    public long unqueuedDirty;
    /** Pages met under writeback and left to finish (nr_writeback). */
    public long writeback;

    public long rotated;
    public long deactivated;
    public long keptActive;
    /** Kept pages put back on an active list (putback_inactive_pages' recent_rotated). */
    public final long[] putbackActive = new long[2];

    public void clear() {
        taken = 0;
        reclaimed = 0;
        activated[0] = 0;
        activated[1] = 0;
        pageout = 0;
        unqueuedDirty = 0;
        writeback = 0;
        rotated = 0;
        deactivated = 0;
        keptActive = 0;
        putbackActive[0] = 0;
        putbackActive[1] = 0;
    }
}
