package dev.memcgdiff.linux518;

import static dev.memcgdiff.mm.vmscan.VmscanConstants.MAX_RECLAIM_RETRIES;
import static dev.memcgdiff.mm.vmscan.VmscanConstants.SWAP_CLUSTER_MAX;

import dev.memcgdiff.kernel.ReclaimOps;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.vmscan.BalancePgdat;
import dev.memcgdiff.mm.vmscan.DoTryToFreePages;
import dev.memcgdiff.mm.vmscan.GetScanCount;
import dev.memcgdiff.mm.vmscan.IntSqrt;
import dev.memcgdiff.mm.vmscan.LruReclaim;
import dev.memcgdiff.mm.vmscan.PageBatch;
import dev.memcgdiff.mm.vmscan.ReclaimStats;
import dev.memcgdiff.mm.vmscan.ScanBalance;
import dev.memcgdiff.mm.vmscan.ScanControl;
import dev.memcgdiff.mm.vmscan.ShrinkLruvec;

/**
 * mm/vmscan.c of 5.18 (no MGLRU): do_try_to_free_pages with its force_deactivate and
 * memcg_low_reclaim retries; shrink_node's preamble (LRU costs, may_deactivate,
 * cache_trim_mode, file_is_tiny); shrink_node_memcgs visiting the whole subtree every time;
 * get_scan_count with the cost model and protection-scaled targets; shrink_lruvec;
 * shrink_active_list; kswapd's balance_pgdat without watermark boosting.
 */
final class Vmscan implements ReclaimOps {
    /** The trace point shrink_lruvec records a scan balance under. */
    static TracePoint balancePoint(ScanBalance balance) {
        return switch (balance) {
            case SCAN_EQUAL -> TracePoints.SCAN_EQUAL;
            case SCAN_FRACT -> TracePoints.SCAN_FRACT;
            case SCAN_ANON -> TracePoints.SCAN_ANON;
            case SCAN_FILE -> TracePoints.SCAN_FILE;
        };
    }

    /** What get_scan_count decided: the balance and the pages to scan per LRU list ({@code nr[lru]}). */
    record ScanCount(ScanBalance balance, long[] nr) {}

    private final Machine m;
    private final Swappiness swappiness;
    private final MemcgLimits limits;
    private final Workingset workingset;
    /** The shared page loops: isolation, shrink_page_list's decisions, shrink_active_list's. */
    private final LruReclaim lruReclaim;

    private final ShrinkPageList shrinkPageList;
    /** Scratch: the isolated page list of the list being shrunk (reused to avoid garbage; no state between calls). */
    private final PageBatch pageList = new PageBatch();

    Vmscan(
            Machine m,
            Swappiness swappiness,
            MemcgLimits limits,
            Workingset workingset,
            LruReclaim lruReclaim,
            ShrinkPageList shrinkPageList) {
        this.m = m;
        this.swappiness = swappiness;
        this.limits = limits;
        this.workingset = workingset;
        this.lruReclaim = lruReclaim;
        this.shrinkPageList = shrinkPageList;
    }

    // ---------------------------------------------------------------- entry points

    /**
     * try_to_free_mem_cgroup_pages: reclaim at least SWAP_CLUSTER_MAX under the memcg, over
     * every node of the current task's zonelist (no victim-node rotation in 5.18).
     */
    @Override
    public long tryToFreeMemCgroupPages(MemCgroup memcg, long nrPages, int gfp, boolean maySwap) {
        ScanControl sc = ScanControl.memcgReclaim(
                (gfp & (Gfp.IO | Gfp.FS | Gfp.DIRECT_RECLAIM)) | Gfp.HIGHMEM_MOVABLE,
                memcg,
                Math.max(nrPages, SWAP_CLUSTER_MAX),
                maySwap);
        return doTryToFreePages(m.homeNode(m.current), sc);
    }

    /** try_to_free_pages: global direct reclaim of SWAP_CLUSTER_MAX pages. */
    @Override
    public long tryToFreePages(int gfp) {
        return DoTryToFreePages.tryToFreePages(
                m, gfp, TracePoints.TRY_TO_FREE_PAGES, "reclaimed", this::doTryToFreePages);
    }

