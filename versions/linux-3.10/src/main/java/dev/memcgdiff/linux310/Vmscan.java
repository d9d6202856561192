package dev.memcgdiff.linux310;

import static dev.memcgdiff.mm.vmscan.VmscanConstants.DEF_PRIORITY;
import static dev.memcgdiff.mm.vmscan.VmscanConstants.SWAP_CLUSTER_MAX;

import dev.memcgdiff.kernel.ReclaimOps;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.vmscan.DoTryToFreePages;
import dev.memcgdiff.mm.vmscan.GetScanCount;
import dev.memcgdiff.mm.vmscan.IntSqrt;
import dev.memcgdiff.mm.vmscan.LruReclaim;
import dev.memcgdiff.mm.vmscan.MemcgIter;
import dev.memcgdiff.mm.vmscan.PageBatch;
import dev.memcgdiff.mm.vmscan.ReclaimStats;
import dev.memcgdiff.mm.vmscan.ScanBalance;
import dev.memcgdiff.mm.vmscan.ScanControl;
import dev.memcgdiff.mm.vmscan.SelectVictimNode;
import dev.memcgdiff.mm.vmscan.ShrinkLruvec;
import dev.memcgdiff.mm.vmscan.SoftLimitReclaim;

/**
 * mm/vmscan.c of 3.10.0-1160 on the model's one zone per node: do_try_to_free_pages over
 * shrink_zones / shrink_zone with the shared mem_cgroup_iter cursor, shrink_lruvec with
 * get_scan_count and the proportional cut, the anon rebalance at the end of every
 * shrink_lruvec, zone_reclaimable, and kswapd's balance_pgdat with age_active_anon. Memcg limit
 * reclaim counts no pgscan or pgsteal anywhere; global reclaim counts them host-wide only.
 */
final class Vmscan implements ReclaimOps {
    /** KSWAPD_ZONE_BALANCE_GAP_RATIO: kswapd leaves a zone alone above high + 1% of it. */
    static final int KSWAPD_ZONE_BALANCE_GAP_RATIO = 100;

    private final Machine m;
    private final Swappiness swappiness;
    private final LruReclaim reclaim;
    private final MemcgIter iter = new MemcgIter();
    private final PageBatch batch = new PageBatch();
    private final ReclaimStats stats = new ReclaimStats();
    /** zone->pages_scanned: pages global reclaim scanned since the zone last freed a page. */
    private final long[] pagesScanned;
    /** Free pages when pages_scanned was last looked at: growth means pages were freed. */
    private final long[] lastFree;

    private final SelectVictimNode victimNode;

    Vmscan(Machine m, Swappiness swappiness, LruReclaim reclaim) {
        this.m = m;
        this.swappiness = swappiness;
        this.reclaim = reclaim;
        this.victimNode = new SelectVictimNode(m);
        this.pagesScanned = new long[m.nodes.length];
        this.lastFree = new long[m.nodes.length];
    }

    // ---------------------------------------------------------------- entry points

    /** try_to_free_mem_cgroup_pages as the shared model asks for it: maySwap=false is NOSWAP; always 32 pages. */
    @Override
    public long tryToFreeMemCgroupPages(MemCgroup memcg, long nrPages, int gfp, boolean maySwap) {
        return tryToFreeMemCgroupPages(memcg, gfp, !maySwap);
    }

    /** try_to_free_mem_cgroup_pages (3.10): 32 pages, priority 12, from a round-robin node. */
    long tryToFreeMemCgroupPages(MemCgroup memcg, int gfp, boolean noswap) {
        ScanControl sc = ScanControl.memcgReclaim(Gfp.memcgReclaimMask(gfp), memcg, SWAP_CLUSTER_MAX, !noswap);
        return doTryToFreePages(victimNode.select(memcg), sc);
    }

    /** try_to_free_pages: global direct reclaim of SWAP_CLUSTER_MAX pages (ALLOCSTALL is the caller's). */
    @Override
    public long tryToFreePages(int gfp) {
        return DoTryToFreePages.tryToFreePages(
                m, gfp, TracePoints.TRY_TO_FREE_PAGES, "progress", this::doTryToFreePages);
    }

    /**
     * do_try_to_free_pages (3.10): priority 12 down to 0 until enough is reclaimed; the flushers
     * are woken once 1.5 times the target was scanned. Global reclaim that freed nothing still
     * reports progress (1) while any zone is reclaimable, so the allocator does not OOM yet.
     */
    private long doTryToFreePages(int startNode, ScanControl sc) {
        DoTryToFreePages.priorityLoop(sc, pass -> shrinkZones(startNode, pass), (pass, totalScanned) -> {
            if (totalScanned > pass.nrToReclaim + pass.nrToReclaim / 2) {
                m.writeback().flushAll();
                pass.mayWritepage = true;
            }
        });
        if (sc.nrReclaimed > 0) {
            return sc.nrReclaimed;
        }
        if (!sc.cgroupReclaim() && !allUnreclaimable()) {
            return 1;
        }
        return 0;
    }

