package dev.memcgdiff.linux518;

import static dev.memcgdiff.mm.memcg.CgroupFileValues.bytes;
import static dev.memcgdiff.mm.memcg.CgroupFileValues.bytesOrMax;

import dev.memcgdiff.mm.Machine;
import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.CgroupV1Files;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.memcg.MemoryEvent;
import dev.memcgdiff.mm.memcg.VmEvent;
import dev.memcgdiff.outcome.CgroupFiles;
import dev.memcgdiff.scenario.CgroupInterface;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory controller files of 5.18 (mem_cgroup_legacy_files with memsw_files,
 * memory_files with swap_files) and memory.stat in both formats (memcg_stat_show,
 * memory_stat_format). Kernel memory (kmem, slab, stacks, page tables, sockets) is not
 * modelled and reads 0.
 */
final class MemcgFiles {
    /** memcg1_stats / memcg1_stat_names (5.18, CONFIG_TRANSPARENT_HUGEPAGE). */
    private static final List<String> V1_STATS = List.of("cache", "rss", "rss_huge", "shmem", "mapped_file", "dirty",
        "writeback", "swap");
    /** memcg1_events. */
    /** The memory.events and memory.events.local lines (__memory_events_show). */
    private static final List<MemoryEvent> EVENTS = List.of(MemoryEvent.LOW, MemoryEvent.HIGH, MemoryEvent.MAX,
        MemoryEvent.OOM, MemoryEvent.OOM_KILL, MemoryEvent.OOM_GROUP_KILL);

    private final Machine m;
    private final Memcontrol memcontrol;

    MemcgFiles(Machine m, Memcontrol memcontrol) {
        this.m = m;
        this.memcontrol = memcontrol;
    }

    CgroupFiles read(MemCgroup memcg) {
        return m.cgroupInterface == CgroupInterface.V1 ? v1(memcg) : v2(memcg);
    }

    private CgroupFiles v1(MemCgroup c) {
        CgroupFiles f = new CgroupFiles();
        CgroupV1Files.counters(f, c, m.memswCharged());
        f.put("memory.use_hierarchy", 1); // mem_cgroup_hierarchy_read
        f.put("memory.swappiness", memcontrol.swappiness(c));
        Map<String, Long> oom = new LinkedHashMap<>();
        oom.put("oom_kill_disable", c.oomKillDisable ? 1L : 0L);
        oom.put("under_oom", c.underOom > 0 ? 1L : 0L);
        oom.put("oom_kill", c.memoryEvent(MemoryEvent.OOM_KILL));
        f.putKeyed("memory.oom_control", oom);
        f.putKeyed("memory.stat", CgroupV1Files.memoryStat(c, V1_STATS, m.memswCharged()));
        return f;
    }

    /** The v2 files; the root has only memory.stat (every other file is CFTYPE_NOT_ON_ROOT). */
    private CgroupFiles v2(MemCgroup c) {
        CgroupFiles f = new CgroupFiles();
        if (c.isRoot()) {
            f.putKeyed("memory.stat", memoryStat(c));
            return f;
        }
        f.put("memory.current", bytes(c.memory.usage()));
        f.putWordOrBytes("memory.min", bytesOrMax(c.memory.min()));
        f.putWordOrBytes("memory.low", bytesOrMax(c.memory.low()));
        f.putWordOrBytes("memory.high", bytesOrMax(c.memory.high()));
        f.putWordOrBytes("memory.max", bytesOrMax(c.memory.max()));
        Map<String, Long> events = new LinkedHashMap<>();
        Map<String, Long> local = new LinkedHashMap<>();
        for (MemoryEvent e : EVENTS) {
            events.put(e.key(), c.memoryEvent(e));
            local.put(e.key(), c.memoryEventLocal(e));
        }
        f.putKeyed("memory.events", events);
        f.putKeyed("memory.events.local", local);
        f.putKeyed("memory.stat", memoryStat(c));
        f.put("memory.oom.group", c.oomGroup ? 1 : 0);
        f.put("memory.swap.current", bytes(c.swap.usage()));
        f.putWordOrBytes("memory.swap.high", bytesOrMax(c.swap.high()));
        f.putWordOrBytes("memory.swap.max", bytesOrMax(c.swap.max()));
        Map<String, Long> swapEvents = new LinkedHashMap<>();
        swapEvents.put("high", c.memoryEvent(MemoryEvent.SWAP_HIGH));
        swapEvents.put("max", c.memoryEvent(MemoryEvent.SWAP_MAX));
        swapEvents.put("fail", c.memoryEvent(MemoryEvent.SWAP_FAIL));
        f.putKeyed("memory.swap.events", swapEvents);
        return f;
    }

