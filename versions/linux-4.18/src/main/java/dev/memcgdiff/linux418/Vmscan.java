package dev.memcgdiff.linux418;

import static dev.memcgdiff.mm.vmscan.VmscanConstants.MAX_RECLAIM_RETRIES;
import static dev.memcgdiff.mm.vmscan.VmscanConstants.SWAP_CLUSTER_MAX;

import dev.memcgdiff.kernel.ReclaimOps;
import dev.memcgdiff.mm.Gfp;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.TracePoint;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.lru.Lruvec;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgRoom;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.mm.node.Node;
import dev.memcgdiff.mm.vmscan.BalancePgdat;
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

/**
 * mm/vmscan.c of RHEL 8.1 (4.18.0-147): limit and global direct reclaim, kswapd, get_scan_count
 * with recent_scanned/rotated, inactive_list_is_low with the refault override, and the
 * end-of-shrink_node_memcg anon rebalance that demotes active anon even while page cache is
 * there (docs/QUESTIONS.md §16b).
 */
final class Vmscan implements ReclaimOps {
    private final Machine m;
    private final LruReclaim reclaim;
    private final MemcgIter iter = new MemcgIter();
    private final PageBatch batch = new PageBatch();
    private final ReclaimStats stats = new ReclaimStats();
    private final SelectVictimNode victimNode;

    /** @param reclaim shrink_page_list and shrink_active_list's page walk, with this kernel's rules and LRU ops */
    Vmscan(Machine m, LruReclaim reclaim) {
        this.m = m;
        this.reclaim = reclaim;
        this.victimNode = new SelectVictimNode(m);
    }

    /**
     * try_to_free_mem_cgroup_pages: limit reclaim under {@code memcg}. The scan mask is the
     * charge's reclaim bits plus GFP_HIGHUSER_MOVABLE's placement bits, so a NOIO/NOFS charge
     * reclaims without I/O or FS.
     */
    @Override
    public long tryToFreeMemCgroupPages(MemCgroup memcg, long nrPages, int gfp, boolean maySwap) {
        ScanControl sc = ScanControl.memcgReclaim(
                Gfp.memcgReclaimMask(gfp), memcg, Math.max(nrPages, SWAP_CLUSTER_MAX), maySwap);
        int nid = victimNode.select(memcg);
        m.psi().memstallEnter(m.current, m.clock.now()); // psi_memstall_enter around do_try_to_free_pages
        long reclaimed = doTryToFreePages(nid, sc);
        m.psi().memstallLeave(m.current, m.clock.now());
        return reclaimed;
    }

    /** try_to_free_pages: global direct reclaim of SWAP_CLUSTER_MAX pages. */
    @Override
    public long tryToFreePages(int gfp) {
        return DoTryToFreePages.tryToFreePages(
                m, gfp, TracePoints.TRY_TO_FREE_PAGES, "reclaimed", this::doTryToFreePages);
    }

    /**
     * do_try_to_free_pages (4.18): priority 12 down to 0 over shrink_zones (every node, v1 soft
     * limit reclaim first in global reclaim) until enough is reclaimed; then the low-protection
     * retry.
     */
    private long doTryToFreePages(int startNode, ScanControl sc) {
        return DoTryToFreePages.withRetries(
                m,
                sc,
                pass -> DoTryToFreePages.shrinkZones(
                        m, startNode, pass, DoTryToFreePages.NO_SKIP, this::memCgroupShrinkNode, this::shrinkNode),
                node -> snapshotRefaults(sc.targetMemcg, node),
                this::memcgLowRetry);
    }

    /** do_try_to_free_pages' retry for untapped memory.low reserves: reclaim them too. */
    private boolean memcgLowRetry(ScanControl sc) {
        if (!sc.memcgLowSkipped) {
            return false;
        }
        sc.memcgLowReclaim = true;
        sc.memcgLowSkipped = false;
        m.trace.count(
                TracePoints.LOW_RECLAIM_RETRY,
                sc.targetMemcg,
                "do_try_to_free_pages " + (sc.cgroupReclaim() ? sc.targetMemcg.path() : "(global)")
                        + ": memory.low skipped, retry with memcg_low_reclaim");
        return true;
    }

    /** mem_cgroup_shrink_node: soft limit reclaim of one memcg at priority 0. */
    private long memCgroupShrinkNode(MemCgroup memcg, int node) {
        ScanControl sc = ScanControl.softLimit(Gfp.GFP_KERNEL, memcg);
        shrinkNodeMemcg(node, memcg, sc);
        return sc.nrReclaimed;
    }

