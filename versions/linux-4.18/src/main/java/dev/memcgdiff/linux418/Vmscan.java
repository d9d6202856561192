package dev.memcgdiff.linux418;

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
import dev.memcgdiff.mm.vmscan.IntSqrt;
import dev.memcgdiff.mm.vmscan.LruReclaim;
import dev.memcgdiff.mm.vmscan.MemcgIter;
import dev.memcgdiff.mm.vmscan.PageBatch;
import dev.memcgdiff.mm.vmscan.ProportionalScan;
import dev.memcgdiff.mm.vmscan.ReclaimStats;
import dev.memcgdiff.mm.vmscan.ScanControl;
import dev.memcgdiff.mm.vmscan.SoftLimitReclaim;
import dev.memcgdiff.scenario.CgroupInterface;

/**
 * mm/vmscan.c of RHEL 8.1 (4.18.0-147): limit and global direct reclaim, kswapd, get_scan_count
 * with recent_scanned/rotated, inactive_list_is_low with the refault override, and the
 * end-of-shrink_node_memcg anon rebalance that demotes active anon even while page cache is
 * there (the notes' question 16).
 */
final class Vmscan implements ReclaimOps {
    static final int DEF_PRIORITY = 12;
    static final int SWAP_CLUSTER_MAX = 32;
    static final int MAX_RECLAIM_RETRIES = 16;

    private enum ScanBalance { EQUAL, FRACT, ANON, FILE }

    private final Machine m;
    private final LruReclaim reclaim;
    private final MemcgIter iter = new MemcgIter();
    private final PageBatch batch = new PageBatch();
    private final ReclaimStats stats = new ReclaimStats();
    /** mem_cgroup_select_victim_node's cursor: the kernel keeps one per memcg (last_scanned_node), the model one. */
    private int victimNode;

    /** @param reclaim shrink_page_list and shrink_active_list's page walk, with this kernel's rules and LRU ops */
    Vmscan(Machine m, LruReclaim reclaim) {
        this.m = m;
        this.reclaim = reclaim;
    }

    /** GFP_RECLAIM_MASK (mm/internal.h) in the model's flags: what a reclaim may do, not where pages come from. */
    static final int GFP_RECLAIM_MASK = Gfp.IO | Gfp.FS | Gfp.DIRECT_RECLAIM | Gfp.NORETRY | Gfp.RETRY_MAYFAIL
        | Gfp.NOFAIL | Gfp.HIGH | Gfp.NOWARN;

    /**
     * try_to_free_mem_cgroup_pages: limit reclaim under {@code memcg}. The scan mask is the
     * charge's reclaim bits plus GFP_HIGHUSER_MOVABLE's placement bits, so a NOIO/NOFS charge
     * reclaims without I/O or FS.
     */
    @Override
    public long tryToFreeMemCgroupPages(MemCgroup memcg, long nrPages, int gfp, boolean maySwap) {
        int scanGfp = (gfp & GFP_RECLAIM_MASK) | (Gfp.GFP_HIGHUSER_MOVABLE & ~GFP_RECLAIM_MASK);
        ScanControl sc = new ScanControl(scanGfp, memcg, false);
        sc.nrToReclaim = Math.max(nrPages, SWAP_CLUSTER_MAX);
        sc.priority = DEF_PRIORITY;
        sc.mayWritepage = true;
        sc.maySwap = maySwap;
        int nid = memCgroupSelectVictimNode();
        return doTryToFreePages(nid, sc);
    }

    /** mem_cgroup_select_victim_node: nodes in turn. */
    private int memCgroupSelectVictimNode() {
        int nid = victimNode;
        victimNode = (victimNode + 1) % m.nodes.length;
        return nid;
    }

    /** try_to_free_pages: global direct reclaim of SWAP_CLUSTER_MAX pages. */
    @Override
    public long tryToFreePages(int gfp) {
        ScanControl sc = new ScanControl(gfp, null, false);
        sc.nrToReclaim = SWAP_CLUSTER_MAX;
        sc.priority = DEF_PRIORITY;
        sc.mayWritepage = true;
        sc.maySwap = true;
        int nid = m.homeNode(m.current);
        long reclaimed = doTryToFreePages(nid, sc);
        m.trace.add(TracePoints.TRY_TO_FREE_PAGES, null, "try_to_free_pages (global direct reclaim)",
            new String[] {"reclaimed"}, reclaimed);
        return reclaimed;
    }

