package dev.memcgdiff.linux518;

import static dev.memcgdiff.mm.memcg.CgroupFileValues.bytes;

import dev.memcgdiff.mm.lru.Lru;
import dev.memcgdiff.mm.memcg.MemCgroup;
import dev.memcgdiff.mm.memcg.MemcgStat;
import dev.memcgdiff.mm.memcg.VmEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * memory_stat_format (mm/memcontrol.c, 5.18): the text of v2's memory.stat, which the OOM report
 * (mem_cgroup_print_oom_meminfo) prints too, on v1 as well.
 */
final class MemoryStat {
    private MemoryStat() {}

    /**
     * memory_stat_format (5.18): memory_stats[] in its order (sizes in bytes, the workingset
     * counters as counts, "slab" right after slab_unreclaimable), then the event counters; every
     * value is hierarchical. The OOM report prints the same text, on v1 too.
     */
    static Map<String, Long> memoryStatFormat(MemCgroup c) {
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
        for (VmEvent e : List.of(
                VmEvent.WORKINGSET_REFAULT_ANON,
                VmEvent.WORKINGSET_REFAULT_FILE,
                VmEvent.WORKINGSET_ACTIVATE_ANON,
                VmEvent.WORKINGSET_ACTIVATE_FILE,
                VmEvent.WORKINGSET_RESTORE_ANON,
                VmEvent.WORKINGSET_RESTORE_FILE,
                VmEvent.WORKINGSET_NODERECLAIM,
                VmEvent.PGFAULT,
                VmEvent.PGMAJFAULT,
                VmEvent.PGREFILL)) {
            s.put(e.key(), c.treeEvent(e));
        }
        s.put("pgscan", c.treeEvent(VmEvent.PGSCAN_KSWAPD) + c.treeEvent(VmEvent.PGSCAN_DIRECT));
        s.put("pgsteal", c.treeEvent(VmEvent.PGSTEAL_KSWAPD) + c.treeEvent(VmEvent.PGSTEAL_DIRECT));
        for (VmEvent e : List.of(
                VmEvent.PGACTIVATE,
                VmEvent.PGDEACTIVATE,
                VmEvent.PGLAZYFREE,
                VmEvent.PGLAZYFREED,
                VmEvent.THP_FAULT_ALLOC,
                VmEvent.THP_COLLAPSE_ALLOC)) {
            s.put(e.key(), c.treeEvent(e));
        }
        return s;
    }
}