    /**
     * memory_stat_format (5.18): memory_stats[] in its order (sizes in bytes, the workingset
     * counters as counts, "slab" right after slab_unreclaimable), then the event counters; every
     * value is hierarchical. The OOM report prints the same text, on v1 too.
     */
    static Map<String, Long> memoryStat(MemCgroup c) {
        Map<String, Long> s = new LinkedHashMap<>();
        s.put("anon", bytes(c.treeStat(MemcgStat.RSS)));
        s.put("file", bytes(c.treeStat(MemcgStat.CACHE)));
        s.put("kernel", 0L);
        s.put("kernel_stack", 0L);
        s.put("pagetables", 0L);
        s.put("percpu", 0L);
        s.put("sock", 0L);
        s.put("vmalloc", 0L);
        s.put("shmem", bytes(c.treeStat(MemcgStat.SHMEM)));
        s.put("file_mapped", bytes(c.treeStat(MemcgStat.MAPPED_FILE)));
        s.put("file_dirty", bytes(c.treeStat(MemcgStat.DIRTY)));
        s.put("file_writeback", bytes(c.treeStat(MemcgStat.WRITEBACK)));
        s.put("swapcached", bytes(c.treeStat(MemcgStat.SWAPCACHE)));
        s.put("anon_thp", bytes(c.treeStat(MemcgStat.RSS_HUGE)));
        s.put("file_thp", 0L);
        s.put("shmem_thp", 0L);
        for (int l = 0; l < Lru.NR_LRU_LISTS; l++) {
            s.put(Lru.name(l), bytes(c.treeLruSize(l)));
        }
        s.put("slab_reclaimable", 0L);
        s.put("slab_unreclaimable", 0L);
        s.put("slab", 0L);
        for (VmEvent e : List.of(VmEvent.WORKINGSET_REFAULT_ANON, VmEvent.WORKINGSET_REFAULT_FILE,
            VmEvent.WORKINGSET_ACTIVATE_ANON, VmEvent.WORKINGSET_ACTIVATE_FILE, VmEvent.WORKINGSET_RESTORE_ANON,
            VmEvent.WORKINGSET_RESTORE_FILE, VmEvent.WORKINGSET_NODERECLAIM, VmEvent.PGFAULT, VmEvent.PGMAJFAULT,
            VmEvent.PGREFILL)) {
            s.put(e.key(), c.treeEvent(e));
        }
        s.put("pgscan", c.treeEvent(VmEvent.PGSCAN_KSWAPD) + c.treeEvent(VmEvent.PGSCAN_DIRECT));
        s.put("pgsteal", c.treeEvent(VmEvent.PGSTEAL_KSWAPD) + c.treeEvent(VmEvent.PGSTEAL_DIRECT));
        for (VmEvent e : List.of(VmEvent.PGACTIVATE, VmEvent.PGDEACTIVATE, VmEvent.PGLAZYFREE, VmEvent.PGLAZYFREED,
            VmEvent.THP_FAULT_ALLOC, VmEvent.THP_COLLAPSE_ALLOC)) {
            s.put(e.key(), c.treeEvent(e));
        }
        return s;
    }

    /** The /proc/vmstat names 5.18 prints for the model's events (workingset counters split by type). */
    static String vmstatName(VmEvent e) {
        return switch (e) {
            case PSWPIN, PSWPOUT, PGFAULT, PGMAJFAULT, PGACTIVATE, PGDEACTIVATE, PGLAZYFREE, PGLAZYFREED, PGREFILL,
                PGSCAN_KSWAPD, PGSCAN_DIRECT, PGSTEAL_KSWAPD, PGSTEAL_DIRECT, PGSCAN_ANON, PGSCAN_FILE, PGSTEAL_ANON,
                PGSTEAL_FILE, PGROTATED, PAGEOUTRUN,
                WORKINGSET_REFAULT_ANON, WORKINGSET_REFAULT_FILE, WORKINGSET_ACTIVATE_ANON, WORKINGSET_ACTIVATE_FILE,
                WORKINGSET_RESTORE_ANON, WORKINGSET_RESTORE_FILE, WORKINGSET_NODERECLAIM, THP_FAULT_ALLOC,
                THP_FAULT_FALLBACK, THP_FAULT_FALLBACK_CHARGE, THP_COLLAPSE_ALLOC, OOM_KILL -> e.key();
            // __count_zid_vm_events(ALLOCSTALL, sc->reclaim_idx): a user page's gfp_zone is ZONE_MOVABLE
            case ALLOCSTALL -> "allocstall_movable";
            default -> null;
        };
    }
}