    /** do_try_to_free_pages: priority 12 down to 0 until enough is reclaimed; then the low-protection retry. */
    private long doTryToFreePages(int startNode, ScanControl sc) {
        int initialPriority = sc.priority;
        while (true) {
            do {
                sc.nrScanned = 0;
                shrinkZones(startNode, sc);
                if (sc.nrReclaimed >= sc.nrToReclaim) {
                    break;
                }
                if (sc.priority < DEF_PRIORITY - 2) {
                    sc.mayWritepage = true;
                }
            } while (--sc.priority >= 0);
            for (int i = 0; i < m.nodes.length; i++) {
                snapshotRefaults(sc.targetMemcg, i);
            }
            if (sc.nrReclaimed > 0) {
                return sc.nrReclaimed;
            }
            if (sc.memcgLowSkipped) {
                sc.priority = initialPriority;
                sc.memcgLowReclaim = true;
                sc.memcgLowSkipped = false;
                m.trace.count(TracePoints.LOW_RECLAIM_RETRY, sc.targetMemcg, "do_try_to_free_pages "
                    + (sc.cgroupReclaim() ? sc.targetMemcg.path() : "(global)")
                    + ": memory.low skipped, retry with memcg_low_reclaim");
                if (!sc.cgroupReclaim()) {
                    // The retry re-enters at the label that counts ALLOCSTALL for global reclaim.
                    m.countEvent(VmEvent.ALLOCSTALL, null, 1);
                }
                continue;
            }
            return 0;
        }
    }

    /** shrink_zones: every node of the zonelist, with v1 soft limit reclaim first in global reclaim. */
    private void shrinkZones(int startNode, ScanControl sc) {
        for (int i = 0; i < m.nodes.length; i++) {
            int node = (startNode + i) % m.nodes.length;
            if (!sc.cgroupReclaim()) {
                sc.nrReclaimed += SoftLimitReclaim.reclaim(m, node, this::memCgroupShrinkNode);
            }
            shrinkNode(node, sc);
        }
    }

    /** mem_cgroup_shrink_node: soft limit reclaim of one memcg at priority 0. */
    private long memCgroupShrinkNode(MemCgroup memcg, int node) {
        ScanControl sc = new ScanControl(Gfp.GFP_KERNEL, memcg, false);
        sc.nrToReclaim = SWAP_CLUSTER_MAX;
        sc.priority = 0;
        sc.mayWritepage = true;
        sc.maySwap = true;
        sc.softLimit = true;
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
        long[] nr = getScanCount(lruvec, memcg, sc);
        long nrToReclaim = sc.nrToReclaim;
        boolean scanAdjusted = !sc.cgroupReclaim() && !sc.kswapd && sc.priority == DEF_PRIORITY;
        long[] scanned = new long[Lru.NR_EVICTABLE];
        long[] reclaimed = new long[Lru.NR_EVICTABLE];
        long nrReclaimed = ProportionalScan.run(nr, nrToReclaim, scanAdjusted,
            (lru, nrToScan) -> shrinkList(lru, nrToScan, lruvec, memcg, sc), scanned, reclaimed);
        sc.nrReclaimed += nrReclaimed;
        boolean rebalance = inactiveListIsLow(lruvec, false, memcg, sc, true);
        if (rebalance) {
            shrinkActiveList(SWAP_CLUSTER_MAX, lruvec, sc, Lru.ACTIVE_ANON);
        }
        if (scanned[0] + scanned[1] + scanned[2] + scanned[3] > 0 || rebalance) {
            m.trace.add(shrinkPoint(sc), memcg, "shrink_node_memcg " + memcg.path() + (sc.softLimit ? " (soft limit)"
                    : sc.cgroupReclaim() ? " (limit of " + sc.targetMemcg.path() + ")" : sc.kswapd ? " (kswapd)"
                    : " (global)"),
                new String[] {"scan_inactive_anon", "scan_active_anon", "scan_inactive_file", "scan_active_file",
                    "reclaimed_anon", "reclaimed_file", "anon_rebalance"},
                scanned[0], scanned[1], scanned[2], scanned[3], reclaimed[0], reclaimed[2], rebalance ? 1 : 0);
        }
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
        long[] fraction = new long[2];
        long denominator = 1;
        ScanBalance balance;
        if (!sc.maySwap || memCgroupGetNrSwapPages(memcg) <= 0) {
            balance = ScanBalance.FILE;
        } else if (sc.cgroupReclaim() && swappiness == 0) {
            balance = ScanBalance.FILE;
        } else if (sc.priority == 0 && swappiness != 0) {
            balance = ScanBalance.EQUAL;
        } else if (!sc.cgroupReclaim() && fileIsTiny(lruvec.node())
            && !inactiveListIsLow(lruvec, false, memcg, sc, false)
            && (lruvec.size(Lru.INACTIVE_ANON) >> sc.priority) > 0) {
            balance = ScanBalance.ANON;
        } else if (!inactiveListIsLow(lruvec, true, memcg, sc, false)
            && (lruvec.size(Lru.INACTIVE_FILE) >> sc.priority) > 0) {
            balance = ScanBalance.FILE;
        } else {
            balance = ScanBalance.FRACT;
            long anonPrio = swappiness;
            long filePrio = 200 - anonPrio;
            long anon = lruvec.anonSize();
            long file = lruvec.fileSize();
            if (lruvec.recentScanned[0] > anon / 4) {
                lruvec.recentScanned[0] /= 2;
                lruvec.recentRotated[0] /= 2;
            }
            if (lruvec.recentScanned[1] > file / 4) {
                lruvec.recentScanned[1] /= 2;
                lruvec.recentRotated[1] /= 2;
            }
            long ap = anonPrio * (lruvec.recentScanned[0] + 1) / (lruvec.recentRotated[0] + 1);
            long fp = filePrio * (lruvec.recentScanned[1] + 1) / (lruvec.recentRotated[1] + 1);
            fraction[0] = ap;
            fraction[1] = fp;
            denominator = ap + fp + 1;
        }
        long[] nr = new long[Lru.NR_LRU_LISTS];
        for (int lru = 0; lru < Lru.NR_EVICTABLE; lru++) {
            int type = Lru.type(lru);
            long size = lruvec.size(lru);
            long scan = size >> sc.priority;
            switch (balance) {
                case EQUAL:
                    break;
                case FRACT:
                    scan = divRoundUp(scan * fraction[type], denominator);
                    break;
                default:
                    if ((balance == ScanBalance.FILE) != (type == Lru.FILE)) {
                        scan = 0;
                    }
                    break;
            }
            nr[lru] = scan;
        }
        return nr;
    }

