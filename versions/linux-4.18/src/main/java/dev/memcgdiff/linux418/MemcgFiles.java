package dev.memcgdiff.linux418;

import static dev.memcgdiff.mm.memcg.CgroupFileValues.bytes;
import static dev.memcgdiff.mm.memcg.CgroupFileValues.bytesOrMax;

import dev.memcgdiff.kernel.CgroupFileOps;
import dev.memcgdiff.kernel.KnobWrite;
import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.memcg.CgroupFileValues;
import dev.memcgdiff.mm.memcg.CgroupV1Files;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.scenario.CgroupInterface;
import dev.memcgdiff.scenario.Knob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory controller files of 4.18.0-147 (mem_cgroup_legacy_files, memory_files,
 * memcg_stat_show): what they show, and their write handlers ({@link MemcgWrites}).
 */
final class MemcgFiles implements CgroupFileOps {
    /** memcg1_stats / memcg1_stat_names, then the v1 events and LRU names (memcg_stat_show). */
    static final List<String> V1_STATS =
            List.of("cache", "rss", "rss_huge", "shmem", "mapped_file", "dirty", "writeback", "swap");
    /** The memory.events lines (memory_events_show, 4.18.0-147: no oom_group_kill yet). */
    private static final List<MemoryEvent> EVENTS =
            List.of(MemoryEvent.LOW, MemoryEvent.HIGH, MemoryEvent.MAX, MemoryEvent.OOM, MemoryEvent.OOM_KILL);

    private static final List<String> LRUS =
            List.of("inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable");

    private final Machine m;
    private final MemcgWrites writes;

    MemcgFiles(Machine m, MemcgWrites writes) {
        this.m = m;
        this.writes = writes;
    }

    @Override
    public KnobWrite write(MemCgroup memcg, Knob knob) {
        return writes.write(memcg, knob);
    }

    @Override
    public CgroupFiles read(MemCgroup memcg) {
        return m.cgroupInterface == CgroupInterface.V1 ? v1(memcg) : v2(memcg);
    }

    private CgroupFiles v1(MemCgroup c) {
        return CgroupV1Files.files(
                c, m.memswCharged(), c.useHierarchy ? 1 : 0, Swappiness.memCgroupSwappiness(m, c), true, V1_STATS);
    }

    private CgroupFiles v2(MemCgroup c) {
        CgroupFiles f = new CgroupFiles();
        if (c.isRoot()) {
            return f;
        }
        CgroupFileValues.memoryCurrentAndLimits(f, c);
        f.putKeyed("memory.events", CgroupFileValues.memoryEvents(c, EVENTS, false));
        f.putKeyed("memory.stat", v2Stat(c));
        f.put("memory.swap.current", bytes(c.swap.usage()));
        f.putWordOrBytes("memory.swap.max", bytesOrMax(c.swap.max()));
        Map<String, Long> swapEvents = new LinkedHashMap<>();
        swapEvents.put("max", c.memoryEvent(MemoryEvent.SWAP_MAX));
        swapEvents.put("fail", c.memoryEvent(MemoryEvent.SWAP_FAIL));
        f.putKeyed("memory.swap.events", swapEvents);
        f.put("memory.oom.group", c.oomGroup ? 1 : 0);
        return f;
    }

    /** memory_stat_show (4.18.0-147 order), every value summed over the subtree. */
    private static Map<String, Long> v2Stat(MemCgroup c) {
        Map<String, Long> s = new LinkedHashMap<>();
        s.put("anon", bytes(c.treeStat(MemcgStat.RSS)));
        s.put("file", bytes(c.treeStat(MemcgStat.CACHE)));
        s.put("kernel_stack", 0L);
        s.put("slab", 0L);
        s.put("sock", 0L);
        s.put("shmem", bytes(c.treeStat(MemcgStat.SHMEM)));
        s.put("file_mapped", bytes(c.treeStat(MemcgStat.MAPPED_FILE)));
        s.put("file_dirty", bytes(c.treeStat(MemcgStat.DIRTY)));
        s.put("file_writeback", bytes(c.treeStat(MemcgStat.WRITEBACK)));
        for (String k : LRUS) {
            s.put(k, CgroupFileValues.lruBytes(c, k, true));
        }
        s.put("slab_reclaimable", 0L);
        s.put("slab_unreclaimable", 0L);
        s.put("pgfault", c.treeEvent(VmEvent.PGFAULT));
        s.put("pgmajfault", c.treeEvent(VmEvent.PGMAJFAULT));
        s.put("workingset_refault", c.treeEvent(VmEvent.WORKINGSET_REFAULT_FILE));
        s.put("workingset_activate", c.treeEvent(VmEvent.WORKINGSET_ACTIVATE_FILE));
        s.put("workingset_nodereclaim", c.treeEvent(VmEvent.WORKINGSET_NODERECLAIM));
        s.put("pgrefill", c.treeEvent(VmEvent.PGREFILL));
        s.put("pgscan", c.treeEvent(VmEvent.PGSCAN_KSWAPD) + c.treeEvent(VmEvent.PGSCAN_DIRECT));
        s.put("pgsteal", c.treeEvent(VmEvent.PGSTEAL_KSWAPD) + c.treeEvent(VmEvent.PGSTEAL_DIRECT));
        s.put("pgactivate", c.treeEvent(VmEvent.PGACTIVATE));
        s.put("pgdeactivate", c.treeEvent(VmEvent.PGDEACTIVATE));
        s.put("pglazyfree", 0L);
        s.put("pglazyfreed", 0L);
        return s;
    }

    /** The /proc/vmstat names 4.18 prints for the model's events. */
    static String vmstatName(VmEvent e) {
        return switch (e) {
            case PSWPIN,
                    PSWPOUT,
                    PGFAULT,
                    PGMAJFAULT,
                    PGACTIVATE,
                    PGDEACTIVATE,
                    PGREFILL,
                    PGSCAN_KSWAPD,
                    PGSCAN_DIRECT,
                    PGSTEAL_KSWAPD,
                    PGSTEAL_DIRECT,
                    PGROTATED,
                    PAGEOUTRUN,
                    WORKINGSET_NODERECLAIM,
                    THP_FAULT_ALLOC,
                    THP_FAULT_FALLBACK,
                    OOM_KILL -> e.key();
            // do_try_to_free_pages counts ALLOCSTALL for zone sc->reclaim_idx = gfp_zone(gfp): every
            // modelled allocation is GFP_HIGHUSER_MOVABLE-based, which gfp_zone maps to ZONE_MOVABLE.
            case ALLOCSTALL -> "allocstall_movable";
            case WORKINGSET_REFAULT_FILE -> "workingset_refault";
            case WORKINGSET_ACTIVATE_FILE -> "workingset_activate";
            case WORKINGSET_RESTORE_FILE -> "workingset_restore";
            default -> null;
        };
    }
}