    /**
     * do_try_to_free_pages: priority 12 down to 0 over shrink_zones (each node once, v1 soft limit
     * reclaim first in global reclaim) until enough is reclaimed; then the refault snapshot; with
     * nothing reclaimed, retry once with force_deactivate if an active list was skipped, then with
     * memcg_low_reclaim if a memory.low-protected memcg was skipped.
     */
    long doTryToFreePages(int startNode, ScanControl sc) {
        return DoTryToFreePages.withRetries(
                m,
                sc,
                pass -> DoTryToFreePages.shrinkZones(
                        m, startNode, pass, DoTryToFreePages.NO_SKIP, this::memCgroupShrinkNode, this::shrinkNode),
                node -> snapshotRefaults(sc.targetMemcg, node),
                this::retry);
    }

    /**
     * do_try_to_free_pages' retries (5.18): an active list skipped for deactivation, then
     * memory.low protection skipped; each sets its flags once.
     */
    private boolean retry(ScanControl sc) {
        if (sc.skippedDeactivate) {
            sc.forceDeactivate = true;
            sc.skippedDeactivate = false;
            m.trace.count(
                    TracePoints.RETRY_FORCE_DEACTIVATE,
                    sc.targetMemcg,
                    "do_try_to_free_pages " + where(sc) + ": nothing reclaimed, retry with force_deactivate");
            return true;
        }
        if (sc.memcgLowSkipped) {
            sc.forceDeactivate = false;
            sc.memcgLowReclaim = true;
            sc.memcgLowSkipped = false;
            m.trace.count(
                    TracePoints.RETRY_MEMCG_LOW_RECLAIM,
                    sc.targetMemcg,
                    "do_try_to_free_pages " + where(sc) + ": nothing reclaimed, retry with memcg_low_reclaim");
            return true;
        }
        return false;
    }

    private static String where(ScanControl sc) {
        return sc.cgroupReclaim() ? sc.targetMemcg.path() : sc.kswapd ? "(kswapd)" : "(global)";
    }

    /**
     * mem_cgroup_shrink_node (soft limit reclaim only): shrink_lruvec of one memcg at priority 0
     * with a fresh scan_control, so without shrink_node's preamble: may_deactivate is 0 and the
     * active lists are left alone.
     */
    long memCgroupShrinkNode(MemCgroup memcg, int node) {
        ScanControl sc = ScanControl.softLimit(Gfp.GFP_HIGHUSER_MOVABLE, memcg);
        shrinkLruvec(node, memcg, sc);
        return sc.nrReclaimed;
    }

    // ---------------------------------------------------------------- shrink_node

    /**
     * shrink_node: snapshot the target lruvec's costs, decide may_deactivate, cache_trim_mode and
     * (global reclaim) file_is_tiny, then reclaim every memcg of the subtree.
     */
    void shrinkNode(int node, ScanControl sc) {
        MemCgroup target = sc.targetMemcg != null ? sc.targetMemcg : m.root();
        Lruvec targetLruvec = target.lruvec(node);
        long nrReclaimed = sc.nrReclaimed;
        sc.anonCost = targetLruvec.anonCost;
        sc.fileCost = targetLruvec.fileCost;
        if (!sc.forceDeactivate) {
            long refaults = LruvecState.event(target, VmEvent.WORKINGSET_ACTIVATE_ANON);
            if (refaults != targetLruvec.refaults[Lru.ANON] || inactiveIsLow(target, node, Lru.INACTIVE_ANON)) {
                sc.mayDeactivate |= ScanControl.DEACTIVATE_ANON;
            } else {
                sc.mayDeactivate &= ~ScanControl.DEACTIVATE_ANON;
            }
            refaults = LruvecState.event(target, VmEvent.WORKINGSET_ACTIVATE_FILE);
            if (refaults != targetLruvec.refaults[Lru.FILE] || inactiveIsLow(target, node, Lru.INACTIVE_FILE)) {
                sc.mayDeactivate |= ScanControl.DEACTIVATE_FILE;
            } else {
                sc.mayDeactivate &= ~ScanControl.DEACTIVATE_FILE;
            }
        } else {
            sc.mayDeactivate = ScanControl.DEACTIVATE_ANON | ScanControl.DEACTIVATE_FILE;
        }
        long file = LruvecState.lru(target, node, Lru.INACTIVE_FILE);
        sc.cacheTrimMode = (file >> sc.priority) != 0 && (sc.mayDeactivate & ScanControl.DEACTIVATE_FILE) == 0;
        if (!sc.cgroupReclaim()) {
            Node n = m.nodes[node];
            long nodeFile = LruvecState.node(m, node, Lru.ACTIVE_FILE) + LruvecState.node(m, node, Lru.INACTIVE_FILE);
            long anon = LruvecState.node(m, node, Lru.INACTIVE_ANON);
            sc.fileIsTiny = nodeFile + n.nrFree() <= n.wmarkHigh()
                    && (sc.mayDeactivate & ScanControl.DEACTIVATE_ANON) == 0
                    && (anon >> sc.priority) != 0;
        }
        shrinkNodeMemcgs(node, sc);
        if (sc.nrReclaimed > nrReclaimed) {
            m.nodes[node].kswapdFailures = 0;
        }
    }