    /**
     * shrink_zones: every node of the zonelist from the start node; global reclaim skips zones
     * found unreclaimable below DEF_PRIORITY and runs soft limit reclaim first.
     */
    private void shrinkZones(int startNode, ScanControl sc) {
        DoTryToFreePages.shrinkZones(
                m,
                startNode,
                sc,
                node -> sc.priority != DEF_PRIORITY && !zoneReclaimable(node),
                this::memCgroupShrinkNodeZone,
                this::shrinkZone);
    }

    /** mem_cgroup_shrink_node_zone: soft limit reclaim of one memcg's lruvec at priority 0. */
    private long memCgroupShrinkNodeZone(MemCgroup memcg, int node) {
        ScanControl sc = ScanControl.softLimit(Gfp.GFP_HIGHUSER_MOVABLE, memcg);
        shrinkLruvec(memcg.lruvec(node), memcg, sc);
        return sc.nrReclaimed;
    }

    /**
     * shrink_zone: walk the memcgs under the target with the cursor shared per (root, zone,
     * priority); a target with use_hierarchy=0 is walked alone. Limit reclaim stops once it has its 32 pages, and the next reclaimer resumes
     * after the memcg where this one stopped; global reclaim visits every memcg.
     */
    private void shrinkZone(int node, ScanControl sc) {
        MemCgroup root = sc.targetMemcg != null ? sc.targetMemcg : m.root();
        MemcgIter.Walk walk = iter.start(root, node, sc.priority);
        for (MemCgroup memcg = walk.next(); memcg != null; memcg = walk.next()) {
            shrinkLruvec(memcg.lruvec(node), memcg, sc);
            if (sc.cgroupReclaim() && sc.nrReclaimed >= sc.nrToReclaim) {
                walk.stop();
                break;
            }
        }
    }

    // ---------------------------------------------------------------- one lruvec

    /**
     * shrink_lruvec (3.10): lists in SWAP_CLUSTER_MAX bites toward get_scan_count's targets; once
     * the target is met (except global direct reclaim at DEF_PRIORITY), the type with less left
     * stops and the other is cut to the same proportion; then the anon rebalance.
     */
    private void shrinkLruvec(Lruvec lruvec, MemCgroup memcg, ScanControl sc) {
        ShrinkLruvec.Scanned scanned = ShrinkLruvec.scan(
                getScanCount(lruvec, sc), sc, (lru, nrToScan) -> shrinkList(lru, nrToScan, lruvec, sc));
        boolean rebalance = inactiveAnonIsLow(lruvec);
        if (rebalance) {
            shrinkActiveList(SWAP_CLUSTER_MAX, lruvec, sc, Lru.ACTIVE_ANON);
        }
        TracePoint point = sc.cgroupReclaim()
                ? TracePoints.SHRINK_LRUVEC_LIMIT
                : sc.kswapd ? TracePoints.SHRINK_LRUVEC_KSWAPD : TracePoints.SHRINK_LRUVEC_GLOBAL;
        ShrinkLruvec.trace(
                m,
                point,
                memcg,
                () -> "shrink_lruvec " + memcg.path()
                        + (sc.cgroupReclaim()
                                ? " (limit of " + sc.targetMemcg.path() + ")"
                                : sc.kswapd ? " (kswapd)" : " (global)"),
                scanned,
                "anon_rebalance",
                rebalance);
    }

    /** shrink_list: an active list is only aged, and only when its inactive list is low. */
    private long shrinkList(int lru, long nrToScan, Lruvec lruvec, ScanControl sc) {
        if (Lru.isActive(lru)) {
            if (Lru.isFile(lru) ? inactiveFileIsLow(lruvec) : inactiveAnonIsLow(lruvec)) {
                shrinkActiveList(nrToScan, lruvec, sc, lru);
            }
            return 0;
        }
        return shrinkInactiveList(nrToScan, lruvec, sc, lru);
    }

    /**
     * inactive_anon_is_low: never without swap; otherwise mem_cgroup_inactive_anon_is_low on this
     * lruvec's own anon (root's lruvec too, memcg being enabled): inactive * int_sqrt(10 * GB) < active.
     */
    boolean inactiveAnonIsLow(Lruvec lruvec) {
        if (m.swap.slots() == 0) {
            return false;
        }
        long inactive = lruvec.size(Lru.INACTIVE_ANON);
        long active = lruvec.size(Lru.ACTIVE_ANON);
        return inactive * IntSqrt.inactiveRatio(inactive + active) < active;
    }