    /** shrink_node: the shared mem_cgroup_iter walk under the target, with memory.min/low. */
    private boolean shrinkNode(int node, ScanControl sc) {
        MemCgroup root = sc.targetMemcg != null ? sc.targetMemcg : m.root();
        long before = sc.nrReclaimed;
        MemcgIter.Walk walk = iter.start(root, node, sc.priority);
        for (MemCgroup memcg = walk.next(); memcg != null; memcg = walk.next()) {
            switch (Protection.memCgroupProtected(root, memcg)) {
                case MIN:
                    continue;
                case LOW:
                    if (!sc.memcgLowReclaim) {
                        sc.memcgLowSkipped = true;
                        continue;
                    }
                    m.memcgMemoryEvent(memcg, MemoryEvent.LOW);
                    break;
                default:
                    break;
            }
            shrinkNodeMemcg(node, memcg, sc);
            if (sc.cgroupReclaim() && sc.nrReclaimed >= sc.nrToReclaim) {
                walk.stop();
                break;
            }
        }
        boolean reclaimable = sc.nrReclaimed > before;
        if (reclaimable) {
            m.nodes[node].kswapdFailures = 0;
        }
        return reclaimable;
    }

    /** shrink_node_memcg: scan the lists in SWAP_CLUSTER_MAX bites toward get_scan_count's targets. */
    private void shrinkNodeMemcg(int node, MemCgroup memcg, ScanControl sc) {
        Lruvec lruvec = memcg.lruvec(node);
        ShrinkLruvec.Scanned scanned = ShrinkLruvec.scan(
                getScanCount(lruvec, memcg, sc), sc, (lru, nrToScan) -> shrinkList(lru, nrToScan, lruvec, memcg, sc));
        boolean rebalance = inactiveListIsLow(lruvec, false, memcg, sc, true);
        if (rebalance) {
            shrinkActiveList(SWAP_CLUSTER_MAX, lruvec, sc, Lru.ACTIVE_ANON);
        }
        ShrinkLruvec.trace(
                m,
                shrinkPoint(sc),
                memcg,
                () -> "shrink_node_memcg " + memcg.path()
                        + (sc.softLimit
                                ? " (soft limit)"
                                : sc.cgroupReclaim()
                                        ? " (limit of " + sc.targetMemcg.path() + ")"
                                        : sc.kswapd ? " (kswapd)" : " (global)"),
                scanned,
                "anon_rebalance",
                rebalance);
    }

    /** Which reclaim shrink_node_memcg ran for: v1 soft limit, limit, kswapd or global direct reclaim. */
    private static TracePoint shrinkPoint(ScanControl sc) {
        if (sc.softLimit) {
            return TracePoints.SHRINK_SOFT_LIMIT;
        }
        if (sc.cgroupReclaim()) {
            return TracePoints.SHRINK_LIMIT;
        }
        return sc.kswapd ? TracePoints.SHRINK_KSWAPD : TracePoints.SHRINK_GLOBAL;
    }

    /** shrink_list: active lists are only aged, and only when their inactive list is low. */
    private long shrinkList(int lru, long nrToScan, Lruvec lruvec, MemCgroup memcg, ScanControl sc) {
        if (Lru.isActive(lru)) {
            if (inactiveListIsLow(lruvec, Lru.isFile(lru), memcg, sc, true)) {
                shrinkActiveList(nrToScan, lruvec, sc, lru);
            }
            return 0;
        }
        return shrinkInactiveList(nrToScan, lruvec, sc, lru);
    }

    /** inactive_list_is_low (4.18): ratio 0 after a file refault since the last snapshot, else int_sqrt(10 * GB). */
    boolean inactiveListIsLow(Lruvec lruvec, boolean file, MemCgroup memcg, ScanControl sc, boolean actualReclaim) {
        if (!file && m.swap.slots() == 0) {
            return false;
        }
        int inactiveLru = file ? Lru.INACTIVE_FILE : Lru.INACTIVE_ANON;
        long inactive = lruvec.size(inactiveLru);
        long active = lruvec.size(inactiveLru + 1);
        long refaults = memcg.event(VmEvent.WORKINGSET_ACTIVATE_FILE);
        long ratio;
        if (file && actualReclaim && lruvec.refaults[Lru.FILE] != refaults) {
            ratio = 0;
        } else {
            ratio = IntSqrt.inactiveRatio(inactive + active);
        }
        return inactive * ratio < active;
    }

    /** get_scan_count (4.18): SCAN_FILE / EQUAL / ANON / FILE / FRACT, first match wins. */
    private long[] getScanCount(Lruvec lruvec, MemCgroup memcg, ScanControl sc) {
        int swappiness = Swappiness.memCgroupSwappiness(m, memcg);
        GetScanCount.Fractions fractions = null;
        ScanBalance balance = GetScanCount.firstRules(sc, MemcgRoom.nrSwapPages(m, memcg) > 0, swappiness);
        if (balance != null) {
            // decided by the rules every kernel shares
        } else if (!sc.cgroupReclaim()
                && fileIsTiny(lruvec.node())
                && !inactiveListIsLow(lruvec, false, memcg, sc, false)
                && (lruvec.size(Lru.INACTIVE_ANON) >> sc.priority) > 0) {
            balance = ScanBalance.SCAN_ANON;
        } else if (!inactiveListIsLow(lruvec, true, memcg, sc, false)
                && (lruvec.size(Lru.INACTIVE_FILE) >> sc.priority) > 0) {
            balance = ScanBalance.SCAN_FILE;
        } else {
            balance = ScanBalance.SCAN_FRACT;
            fractions = GetScanCount.reclaimStatFractions(lruvec, swappiness);
        }
        // each list's size >> priority; SCAN_FRACT rounds up (DIV64_U64_ROUND_UP)
        return GetScanCount.targets(balance, fractions, true, lru -> lruvec.size(lru) >> sc.priority);
    }