    private static long divRoundUp(long a, long b) {
        return (a + b - 1) / b;
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

    /** mem_cgroup_get_nr_swap_pages: free swap, in v2 also bounded by swap.max up the tree. */
    private long memCgroupGetNrSwapPages(MemCgroup memcg) {
        long nr = m.swap.free();
        if (m.cgroupInterface != CgroupInterface.V2) {
            return nr;
        }
        for (MemCgroup c = memcg; c != null && !c.isRoot(); c = c.parent()) {
            nr = Math.min(nr, c.swap.max() - c.swap.usage());
        }
        return nr;
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
        count(scan, memcg, taken, sc);
        if (taken == 0) {
            return 0;
        }
        reclaim.shrinkPageList(lruvec, batch, sc, stats);
        count(steal, memcg, stats.reclaimed, sc);
        long activated = stats.activated[0] + stats.activated[1];
        m.countEvent(VmEvent.PGACTIVATE, memcg, activated);
        lruvec.recentRotated[Lru.ANON] += stats.putbackActive[Lru.ANON];
        lruvec.recentRotated[Lru.FILE] += stats.putbackActive[Lru.FILE];
        if (stats.unqueuedDirty == taken) {
            m.writeback().flushAll();
        }
        return stats.reclaimed;
    }

    /** PGSCAN/PGSTEAL: host-wide only for global reclaim, always on the lruvec's memcg. */
    private void count(VmEvent e, MemCgroup memcg, long n, ScanControl sc) {
        if (sc.cgroupReclaim()) {
            m.countMemcgOnly(e, memcg, n);
        } else {
            m.countEvent(e, memcg, n);
        }
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

    /** balance_pgdat: reclaim the node until a zone is balanced at its high watermark. */
    @Override
    public void kswapd(Node node) {
        if (node.kswapdFailures >= MAX_RECLAIM_RETRIES) {
            return;
        }
        ScanControl sc = new ScanControl(Gfp.GFP_KERNEL, null, true);
        sc.priority = DEF_PRIORITY;
        sc.mayWritepage = true;
        sc.maySwap = true;
        m.countHostEvent(VmEvent.PAGEOUTRUN, 1);
        long before = m.vmEvent(VmEvent.PGSTEAL_KSWAPD);
        do {
            long reclaimedBefore = sc.nrReclaimed;
            boolean raisePriority = true;
            if (node.watermarkOk(node.wmarkHigh())) {
                break;
            }
            ageActiveAnon(node.id(), sc);
            if (sc.priority < DEF_PRIORITY - 2) {
                sc.mayWritepage = true;
            }
            sc.nrScanned = 0;
            sc.nrReclaimed += SoftLimitReclaim.reclaim(m, node.id(), this::memCgroupShrinkNode);
            sc.nrToReclaim = Math.max(node.wmarkHigh(), SWAP_CLUSTER_MAX);
            shrinkNode(node.id(), sc);
            if (sc.nrScanned >= sc.nrToReclaim) {
                raisePriority = false;
            }
            if (raisePriority || sc.nrReclaimed == reclaimedBefore) {
                sc.priority--;
            }
        } while (sc.priority >= 1);
        if (sc.nrReclaimed == 0) {
            node.kswapdFailures++;
        }
        snapshotRefaults(null, node.id());
        m.trace.add(TracePoints.KSWAPD_BALANCE, null, "kswapd" + node.id() + " balance_pgdat",
            new String[] {"reclaimed"}, m.vmEvent(VmEvent.PGSTEAL_KSWAPD) - before);
    }

    /** age_active_anon: deactivate anon in every memcg whose inactive anon is low. */
    private void ageActiveAnon(int node, ScanControl sc) {
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