    /** inactive_file_is_low (3.10): more active than inactive file pages; no ratio. */
    static boolean inactiveFileIsLow(Lruvec lruvec) {
        return lruvec.size(Lru.ACTIVE_FILE) > lruvec.size(Lru.INACTIVE_FILE);
    }

    /** vmscan_swappiness: vm_swappiness for global reclaim, the target memcg's for limit reclaim. */
    private int vmscanSwappiness(ScanControl sc) {
        return sc.cgroupReclaim() ? swappiness.of(sc.targetMemcg) : swappiness.vm();
    }

    /** get_scan_count (3.10.0-1160). */
    private long[] getScanCount(Lruvec lruvec, ScanControl sc) {
        int node = lruvec.node();
        boolean forceScan = (sc.kswapd && !zoneReclaimable(node)) || sc.cgroupReclaim();
        int swappiness = vmscanSwappiness(sc);
        GetScanCount.Fractions fractions = null;
        ScanBalance balance = GetScanCount.firstRules(sc, m.swap.free() > 0, swappiness);
        if (balance != null) {
            // decided by the rules every kernel shares
        } else if (!sc.cgroupReclaim() && zoneFile(node) + m.nodes[node].nrFree() <= m.nodes[node].wmarkHigh()) {
            balance = ScanBalance.SCAN_ANON;
        } else if (!inactiveFileIsLow(lruvec)) {
            balance = ScanBalance.SCAN_FILE;
        } else {
            balance = ScanBalance.SCAN_FRACT;
            fractions = GetScanCount.reclaimStatFractions(lruvec, swappiness);
        }
        // each list's size >> priority; cgroup reclaim and kswapd on an unreclaimable zone scan at least 32
        return GetScanCount.targets(balance, fractions, false, lru -> {
            long size = lruvec.size(lru);
            long scan = size >> sc.priority;
            return scan == 0 && forceScan ? Math.min(size, SWAP_CLUSTER_MAX) : scan;
        });
    }

    /** NR_ACTIVE_FILE + NR_INACTIVE_FILE of the zone: every memcg's lruvec on the node. */
    private long zoneFile(int node) {
        long file = 0;
        for (MemCgroup c : m.memcgs()) {
            file += c.lruvec(node).fileSize();
        }
        return file;
    }

    // ---------------------------------------------------------------- the lists

    /**
     * shrink_inactive_list (3.10): only global reclaim adds to zone->pages_scanned and counts
     * PGSCAN/PGSTEAL (as zone events: host-wide); memcg reclaim counts nothing.
     */
    private long shrinkInactiveList(long nrToScan, Lruvec lruvec, ScanControl sc, int lru) {
        int type = Lru.type(lru);
        int node = lruvec.node();
        stats.clear();
        long taken = reclaim.isolate(lruvec, lru, nrToScan, batch);
        if (!sc.cgroupReclaim()) {
            refreshPagesScanned(node);
            pagesScanned[node] += taken;
            m.countHostEvent(sc.kswapd ? VmEvent.PGSCAN_KSWAPD : VmEvent.PGSCAN_DIRECT, taken);
        }
        if (taken == 0) {
            return 0;
        }
        sc.nrScanned += taken + reclaim.doubleCountedScans(batch, sc);
        reclaim.shrinkPageList(lruvec, batch, sc, stats);
        lruvec.recentScanned[type] += taken;
        if (!sc.cgroupReclaim()) {
            m.countHostEvent(sc.kswapd ? VmEvent.PGSTEAL_KSWAPD : VmEvent.PGSTEAL_DIRECT, stats.reclaimed);
        }
        m.countHostEvent(VmEvent.PGACTIVATE, stats.activated[Lru.ANON] + stats.activated[Lru.FILE]);
        lruvec.recentRotated[Lru.ANON] += stats.putbackActive[Lru.ANON];
        lruvec.recentRotated[Lru.FILE] += stats.putbackActive[Lru.FILE];
        if (stats.reclaimed > 0) {
            pagesScanned[node] = 0;
        }
        lastFree[node] = m.nodes[node].nrFree();
        if (sc.kswapd && stats.unqueuedDirty == taken) {
            // ZONE_TAIL_LRU_DIRTY: kswapd writes the dirty tail itself; the model's flushers do it.
            m.writeback().flushAll();
        }
        return stats.reclaimed;
    }

    /**
     * shrink_active_list (3.10): PGREFILL for every reclaim; referenced pages count as rotated
     * but only VM_EXEC file pages stay active; PGDEACTIVATE for the rest.
     */
    void shrinkActiveList(long nrToScan, Lruvec lruvec, ScanControl sc, int lru) {
        int type = Lru.type(lru);
        stats.clear();
        reclaim.shrinkActiveList(lruvec, nrToScan, lru, sc, batch, stats);
        if (!sc.cgroupReclaim()) {
            refreshPagesScanned(lruvec.node());
            pagesScanned[lruvec.node()] += stats.taken;
        }
        lruvec.recentScanned[type] += stats.taken;
        m.countHostEvent(VmEvent.PGREFILL, stats.taken);
        lruvec.recentRotated[type] += stats.rotated;
        m.countHostEvent(VmEvent.PGDEACTIVATE, stats.deactivated);
    }