    /**
     * shrink_node_memcgs: the target's whole subtree, pre-order, target included, every time:
     * memory.min protection skips, memory.low protection skips outside the low-reclaim pass
     * (and raises MEMCG_LOW inside it).
     */
    private void shrinkNodeMemcgs(int node, ScanControl sc) {
        MemCgroup target = sc.targetMemcg != null ? sc.targetMemcg : m.root();
        for (MemCgroup memcg : target.subtree()) {
            Protection.calculate(sc.targetMemcg, memcg);
            if (Protection.belowMin(memcg)) {
                continue;
            }
            if (Protection.belowLow(memcg)) {
                if (!sc.memcgLowReclaim) {
                    sc.memcgLowSkipped = true;
                    continue;
                }
                m.memcgMemoryEvent(memcg, MemoryEvent.LOW);
            }
            shrinkLruvec(node, memcg, sc);
        }
    }

    // ---------------------------------------------------------------- shrink_lruvec

    /**
     * shrink_lruvec: scan the lists in SWAP_CLUSTER_MAX bites toward get_scan_count's targets;
     * once enough is reclaimed (from the start for cgroup reclaim and kswapd) stop the smaller
     * type and cut the other to the same proportion, once; then age active anon if it is low.
     */
    void shrinkLruvec(int node, MemCgroup memcg, ScanControl sc) {
        Lruvec lruvec = memcg.lruvec(node);
        ScanCount scanCount = getScanCount(lruvec, memcg, sc);
        ShrinkLruvec.Scanned scanned =
                ShrinkLruvec.scan(scanCount.nr(), sc, (lru, nrToScan) -> shrinkList(lru, nrToScan, lruvec, memcg, sc));
        boolean ageAnon = canAgeAnonPages() && inactiveIsLow(memcg, node, Lru.INACTIVE_ANON);
        if (ageAnon) {
            shrinkActiveList(SWAP_CLUSTER_MAX, lruvec, memcg, sc, Lru.ACTIVE_ANON);
        }
        ShrinkLruvec.trace(
                m,
                balancePoint(scanCount.balance()),
                memcg,
                () -> "shrink_lruvec " + memcg.path() + " (" + reclaimKind(sc) + ", " + scanCount.balance() + ")",
                scanned,
                "age_active_anon",
                ageAnon);
    }

    private static String reclaimKind(ScanControl sc) {
        if (sc.softLimit) {
            return "soft limit of " + sc.targetMemcg.path();
        }
        if (sc.cgroupReclaim()) {
            return "limit of " + sc.targetMemcg.path();
        }
        return sc.kswapd ? "kswapd" : "global";
    }

    /** can_age_anon_pages: aging anon is worth it only with swap (no demotion targets in the model). */
    boolean canAgeAnonPages() {
        return m.swap.slots() > 0;
    }

    /**
     * shrink_list: an active list is only aged, and only when shrink_node allowed deactivating
     * that type (otherwise skipped_deactivate); inactive lists are reclaimed.
     */
    private long shrinkList(int lru, long nrToScan, Lruvec lruvec, MemCgroup memcg, ScanControl sc) {
        if (Lru.isActive(lru)) {
            int bit = Lru.isFile(lru) ? ScanControl.DEACTIVATE_FILE : ScanControl.DEACTIVATE_ANON;
            if ((sc.mayDeactivate & bit) != 0) {
                shrinkActiveList(nrToScan, lruvec, memcg, sc, lru);
            } else {
                sc.skippedDeactivate = true;
            }
            return 0;
        }
        return shrinkInactiveList(nrToScan, lruvec, memcg, sc, lru);
    }

    /**
     * inactive_is_low (5.18): inactive * int_sqrt(10 * GB of the type) &lt; active, on the
     * hierarchical lruvec; 1 GB of the type and under has ratio 1.
     */
    static boolean inactiveIsLow(long inactive, long active) {
        long ratio = IntSqrt.inactiveRatio(inactive + active);
        return inactive * ratio < active;
    }