    /** The global "file LRU is tiny" test of get_scan_count: node file + free at or below the high watermark. */
    private boolean fileIsTiny(int node) {
        long file = 0;
        for (MemCgroup c : m.memcgs()) {
            file += c.lruvec(node).fileSize();
        }
        Node n = m.nodes[node];
        return file + n.nrFree() <= n.wmarkHigh();
    }

    /** shrink_inactive_list (4.18). */
    private long shrinkInactiveList(long nrToScan, Lruvec lruvec, ScanControl sc, int lru) {
        int type = Lru.type(lru);
        MemCgroup memcg = m.memcg(lruvec.memcgId());
        stats.clear();
        long taken = reclaim.isolate(lruvec, lru, nrToScan, batch);
        lruvec.recentScanned[type] += taken;
        sc.nrScanned += taken;
        VmEvent scan = sc.kswapd ? VmEvent.PGSCAN_KSWAPD : VmEvent.PGSCAN_DIRECT;
        VmEvent steal = sc.kswapd ? VmEvent.PGSTEAL_KSWAPD : VmEvent.PGSTEAL_DIRECT;
        ShrinkLruvec.count(m, scan, memcg, taken, sc);
        if (taken == 0) {
            return 0;
        }
        // shrink_page_list (4.18.0-147) counts a mapped or swap cache page a second time
        sc.nrScanned += reclaim.doubleCountedScans(batch, sc);
        reclaim.shrinkPageList(lruvec, batch, sc, stats);
        ShrinkLruvec.count(m, steal, memcg, stats.reclaimed, sc);
        long activated = stats.activated[0] + stats.activated[1];
        m.countEvent(VmEvent.PGACTIVATE, memcg, activated);
        lruvec.recentRotated[Lru.ANON] += stats.putbackActive[Lru.ANON];
        lruvec.recentRotated[Lru.FILE] += stats.putbackActive[Lru.FILE];
        if (stats.unqueuedDirty == taken) {
            m.writeback().flushAll();
        }
        return stats.reclaimed;
    }

    /** shrink_active_list (4.18): PGREFILL, rotated for referenced pages, PG_workingset on deactivation. */
    void shrinkActiveList(long nrToScan, Lruvec lruvec, ScanControl sc, int lru) {
        int type = Lru.type(lru);
        MemCgroup memcg = m.memcg(lruvec.memcgId());
        stats.clear();
        reclaim.shrinkActiveList(lruvec, nrToScan, lru, sc, batch, stats);
        lruvec.recentScanned[type] += stats.taken;
        m.countEvent(VmEvent.PGREFILL, memcg, stats.taken);
        lruvec.recentRotated[type] += stats.rotated;
        m.countEvent(VmEvent.PGDEACTIVATE, memcg, stats.deactivated);
    }

    /** snapshot_refaults: remember WORKINGSET_ACTIVATE for the next inactive_list_is_low. */
    private void snapshotRefaults(MemCgroup target, int node) {
        MemCgroup root = target != null ? target : m.root();
        for (MemCgroup c : root.hierarchy()) {
            c.lruvec(node).refaults[Lru.FILE] = c.event(VmEvent.WORKINGSET_ACTIVATE_FILE);
        }
    }

    // ---------------------------------------------------------------- kswapd

    /**
     * kswapd (4.18.0-147): nothing once the node's kswapd gave up (kswapd_failures), else the
     * shared balance_pgdat with this kernel's age_active_anon.
     */
    @Override
    public void kswapd(Node node) {
        if (node.kswapdFailures >= MAX_RECLAIM_RETRIES) {
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

    /** age_active_anon (4.18): deactivate anon in every memcg whose inactive anon is low. */
    private void ageActiveAnon(ScanControl sc, int node) {
        if (m.swap.slots() == 0) {
            return;
        }
        for (MemCgroup memcg : m.root().subtree()) {
            Lruvec lruvec = memcg.lruvec(node);
            if (inactiveListIsLow(lruvec, false, memcg, sc, true)) {
                shrinkActiveList(SWAP_CLUSTER_MAX, lruvec, sc, Lru.ACTIVE_ANON);
            }
        }
    }
}