    // ---------------------------------------------------------------- zone state

    /** Freeing a page to the buddy allocator clears zone->pages_scanned. */
    private void refreshPagesScanned(int node) {
        long free = m.nodes[node].nrFree();
        if (free > lastFree[node]) {
            pagesScanned[node] = 0;
        }
        lastFree[node] = free;
    }

    /** zone_reclaimable_pages: file LRU pages, plus anon while free swap is left. */
    private long zoneReclaimablePages(int node) {
        long nr = 0;
        boolean swap = m.swap.free() > 0;
        for (MemCgroup c : m.memcgs()) {
            Lruvec l = c.lruvec(node);
            nr += l.fileSize();
            if (swap) {
                nr += l.anonSize();
            }
        }
        return nr;
    }

    /** zone_reclaimable: fewer pages scanned than six times the reclaimable ones. */
    boolean zoneReclaimable(int node) {
        refreshPagesScanned(node);
        return pagesScanned[node] < zoneReclaimablePages(node) * 6;
    }

    /** zone->pages_scanned as show_free_areas prints it. */
    long pagesScanned(int node) {
        return pagesScanned[node];
    }

    private boolean allUnreclaimable() {
        for (int n = 0; n < m.nodes.length; n++) {
            if (zoneReclaimable(n)) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- kswapd

    /**
     * balance_pgdat (3.10) for the node's one zone: age anon, then soft limit reclaim and
     * kswapd_shrink_zone, lowering the priority when too little was scanned or nothing freed,
     * until the zone is balanced at its high watermark or priority 1 is done.
     */
    @Override
    public void kswapd(Node node) {
        int nid = node.id();
        ScanControl sc = ScanControl.kswapd();
        m.countHostEvent(VmEvent.PAGEOUTRUN, 1);
        long total = 0;
        do {
            boolean raisePriority = true;
            sc.nrReclaimed = 0;
            if (sc.priority != DEF_PRIORITY && !zoneReclaimable(nid)) {
                break;
            }
            ageActiveAnon(nid, sc);
            if (zoneBalanced(node, 0)) {
                break;
            }
            if (sc.priority < DEF_PRIORITY - 2) {
                sc.mayWritepage = true;
            }
            sc.nrScanned = 0;
            sc.nrReclaimed += SoftLimitReclaim.reclaim(m, nid, this::memCgroupShrinkNodeZone);
            if (kswapdShrinkZone(node, sc)) {
                raisePriority = false;
            }
            total += sc.nrReclaimed;
            if (raisePriority || sc.nrReclaimed == 0) {
                sc.priority--;
            }
        } while (sc.priority >= 1 && !pgdatBalanced(node));
        m.trace.add(
                TracePoints.KSWAPD_BALANCE_PGDAT,
                null,
                "kswapd" + nid + " balance_pgdat",
                new String[] {"reclaimed"},
                total);
    }

    /** kswapd_shrink_zone: reclaim toward the high watermark unless the zone is above high plus the gap. */
    private boolean kswapdShrinkZone(Node node, ScanControl sc) {
        sc.nrToReclaim = Math.max(SWAP_CLUSTER_MAX, node.wmarkHigh());
        long gap = Math.min(
                node.wmarkLow(),
                (node.managedPages() + KSWAPD_ZONE_BALANCE_GAP_RATIO - 1) / KSWAPD_ZONE_BALANCE_GAP_RATIO);
        if (zoneBalanced(node, gap)) {
            return true;
        }
        shrinkZone(node.id(), sc);
        return sc.nrScanned >= sc.nrToReclaim;
    }

    /** zone_balanced for order 0: free pages above high + gap. */
    private static boolean zoneBalanced(Node node, long gap) {
        return node.watermarkOk(node.wmarkHigh() + gap);
    }

    /** pgdat_balanced for order 0: an unreclaimable zone counts as balanced. */
    private boolean pgdatBalanced(Node node) {
        return !zoneReclaimable(node.id()) || zoneBalanced(node, 0);
    }

    /** age_active_anon: deactivate anon in every memcg's lruvec whose inactive anon is low. */
    private void ageActiveAnon(int node, ScanControl sc) {
        if (m.swap.slots() == 0) {
            return;
        }
        for (MemCgroup memcg : m.root().hierarchy()) {
            Lruvec lruvec = memcg.lruvec(node);
            if (inactiveAnonIsLow(lruvec)) {
                shrinkActiveList(SWAP_CLUSTER_MAX, lruvec, sc, Lru.ACTIVE_ANON);
            }
        }
    }
}