    boolean inactiveIsLow(MemCgroup memcg, int node, int inactiveLru) {
        return inactiveIsLow(LruvecState.lru(memcg, node, inactiveLru), LruvecState.lru(memcg, node, inactiveLru + 1));
    }

    /**
     * get_scan_count (5.18): SCAN_FILE without swap (or !may_swap), SCAN_FILE for cgroup
     * reclaim at swappiness 0, SCAN_EQUAL at priority 0, SCAN_ANON when the file LRU is tiny,
     * SCAN_FILE in cache_trim_mode, else SCAN_FRACT from the anon/file costs and swappiness.
     * Each list's target is its own size, reduced by the memcg's effective protection, shifted
     * by the priority.
     */
    ScanCount getScanCount(Lruvec lruvec, MemCgroup memcg, ScanControl sc) {
        int swappiness = this.swappiness.of(memcg);
        GetScanCount.Fractions fractions = null;
        ScanBalance balance = GetScanCount.firstRules(sc, canReclaimAnonPages(memcg), swappiness);
        if (balance != null) {
            // decided by the rules every kernel shares
        } else if (sc.fileIsTiny) {
            balance = ScanBalance.SCAN_ANON;
        } else if (sc.cacheTrimMode) {
            balance = ScanBalance.SCAN_FILE;
        } else {
            balance = ScanBalance.SCAN_FRACT;
            long[] fp = scanFractions(swappiness, sc.anonCost, sc.fileCost);
            fractions = new GetScanCount.Fractions(fp[0], fp[1], fp[0] + fp[1]);
        }
        long[] protection = Protection.protection(sc.targetMemcg, memcg);
        long min = protection[0];
        long low = protection[1];
        return new ScanCount(balance, GetScanCount.targets(balance, fractions, false, lru -> {
            long lruvecSize = lruvec.size(lru);
            long scan;
            if (min != 0 || low != 0) {
                long cgroupSize = memcg.memory.usage();
                long prot;
                if (!sc.memcgLowReclaim && low > min) {
                    prot = low;
                    sc.memcgLowSkipped = true;
                } else {
                    prot = min;
                }
                cgroupSize = Math.max(cgroupSize, prot);
                scan = lruvecSize - lruvecSize * prot / (cgroupSize + 1);
                scan = Math.max(scan, SWAP_CLUSTER_MAX);
            } else {
                scan = lruvecSize;
            }
            return scan >> sc.priority;
        }));
    }

    /**
     * The SCAN_FRACT pressure of get_scan_count: each type's share is inversely proportional
     * to its recent cost; anon's weight is swappiness, file's 200 - swappiness.
     *
     * @return {ap, fp}
     */
    static long[] scanFractions(int swappiness, long anonCostIn, long fileCostIn) {
        long totalCost = anonCostIn + fileCostIn;
        long anonCost = totalCost + anonCostIn;
        long fileCost = totalCost + fileCostIn;
        totalCost = anonCost + fileCost;
        long ap = swappiness * (totalCost + 1) / (anonCost + 1);
        long fp = (200 - swappiness) * (totalCost + 1) / (fileCost + 1);
        return new long[] {ap, fp};
    }

    /**
     * can_reclaim_anon_pages as get_scan_count calls it (5.18): with the lruvec's memcg, in global
     * reclaim too, so a v2 memcg at its swap.max (or below an ancestor at its own) has no anon to
     * reclaim even when the host has free swap (mem_cgroup_get_nr_swap_pages); no demotion.
     */
    private boolean canReclaimAnonPages(MemCgroup memcg) {
        return limits.getNrSwapPages(memcg) > 0;
    }

    // ---------------------------------------------------------------- the lists

    /**
     * shrink_inactive_list (5.18): isolate, shrink_page_list, move_pages_to_lru; PGSCAN and
     * PGSTEAL on the lruvec's memcg, and host-wide only outside cgroup reclaim (the per-type
     * PGSCAN_ANON/FILE and PGSTEAL_ANON/FILE host-wide always); the LRU cost of
     * what was written out; the flushers woken when everything taken was dirty and unqueued.
     */
    private long shrinkInactiveList(long nrToScan, Lruvec lruvec, MemCgroup memcg, ScanControl sc, int lru) {
        boolean file = Lru.isFile(lru);
        long nrTaken = lruReclaim.isolate(lruvec, lru, nrToScan, pageList);
        VmEvent scanItem = sc.kswapd ? VmEvent.PGSCAN_KSWAPD : VmEvent.PGSCAN_DIRECT;
        ShrinkLruvec.count(m, scanItem, memcg, nrTaken, sc);
        m.countHostEvent(file ? VmEvent.PGSCAN_FILE : VmEvent.PGSCAN_ANON, nrTaken);
        if (nrTaken == 0) {
            return 0;
        }
        ReclaimStats stat = shrinkPageList.shrinkPageList(lruvec, memcg, pageList, sc);
        long nrReclaimed = stat.reclaimed;
        VmEvent stealItem = sc.kswapd ? VmEvent.PGSTEAL_KSWAPD : VmEvent.PGSTEAL_DIRECT;
        ShrinkLruvec.count(m, stealItem, memcg, nrReclaimed, sc);
        m.countHostEvent(file ? VmEvent.PGSTEAL_FILE : VmEvent.PGSTEAL_ANON, nrReclaimed);
        LruCost.lruNoteCost(memcg, lruvec.node(), file, stat.pageout);
        if (stat.unqueuedDirty == nrTaken) {
            m.writeback().flushAll();
        }
        return nrReclaimed;
    }

    /**
     * shrink_active_list (5.18): PGREFILL (host-wide outside cgroup reclaim); referenced
     * executable file pages get another trip on the active list, every other page is
     * deactivated with PG_workingset; pages kept active age the workingset clock.
     */
    void shrinkActiveList(long nrToScan, Lruvec lruvec, MemCgroup memcg, ScanControl sc, int lru) {
        ReclaimStats activeStats = new ReclaimStats();
        lruReclaim.shrinkActiveList(lruvec, nrToScan, lru, sc, pageList, activeStats);
        ShrinkLruvec.count(m, VmEvent.PGREFILL, memcg, activeStats.taken, sc);
        if (activeStats.keptActive > 0) {
            workingset.ageNonresident(memcg, lruvec.node(), activeStats.keptActive);
        }
        m.countEvent(VmEvent.PGDEACTIVATE, memcg, activeStats.deactivated);
    }

    /** snapshot_refaults: remember the target lruvec's activations for the next may_deactivate. */
    void snapshotRefaults(MemCgroup target, int node) {
        MemCgroup memcg = target != null ? target : m.root();
        Lruvec lruvec = memcg.lruvec(node);
        lruvec.refaults[Lru.ANON] = LruvecState.event(memcg, VmEvent.WORKINGSET_ACTIVATE_ANON);
        lruvec.refaults[Lru.FILE] = LruvecState.event(memcg, VmEvent.WORKINGSET_ACTIVATE_FILE);
    }

    // ---------------------------------------------------------------- kswapd

    /**
     * wakeup_kswapd + balance_pgdat: kswapd is not woken for a node it gave up on
     * (kswapd_failures) or that is balanced; then the shared balance_pgdat with 5.18's
     * age_active_anon reclaims until a zone is over its high watermark, priority 12 down to 1.
     * Watermark boosting is not modelled.
     */
    @Override
    public void kswapd(Node node) {
        if (node.kswapdFailures >= MAX_RECLAIM_RETRIES || pgdatBalanced(node)) {
            return;
        }
        BalancePgdat.run(
                m,
                node,
                TracePoints.KSWAPD_BALANCE,
                this::ageActiveAnon,
                this::memCgroupShrinkNode,
                this::shrinkNode,
                nid -> snapshotRefaults(null, nid));
    }

    /** pgdat_balanced: the node's zone is above its high watermark. */
    static boolean pgdatBalanced(Node node) {
        return node.watermarkOk(node.wmarkHigh());
    }

    /**
     * age_active_anon (5.18): when the node's inactive anon is low (root lruvec, hierarchical),
     * deactivate SWAP_CLUSTER_MAX pages of active anon in every memcg.
     */
    private void ageActiveAnon(ScanControl sc, int node) {
        if (!canAgeAnonPages() || !inactiveIsLow(m.root(), node, Lru.INACTIVE_ANON)) {
            return;
        }
        for (MemCgroup memcg : m.root().subtree()) {
            shrinkActiveList(SWAP_CLUSTER_MAX, memcg.lruvec(node), memcg, sc, Lru.ACTIVE_ANON);
        }
    }
}
